// Many identity-provider calls at once add members to a group mapped to a product with five
// named seats: the subscription row lock lets exactly five through; the others follow the
// two-group rule (concurrent from their other group, with a warning), never over-allocating.
import assert from "node:assert/strict";
import { test } from "node:test";
import { eachBackend } from "../support/suite.js";
import { scimClient, uniqueEmail } from "../support/scim.js";

eachBackend("SCIM group seat race", ({ t }) => {
  test("30 concurrent member adds to a group mapped to 5 named seats: exactly 5 named, the rest concurrent", async () => {
    const scim = await scimClient(t());
    const admin = scim.account.admin.token;
    const product = await t().product();
    await t().subscribe(scim.account, product.slug, 5, 10);
    const users = [];
    for (let i = 0; i < 30; i++) users.push(await scim.user(uniqueEmail(`race${i}`)));
    const everyone = await scim.group("Everyone", users.map((u) => u.id));
    const named = await scim.group("Named");
    await t().call("PUT", `/api/v1/groups/${everyone.id}/seat`, { token: admin, body: { product: product.slug, type: "concurrent" } });
    await t().call("PUT", `/api/v1/groups/${named.id}/seat`, { token: admin, body: { product: product.slug, type: "named" } });

    const results = await Promise.all(
      users.map((u) => scim.patch(`/Groups/${named.id}`, [{ op: "add", path: "members", value: [{ value: u.id }] }])),
    );
    assert.deepEqual([...new Set(results.map((r) => r.status))], [200], JSON.stringify(results.filter((r) => r.status !== 200).map((r) => r.body)));

    const namedHolders = await t().call("GET", `/api/v1/users?seat=${product.slug}:named&limit=500`, { token: admin });
    const concurrentHolders = await t().call("GET", `/api/v1/users?seat=${product.slug}:concurrent&limit=500`, { token: admin });
    assert.equal(namedHolders.body.items.length, 5);
    assert.equal(concurrentHolders.body.items.length, 25);
    const sub = await t().call("GET", "/api/v1/subscription", { token: admin });
    assert.deepEqual(sub.body.items[0].named, { total: 5, assigned: 5 });
    const groups = await t().call("GET", "/api/v1/groups", { token: admin });
    const warnings = groups.body.items.find((g: any) => g.id === named.id).warnings;
    assert.equal(warnings.length, 25);
    assert.ok(warnings.every((w: any) => w.code === "NO_NAMED_SEAT_AVAILABLE" && w.granted === "concurrent"));
  });
});
