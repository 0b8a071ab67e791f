// Dormant named seats: listed by how long their holder has not used the product, converted
// or revoked in bulk (a seat used meanwhile is skipped), and reclaimed by the sweeper's pass
// when the account asks for it — every change audited.
import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "kysely";
import { eachBackend } from "../../test/support/suite.js";
import { reclaimDormantAutomatically } from "./dormant-seat.service.js";

const DAY = 24 * 60 * 60 * 1000;

eachBackend("dormant named seats", ({ t }) => {
  test("listed longest idle first; converted and revoked in bulk; a seat in use is skipped; the sweeper's pass reclaims when asked; all audited", async () => {
    const account = await t().account();
    const admin = account.admin.token;
    const product = await t().product();
    await t().subscribe(account, product.slug, 6, 3);
    const db = t().database.db;
    const named = async (name: string, grantedDaysAgo: number, usedDaysAgo?: number) => {
      const u = await t().user(account, { name, app: "desktop" });
      await t().grant(account, u.id, product.slug, "named");
      await sql`UPDATE seat_assignments SET granted_at = ${new Date(Date.now() - grantedDaysAgo * DAY)} WHERE account_id = ${account.id} AND user_id = ${u.id}`.execute(db);
      if (usedDaysAgo !== undefined) {
        const s = await t().call("POST", "/api/v1/me/sessions", { token: u.token, body: { product: product.slug } });
        assert.equal(s.status, 201);
        await t().call("POST", `/api/v1/me/sessions/${s.body.id}/end`, { token: u.token });
        await sql`UPDATE support_sessions SET created_at = ${new Date(Date.now() - usedDaysAgo * DAY)} WHERE account_id = ${account.id} AND user_id = ${u.id}`.execute(db);
      }
      return u;
    };
    const never = await named("Never Used", 40);
    const recent = await named("Used Recently", 40, 2);
    const fresh = await named("Just Granted", 0);
    const old = await named("Used Long Ago", 40, 35);

    const list = await t().call("GET", "/api/v1/dormant-seats", { token: admin });
    assert.equal(list.status, 200);
    assert.equal(list.body.days, 30);
    assert.deepEqual(list.body.items.map((i: any) => [i.user.name, i.idleDays]), [["Never Used", 40], ["Used Long Ago", 35]]);
    assert.equal(list.body.items[0].lastUsedAt, null);
    const shorter = await t().call("GET", `/api/v1/dormant-seats?days=1&product=${product.slug}`, { token: admin });
    assert.deepEqual(shorter.body.items.map((i: any) => i.user.name), ["Never Used", "Used Long Ago", "Used Recently"]);

    const converted = await t().call("POST", "/api/v1/dormant-seats/reclaim", { token: admin, body: { action: "convert", seats: [{ userId: never.id, product: product.slug }] } });
    assert.equal(converted.status, 200, JSON.stringify(converted.body));
    assert.deepEqual(converted.body.reclaimed, [{ userId: never.id, product: product.slug }]);
    const user = await t().call("GET", `/api/v1/users/${never.id}`, { token: admin });
    assert.deepEqual(user.body.seats.map((s: any) => [s.type, s.source]), [["concurrent", "dormant_reclaim"]]);

    const revoked = await t().call("POST", "/api/v1/dormant-seats/reclaim", {
      token: admin,
      body: { action: "revoke", seats: [{ userId: old.id, product: product.slug }, { userId: fresh.id, product: product.slug }] },
    });
    assert.deepEqual(revoked.body.reclaimed, [{ userId: old.id, product: product.slug }]);
    assert.deepEqual(revoked.body.skipped, [{ userId: fresh.id, product: product.slug }], "a seat that is not dormant is left alone");
    assert.deepEqual((await t().call("GET", `/api/v1/users/${old.id}`, { token: admin })).body.seats, []);
    const line = (await t().call("GET", "/api/v1/subscription", { token: admin })).body.items[0];
    assert.equal(line.named.assigned, 2, "the named seats went back");
    assert.equal((await t().call("GET", "/api/v1/dormant-seats", { token: admin })).body.items.length, 0);

    // Automatic: the sweeper's pass revokes what became dormant, as the system.
    assert.equal((await t().call("PUT", "/api/v1/dormant-seats/settings", { token: admin, body: { days: 1, reclaim: "revoke" } })).status, 200);
    assert.equal(await reclaimDormantAutomatically(db), 1);
    assert.deepEqual((await t().call("GET", `/api/v1/users/${recent.id}`, { token: admin })).body.seats, []);
    assert.equal((await t().call("GET", `/api/v1/users/${fresh.id}`, { token: admin })).body.seats.length, 1, "the fresh seat stays");
    const audit = await t().call("GET", "/api/v1/audit?action=dormant_seats.reclaimed", { token: admin });
    assert.deepEqual(audit.body.items.map((a: any) => [a.actor.type, a.details.action, a.details.automatic]), [["system", "revoke", true], ["user", "revoke", false], ["user", "convert", false]]);
    const settings = await t().call("GET", "/api/v1/dormant-seats/settings", { token: admin });
    assert.deepEqual(settings.body, { days: 1, reclaim: "revoke" });
    await t().call("PUT", "/api/v1/dormant-seats/settings", { token: admin, body: { days: 30, reclaim: "off" } });

    const bad = await t().call("POST", "/api/v1/dormant-seats/reclaim", { token: admin, body: { action: "revoke", seats: [{ userId: old.id, product: "no-such-product" }] } });
    assert.equal(bad.status, 404);
    const other = await t().account();
    const theirs = await t().call("POST", "/api/v1/dormant-seats/reclaim", { token: other.admin.token, body: { action: "revoke", seats: [{ userId: fresh.id, product: product.slug }] } });
    assert.deepEqual(theirs.body.reclaimed, [], "another account's seats are out of reach");
  });
});
