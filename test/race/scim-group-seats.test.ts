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
    const warnings = groups.body.items.find((g) => g.id === named.id)!.warnings;
    assert.equal(warnings.length, 25);
    assert.ok(warnings.every((w) => w.code === "NO_NAMED_SEAT_AVAILABLE" && w.granted === "concurrent"));
  });
});

eachBackend("SCIM lock ordering", ({ t }) => {
  test("member changes, suspensions, deletions, mapping changes and sessions racing each other never deadlock or fail", async () => {
    const scim = await scimClient(t());
    const admin = scim.account.admin.token;
    const [p1, p2] = [await t().product(), await t().product()];
    await t().subscribe(scim.account, p1.slug, 2, 3);
    await t().subscribe(scim.account, p2.slug, 2, 3);
    const users = [];
    for (let i = 0; i < 8; i++) users.push(await scim.user(uniqueEmail(`lock${i}`)));
    const tokens = await Promise.all(users.map((u) => t().token(scim.account.id, u.id, "desktop")));
    const groups = [await scim.group("A", users.map((u) => u.id)), await scim.group("B")];
    await t().call("PUT", `/api/v1/groups/${groups[0].id}/seat`, { token: admin, body: { product: p1.slug, type: "concurrent" } });
    await t().call("PUT", `/api/v1/groups/${groups[1].id}/seat`, { token: admin, body: { product: p2.slug, type: "named" } });
    const statuses: number[] = [];
    for (let round = 0; round < 6; round++) {
      const ops = users.flatMap((u, i) => [
        scim.patch(`/Groups/${groups[(round + i) % 2].id}`, [{ op: (round + i) % 3 ? "add" : "remove", path: "members", value: [{ value: u.id }] }]),
        scim.patch(`/Users/${u.id}`, [{ op: "replace", path: "active", value: (round + i) % 4 ? "True" : "False" }]),
        t().call("POST", "/api/v1/me/sessions", { token: tokens[i], body: { product: p1.slug } }),
      ]);
      ops.push(t().call("PUT", `/api/v1/groups/${groups[round % 2].id}/seat`, { token: admin, body: { product: round % 3 ? p1.slug : p2.slug, type: round % 2 ? "named" : "concurrent" } }));
      if (round === 5) ops.push(scim.delete(`/Users/${users[0].id}`), scim.delete(`/Groups/${groups[1].id}`));
      statuses.push(...(await Promise.all(ops)).map((r) => r.status));
    }
    assert.ok(statuses.every((s) => s < 500), `server errors: ${statuses.filter((s) => s >= 500).length}`);
    const sub = await t().call("GET", "/api/v1/subscription", { token: admin });
    for (const line of sub.body.items) assert.ok(line.named.assigned <= line.named.total, JSON.stringify(line));
  });
});

eachBackend("API and SCIM lock ordering", ({ t }) => {
  test("admins deactivating, deleting and granting by hand while the identity provider changes groups never deadlock or fail", async () => {
    const scim = await scimClient(t());
    const admin = scim.account.admin.token;
    const [p1, p2] = [await t().product(), await t().product()];
    await t().subscribe(scim.account, p1.slug, 3, 3);
    await t().subscribe(scim.account, p2.slug, 3, 3);
    const users = [];
    for (let i = 0; i < 8; i++) users.push(await scim.user(uniqueEmail(`mixed${i}`)));
    const groups = [await scim.group("Named P2", users.map((u) => u.id)), await scim.group("Concurrent P1")];
    await t().call("PUT", `/api/v1/groups/${groups[0].id}/seat`, { token: admin, body: { product: p2.slug, type: "named" } });
    await t().call("PUT", `/api/v1/groups/${groups[1].id}/seat`, { token: admin, body: { product: p1.slug, type: "concurrent" } });
    const statuses: number[] = [];
    for (let round = 0; round < 6; round++) {
      const ops = users.flatMap((u, i) => [
        scim.patch(`/Groups/${groups[(round + i) % 2].id}`, [{ op: (round + i) % 3 ? "add" : "remove", path: "members", value: [{ value: u.id }] }]),
        t().call("PATCH", `/api/v1/users/${u.id}`, { token: admin, body: { active: (round + i) % 4 !== 0 } }),
        t().call("PUT", `/api/v1/users/${u.id}/seats/${(round + i) % 2 ? p1.slug : p2.slug}`, { token: admin, body: { type: (round + i) % 3 ? "named" : "concurrent" } }),
      ]);
      if (round === 5) ops.push(t().call("DELETE", `/api/v1/users/${users[0].id}`, { token: admin }));
      statuses.push(...(await Promise.all(ops)).map((r) => r.status));
    }
    assert.ok(statuses.every((s) => s < 500), `server errors: ${statuses.filter((s) => s >= 500).length}`);
    const sub = await t().call("GET", "/api/v1/subscription", { token: admin });
    for (const line of sub.body.items) assert.ok(line.named.assigned <= line.named.total, JSON.stringify(line));
  });
});
