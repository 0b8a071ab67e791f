// Tenants never see each other's data: another account's resources are 404, never 403,
// and lists never include them.
import assert from "node:assert/strict";
import { test } from "node:test";
import { eachBackend } from "../support/suite.js";

eachBackend("tenant isolation", ({ t }) => {
  test("another account's users are not found, not listed, not changeable", async () => {
    const mine = await t().account();
    const theirs = await t().account();
    const product = await t().product();
    await t().subscribe(mine, product.slug, 5, 5);
    await t().subscribe(theirs, product.slug, 5, 5);
    const stranger = await t().user(theirs, { name: "Stranger Danger" });
    await t().grant(theirs, stranger.id, product.slug, "named");
    const token = mine.admin.token;

    assert.equal((await t().call("GET", `/api/v1/users/${stranger.id}`, { token })).status, 404);
    assert.equal((await t().call("PATCH", `/api/v1/users/${stranger.id}`, { token, body: { name: "Mine now" } })).status, 404);
    assert.equal((await t().call("DELETE", `/api/v1/users/${stranger.id}`, { token })).status, 404);
    assert.equal((await t().call("PUT", `/api/v1/users/${stranger.id}/seats/${product.slug}`, { token, body: { type: "named" } })).status, 404);
    assert.equal((await t().call("DELETE", `/api/v1/users/${stranger.id}/seats/${product.slug}`, { token })).status, 404);

    const search = await t().call("GET", "/api/v1/users?q=stranger", { token });
    assert.deepEqual(search.body.items, []);
    const bySeat = await t().call("GET", `/api/v1/users?seat=${product.slug}:named`, { token });
    assert.deepEqual(bySeat.body.items, []);
    const sub = await t().call("GET", "/api/v1/subscription", { token });
    assert.equal(sub.body.items[0].named.assigned, 0);
    const audit = await t().call("GET", "/api/v1/audit?limit=500", { token });
    assert.ok(audit.body.items.every((e) => e.target.id !== stranger.id));

    const theirView = await t().call("GET", `/api/v1/users/${stranger.id}`, { token: theirs.admin.token });
    assert.equal(theirView.body.name, "Stranger Danger", "nothing was changed");
    assert.equal(theirView.body.seats.length, 1);
  });
});
