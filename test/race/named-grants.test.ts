// Fifty admins race to grant named seats against a subscription of five: the subscription
// row lock lets exactly five through, on every back end.
import assert from "node:assert/strict";
import { test } from "node:test";
import { eachBackend } from "../support/suite.js";

eachBackend("named seat race", ({ t }) => {
  test("50 concurrent named grants against 5 named seats: exactly 5 succeed", async () => {
    const account = await t().account();
    const product = await t().product();
    await t().subscribe(account, product.slug, 5, 0);
    const users = await Promise.all(Array.from({ length: 50 }, () => t().user(account)));
    const results = await Promise.all(
      users.map((u) => t().call("PUT", `/api/v1/users/${u.id}/seats/${product.slug}`, { token: account.admin.token, body: { type: "named" } })),
    );
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 200).length, 5);
    assert.equal(statuses.filter((s) => s === 409).length, 45);
    assert.ok(results.filter((r) => r.status === 409).every((r) => r.body.code === "NO_NAMED_SEAT_AVAILABLE"));
    const sub = await t().call("GET", "/api/v1/subscription", { token: account.admin.token });
    assert.deepEqual(sub.body.items[0].named, { total: 5, assigned: 5 });
    const held = await t().call("GET", `/api/v1/users?seat=${product.slug}:named&limit=500`, { token: account.admin.token });
    assert.equal(held.body.items.length, 5);
  });

  test("two admins removing each other at once never leave the account without an admin", async () => {
    for (let round = 0; round < 5; round++) {
      const account = await t().account();
      const second = await t().user(account, { role: "admin" });
      const results = await Promise.all([
        t().call("PATCH", `/api/v1/users/${second.id}`, { token: account.admin.token, body: { role: "agent" } }),
        t().call("PATCH", `/api/v1/users/${account.admin.id}`, { token: second.token, body: { active: false } }),
      ]);
      assert.equal(results.filter((r) => r.status === 200).length, 1, JSON.stringify(results.map((r) => r.body)));
      const admins = await t()
        .database.db.selectFrom("users")
        .select("id")
        .where("account_id", "=", account.id)
        .where("role", "=", "admin")
        .where("active", "=", true)
        .execute();
      assert.equal(admins.length, 1);
    }
  });
});

eachBackend("lock ordering", ({ t }) => {
  test("user changes, seat grants, license changes and sessions racing each other never deadlock or fail", async () => {
    const account = await t().account();
    const product = await t().product();
    await t().subscribe(account, product.slug, 3, 3);
    const users = await Promise.all(Array.from({ length: 6 }, () => t().user(account, { app: "desktop" })));
    for (const u of users) await t().grant(account, u.id, product.slug, "concurrent");
    const admin = account.admin.token;
    const statuses: number[] = [];
    for (let round = 0; round < 15; round++) {
      const ops: Promise<{ status: number }>[] = users.flatMap((u, i) => [
        t().call("PUT", `/api/v1/users/${u.id}/seats/${product.slug}`, { token: admin, body: { type: (round + i) % 2 ? "named" : "concurrent" } }),
        t().call("PATCH", `/api/v1/users/${u.id}`, { token: admin, body: { active: (round + i) % 3 !== 0 } }),
        t().call("POST", "/api/v1/me/sessions", { token: u.token, body: { product: product.slug } }),
      ]);
      ops.push(t().call("PUT", `/api/v1/subscription/${product.slug}`, { token: admin, body: { named: 6, concurrent: 2 + (round % 3) } }));
      statuses.push(...(await Promise.all(ops)).map((r) => r.status));
    }
    assert.ok(statuses.every((s) => s < 500), `server errors: ${statuses.filter((s) => s >= 500).length}`);
  });
});
