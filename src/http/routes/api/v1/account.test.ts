import assert from "node:assert/strict";
import { test } from "node:test";
import { eachBackend } from "../../../../../test/support/suite.js";

eachBackend("seats, subscription, account and audit", ({ t }) => {
  test("a named grant needs a subscription line and a free named seat", async () => {
    const account = await t().account();
    const product = await t().product();
    const [a, b] = [await t().user(account), await t().user(account)];
    const none = await t().call("PUT", `/api/v1/users/${a.id}/seats/${product.slug}`, { token: account.admin.token, body: { type: "named" } });
    assert.equal(none.status, 409);
    assert.equal(none.body.code, "NO_SUBSCRIPTION");
    await t().subscribe(account, product.slug, 1, 0);
    const first = await t().call("PUT", `/api/v1/users/${a.id}/seats/${product.slug}`, { token: account.admin.token, body: { type: "named" } });
    assert.equal(first.status, 200);
    assert.deepEqual(first.body.seats, [{ product: product.slug, type: "named", source: "manual" }]);
    const again = await t().call("PUT", `/api/v1/users/${a.id}/seats/${product.slug}`, { token: account.admin.token, body: { type: "named" } });
    assert.equal(again.status, 200, "granting what the user holds is a no-op");
    const full = await t().call("PUT", `/api/v1/users/${b.id}/seats/${product.slug}`, { token: account.admin.token, body: { type: "named" } });
    assert.equal(full.status, 409);
    assert.equal(full.body.code, "NO_NAMED_SEAT_AVAILABLE");
    // Concurrent grants are unlimited, and replace the user's named seat.
    const shared = await t().call("PUT", `/api/v1/users/${b.id}/seats/${product.slug}`, { token: account.admin.token, body: { type: "concurrent" } });
    assert.equal(shared.status, 200);
    const swap = await t().call("PUT", `/api/v1/users/${a.id}/seats/${product.slug}`, { token: account.admin.token, body: { type: "concurrent" } });
    assert.deepEqual(swap.body.seats, [{ product: product.slug, type: "concurrent", source: "manual" }]);
    const sub = await t().call("GET", "/api/v1/subscription", { token: account.admin.token });
    assert.deepEqual(sub.body.items[0].named, { total: 1, assigned: 0 });
    assert.equal(sub.body.items[0].concurrent.eligible, 2);
  });

  test("revoking answers 204, also when the user holds nothing", async () => {
    const account = await t().account();
    const product = await t().product();
    await t().subscribe(account, product.slug, 1, 1);
    const a = await t().user(account);
    await t().grant(account, a.id, product.slug, "named");
    assert.equal((await t().call("DELETE", `/api/v1/users/${a.id}/seats/${product.slug}`, { token: account.admin.token })).status, 204);
    assert.equal((await t().call("DELETE", `/api/v1/users/${a.id}/seats/${product.slug}`, { token: account.admin.token })).status, 204);
    const user = await t().call("GET", `/api/v1/users/${a.id}`, { token: account.admin.token });
    assert.deepEqual(user.body.seats, []);
    const unknownUser = await t().call("DELETE", `/api/v1/users/usr_00000000000000000000000000/seats/${product.slug}`, { token: account.admin.token });
    assert.equal(unknownUser.status, 404);
  });

  test("only the billing contact changes licenses; named cannot drop below assigned (S3)", async () => {
    const account = await t().account();
    const product = await t().product("Service Desk");
    const otherAdmin = await t().user(account, { role: "admin" });
    const refused = await t().call("PUT", `/api/v1/subscription/${product.slug}`, { token: otherAdmin.token, body: { named: 5, concurrent: 5 } });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, "NOT_BILLING_CONTACT");
    const created = await t().call("PUT", `/api/v1/subscription/${product.slug}`, { token: account.admin.token, body: { named: 2, concurrent: 3 } });
    assert.equal(created.status, 200);
    assert.deepEqual(created.body, { product: product.slug, name: "Service Desk", named: { total: 2, assigned: 0 }, concurrent: { total: 3, occupied: 0, waiting: 0, eligible: 0 } });
    const [a, b] = [await t().user(account), await t().user(account)];
    await t().grant(account, a.id, product.slug, "named");
    await t().grant(account, b.id, product.slug, "named");
    const lower = await t().call("PUT", `/api/v1/subscription/${product.slug}`, { token: account.admin.token, body: { named: 1, concurrent: 3 } });
    assert.equal(lower.status, 409);
    assert.equal(lower.body.code, "NAMED_SEATS_IN_USE");
    const more = await t().call("PUT", `/api/v1/subscription/${product.slug}`, { token: account.admin.token, body: { named: 4, concurrent: 0 } });
    assert.equal(more.status, 200);
    const missing = await t().call("PUT", "/api/v1/subscription/not-a-product", { token: account.admin.token, body: { named: 1, concurrent: 1 } });
    assert.equal(missing.status, 404);
    const partial = await t().call("PUT", `/api/v1/subscription/${product.slug}`, { token: account.admin.token, body: { named: 4 } });
    assert.equal(partial.status, 400);
    assert.equal(partial.body.errors![0].field, "concurrent");
    const audit = await t().call("GET", "/api/v1/audit?action=subscription.changed", { token: account.admin.token });
    assert.deepEqual(audit.body.items[0].details, { named: { from: 2, to: 4 }, concurrent: { from: 3, to: 0 } });
  });

  test("account settings: defaults, partial change, bounds, audit", async () => {
    const account = await t().account();
    const before = await t().call("GET", "/api/v1/account", { token: account.admin.token });
    assert.deepEqual(before.body.settings, { leaseTtlSeconds: 90, pendingTimeoutSeconds: 900, endedCooldownSeconds: 120 });
    const changed = await t().call("PATCH", "/api/v1/account", { token: account.admin.token, body: { settings: { leaseTtlSeconds: 30 } } });
    assert.equal(changed.status, 200);
    assert.deepEqual(changed.body.settings, { leaseTtlSeconds: 30, pendingTimeoutSeconds: 900, endedCooldownSeconds: 120 });
    for (const settings of [{ leaseTtlSeconds: 4 }, { pendingTimeoutSeconds: 86401 }, { endedCooldownSeconds: -1 }, { leaseTtlSeconds: "60" }, { other: 1 }]) {
      const bad = await t().call("PATCH", "/api/v1/account", { token: account.admin.token, body: { settings } });
      assert.equal(bad.status, 400, JSON.stringify(settings));
      assert.match(bad.body.errors![0].field, /^settings\./);
    }
    const after = await t().call("GET", "/api/v1/account", { token: account.admin.token });
    assert.deepEqual(after.body.settings, changed.body.settings, "rejected changes change nothing");
    const audit = await t().call("GET", "/api/v1/audit?action=settings.changed", { token: account.admin.token });
    assert.equal(audit.body.items.length, 1);
    assert.deepEqual(audit.body.items[0].details, { leaseTtlSeconds: { from: 90, to: 30 } });
  });

  test("the audit log is newest first, filtered by actor and action, paginated", async () => {
    const account = await t().account();
    const product = await t().product();
    await t().subscribe(account, product.slug, 0, 5);
    const manager = await t().user(account, { role: "manager", privileges: ["seats:manage"] });
    const users = [await t().user(account), await t().user(account), await t().user(account)];
    for (const u of users) {
      const r = await t().call("PUT", `/api/v1/users/${u.id}/seats/${product.slug}`, { token: manager.token, body: { type: "concurrent" } });
      assert.equal(r.status, 200);
    }
    const byManager = await t().call("GET", `/api/v1/audit?actor=${manager.id}`, { token: account.admin.token });
    assert.deepEqual(byManager.body.items.map((e) => e.target.id), users.map((u) => u.id).reverse());
    assert.ok(byManager.body.items.every((e) => e.action === "seat.granted" && e.actor.type === "user"));
    const firstPage = await t().call("GET", "/api/v1/audit?action=seat.granted&limit=2", { token: account.admin.token });
    assert.equal(firstPage.body.items.length, 2);
    const next = await t().call("GET", `/api/v1/audit?action=seat.granted&limit=2&cursor=${firstPage.body.nextCursor}`, { token: account.admin.token });
    assert.equal(next.body.items.length, 1);
    assert.equal(next.body.nextCursor, null);
    assert.equal(next.body.items[0].target.id, users[0].id);
  });
});
