// Seats from SCIM groups (S7): mappings, the two-group rule, warnings, and revocation.
import assert from "node:assert/strict";
import { test } from "node:test";
import { eachBackend } from "../support/suite.js";
import type { TestApp } from "../support/app.js";
import { scimClient, uniqueEmail, type ScimClient } from "../support/scim.js";

async function setup(t: TestApp, named: number, concurrent: number) {
  const scim = await scimClient(t);
  const product = await t.product("Remote Support v5");
  await t.subscribe(scim.account, product.slug, named, concurrent);
  return { scim, slug: product.slug, admin: scim.account.admin.token };
}

async function seatsOf(t: TestApp, scim: ScimClient, userId: string) {
  return (await t.call("GET", `/api/v1/users/${userId}`, { token: scim.account.admin.token })).body.seats;
}

eachBackend("group → seat mapping", ({ t }) => {
  test("members get the mapped seat; leaving, group deletion and unmapping revoke it; a hand-granted seat stays", async () => {
    const { scim, slug, admin } = await setup(t(), 0, 5);
    const [a, b, manual] = [await scim.user(uniqueEmail("a")), await scim.user(uniqueEmail("b")), await scim.user(uniqueEmail("manual"))];
    await t().grant(scim.account, manual.id, slug, "concurrent");
    const group = await scim.group("Agents", [a.id, manual.id]);

    const mapped = await t().call("PUT", `/api/v1/groups/${group.id}/seat`, { token: admin, body: { product: slug, type: "concurrent" } });
    assert.equal(mapped.status, 200, JSON.stringify(mapped.body));
    assert.deepEqual(mapped.body.seat, { product: slug, type: "concurrent" });
    assert.equal(mapped.body.memberCount, 2);
    assert.deepEqual(await seatsOf(t(), scim, a.id), [{ product: slug, type: "concurrent", source: "scim_group" }]);
    assert.deepEqual(await seatsOf(t(), scim, manual.id), [{ product: slug, type: "concurrent", source: "manual" }]);

    await scim.patch(`/Groups/${group.id}`, [{ op: "add", path: "members", value: [{ value: b.id }] }]);
    assert.deepEqual(await seatsOf(t(), scim, b.id), [{ product: slug, type: "concurrent", source: "scim_group" }], "joining later gives the seat");

    await scim.patch(`/Groups/${group.id}`, [{ op: "remove", path: `members[value eq "${a.id}"]` }, { op: "remove", path: `members[value eq "${manual.id}"]` }]);
    assert.deepEqual(await seatsOf(t(), scim, a.id), [], "leaving the group revokes the seat it gave");
    assert.equal((await seatsOf(t(), scim, manual.id)).length, 1, "a seat an admin granted is never revoked by a group");
    const audit = await t().call("GET", `/api/v1/audit?action=seat.revoked`, { token: admin });
    const revoked = audit.body.items.find((e: any) => e.target.id === a.id)!;
    assert.equal(revoked.actor.type, "scim", "SCIM caused it: the token is the actor");
    assert.equal(revoked.details.reason, "group_membership");

    const unmapped = await t().call("DELETE", `/api/v1/groups/${group.id}/seat`, { token: admin });
    assert.equal(unmapped.status, 204);
    assert.deepEqual(await seatsOf(t(), scim, b.id), [], "unmapping revokes the seats the mapping gave");
    assert.equal((await t().call("DELETE", `/api/v1/groups/${group.id}/seat`, { token: admin })).status, 204);

    await t().call("PUT", `/api/v1/groups/${group.id}/seat`, { token: admin, body: { product: slug, type: "concurrent" } });
    assert.equal((await seatsOf(t(), scim, b.id)).length, 1);
    assert.equal((await scim.delete(`/Groups/${group.id}`)).status, 204);
    assert.deepEqual(await seatsOf(t(), scim, b.id), [], "deleting the group revokes the seats it gave");
  });

  test("a named seat an admin frees, or a license the billing contact adds, goes to the member waiting longest; API deactivation follows the groups", async () => {
    const { scim, slug, admin } = await setup(t(), 1, 0);
    const manual = await scim.user(uniqueEmail("holder"));
    await t().grant(scim.account, manual.id, slug, "named");
    const [first, second] = [await scim.user(uniqueEmail("first")), await scim.user(uniqueEmail("second"))];
    const group = await scim.group("Named people", [first.id]);
    await t().call("PUT", `/api/v1/groups/${group.id}/seat`, { token: admin, body: { product: slug, type: "named" } });
    await scim.patch(`/Groups/${group.id}`, [{ op: "add", path: "members", value: [{ value: second.id }] }]);
    assert.deepEqual([await seatsOf(t(), scim, first.id), await seatsOf(t(), scim, second.id)], [[], []], "no named seat left: both wait");

    assert.equal((await t().call("DELETE", `/api/v1/users/${manual.id}/seats/${slug}`, { token: admin })).status, 204);
    assert.deepEqual(await seatsOf(t(), scim, first.id), [{ product: slug, type: "named", source: "scim_group" }], "the freed seat goes to the first waiter");
    assert.deepEqual(await seatsOf(t(), scim, second.id), []);

    const more = await t().call("PUT", `/api/v1/subscription/${slug}`, { token: admin, body: { named: 2, concurrent: 0 } });
    assert.equal(more.status, 200, JSON.stringify(more.body));
    assert.deepEqual(await seatsOf(t(), scim, second.id), [{ product: slug, type: "named", source: "scim_group" }], "an added license goes to the next waiter");
    const groups = await t().call("GET", "/api/v1/groups", { token: admin });
    assert.deepEqual(groups.body.items.find((g: any) => g.id === group.id)!.warnings, [], "nobody waits any more");

    assert.equal((await t().call("PATCH", `/api/v1/users/${first.id}`, { token: admin, body: { active: false } })).status, 200);
    assert.deepEqual(await seatsOf(t(), scim, first.id), [], "deactivated through the API: the group's seat goes");
    assert.equal((await t().call("PATCH", `/api/v1/users/${first.id}`, { token: admin, body: { active: true } })).status, 200);
    assert.deepEqual(await seatsOf(t(), scim, first.id), [{ product: slug, type: "named", source: "scim_group" }], "reactivated: it comes back");
  });

  test("two mapped groups: named wins while one is left, else concurrent with an audited, visible warning", async () => {
    const { scim, slug, admin } = await setup(t(), 1, 5);
    const [u1, u2, u3] = [await scim.user(uniqueEmail("u1")), await scim.user(uniqueEmail("u2")), await scim.user(uniqueEmail("u3"))];
    const namedGroup = await scim.group("Named people");
    const sharedGroup = await scim.group("Shared people");
    await t().call("PUT", `/api/v1/groups/${namedGroup.id}/seat`, { token: admin, body: { product: slug, type: "named" } });
    await t().call("PUT", `/api/v1/groups/${sharedGroup.id}/seat`, { token: admin, body: { product: slug, type: "concurrent" } });

    for (const u of [u1, u2]) {
      const r = await scim.patch(`/Groups/${sharedGroup.id}`, [{ op: "add", path: "members", value: [{ value: u.id }] }]);
      assert.equal(r.status, 200);
    }
    for (const u of [u1, u2, u3]) {
      const r = await scim.patch(`/Groups/${namedGroup.id}`, [{ op: "add", path: "members", value: [{ value: u.id }] }]);
      assert.equal(r.status, 200, "a seat the mapping cannot give never fails the SCIM call");
    }
    assert.equal((await seatsOf(t(), scim, u1.id))[0].type, "named", "named wins while a named seat is left");
    assert.equal((await seatsOf(t(), scim, u2.id))[0].type, "concurrent", "no named seat left: concurrent from the other group");
    assert.deepEqual(await seatsOf(t(), scim, u3.id), [], "no named seat left and no other group: no seat");

    const groups = await t().call("GET", "/api/v1/groups", { token: admin });
    const named = groups.body.items.find((g: any) => g.id === namedGroup.id)!;
    assert.deepEqual(
      named.warnings.map((w: any) => [w.user.id, w.code, w.product, w.granted]).sort(),
      [[u2.id, "NO_NAMED_SEAT_AVAILABLE", slug, "concurrent"], [u3.id, "NO_NAMED_SEAT_AVAILABLE", slug, null]].sort(),
    );
    const audit = await t().call("GET", "/api/v1/audit?action=group.seat_warning", { token: admin });
    assert.deepEqual(audit.body.items.map((e: any) => e.target.id).sort(), [u2.id, u3.id].sort());
    assert.equal(audit.body.items[0].actor.type, "scim");

    // u1 leaves the named group: its named seat goes to the first user waiting for one.
    await scim.patch(`/Groups/${namedGroup.id}`, [{ op: "remove", path: `members[value eq "${u1.id}"]` }]);
    assert.equal((await seatsOf(t(), scim, u1.id))[0].type, "concurrent");
    assert.equal((await seatsOf(t(), scim, u2.id))[0].type, "named");
    const after = (await t().call("GET", "/api/v1/groups", { token: admin })).body.items.find((g: any) => g.id === namedGroup.id)!;
    assert.deepEqual(after.warnings.map((w: any) => w.user.id), [u3.id]);
    const sub = await t().call("GET", "/api/v1/subscription", { token: admin });
    assert.deepEqual(sub.body.items[0].named, { total: 1, assigned: 1 });

    // The IdP deletes u2: its named seat goes to u3, who was waiting for one.
    assert.equal((await scim.delete(`/Users/${u2.id}`)).status, 204);
    assert.deepEqual(await seatsOf(t(), scim, u3.id), [{ product: slug, type: "named", source: "scim_group" }]);
    const resolved = (await t().call("GET", "/api/v1/groups", { token: admin })).body.items.find((g: any) => g.id === namedGroup.id)!;
    assert.deepEqual(resolved.warnings, []);
  });

  test("moving a mapping to another product revokes the old product's seats and grants the new one's", async () => {
    const { scim, slug, admin } = await setup(t(), 2, 2);
    const other = await t().product("Service Desk");
    await t().subscribe(scim.account, other.slug, 2, 0);
    const member = await scim.user(uniqueEmail("mover"));
    const group = await scim.group("Movers", [member.id]);
    await t().call("PUT", `/api/v1/groups/${group.id}/seat`, { token: admin, body: { product: slug, type: "concurrent" } });
    assert.deepEqual(await seatsOf(t(), scim, member.id), [{ product: slug, type: "concurrent", source: "scim_group" }]);
    const moved = await t().call("PUT", `/api/v1/groups/${group.id}/seat`, { token: admin, body: { product: other.slug, type: "named" } });
    assert.equal(moved.status, 200);
    assert.deepEqual(moved.body.seat, { product: other.slug, type: "named" });
    assert.deepEqual(await seatsOf(t(), scim, member.id), [{ product: other.slug, type: "named", source: "scim_group" }]);
  });

  test("mapping errors: no subscription 409, unknown product or group 404, bad body 400, another account's group 404", async () => {
    const { scim, admin } = await setup(t(), 1, 1);
    const group = await scim.group("G");
    const unsubscribed = await t().product();
    const r1 = await t().call("PUT", `/api/v1/groups/${group.id}/seat`, { token: admin, body: { product: unsubscribed.slug, type: "named" } });
    assert.equal(r1.status, 409);
    assert.equal(r1.body.code, "NO_SUBSCRIPTION");
    const r2 = await t().call("PUT", `/api/v1/groups/${group.id}/seat`, { token: admin, body: { product: "no-such-product", type: "named" } });
    assert.equal(r2.status, 404);
    const r3 = await t().call("PUT", "/api/v1/groups/grp_00000000000000000000000000/seat", { token: admin, body: { product: unsubscribed.slug, type: "named" } });
    assert.equal(r3.status, 404);
    const r4 = await t().call("PUT", `/api/v1/groups/${group.id}/seat`, { token: admin, body: { product: unsubscribed.slug, type: "both" } });
    assert.equal(r4.status, 400);
    const other = await t().account();
    const r5 = await t().call("DELETE", `/api/v1/groups/${group.id}/seat`, { token: other.admin.token });
    assert.equal(r5.status, 404);
    assert.deepEqual((await t().call("GET", "/api/v1/groups", { token: other.admin.token })).body.items, []);
  });

  test("removal from a group ends the agent's held shared session, audited with the SCIM token as actor", async () => {
    const { scim, slug, admin } = await setup(t(), 0, 2);
    const agent = await scim.user(uniqueEmail("held"));
    const group = await scim.group("Shared", [agent.id]);
    await t().call("PUT", `/api/v1/groups/${group.id}/seat`, { token: admin, body: { product: slug, type: "concurrent" } });
    const token = await t().token(scim.account.id, agent.id, "desktop");
    const session = await t().call("POST", "/api/v1/me/sessions", { token, body: { product: slug } });
    assert.equal(session.status, 201, JSON.stringify(session.body));
    assert.equal((await t().call("GET", "/api/v1/shared-sessions", { token: admin })).body.items.length, 1);

    await scim.patch(`/Groups/${group.id}`, [{ op: "remove", path: "members", value: [{ value: agent.id }] }]);
    assert.deepEqual((await t().call("GET", "/api/v1/shared-sessions", { token: admin })).body.items, []);
    const sub = await t().call("GET", "/api/v1/subscription", { token: admin });
    assert.equal(sub.body.items[0].concurrent.occupied, 0);
    const ended = await t().call("POST", `/api/v1/me/sessions/${session.body.id}/connect`, { token, body: { mode: "attended", platform: "windows" } });
    assert.equal(ended.status, 409);
    const audit = await t().call("GET", "/api/v1/audit?action=shared_session", { token: admin });
    assert.ok(audit.body.items.some((e: any) => e.actor.type === "scim"), JSON.stringify(audit.body.items));
  });
});
