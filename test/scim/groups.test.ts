import assert from "node:assert/strict";
import { test } from "node:test";
import { eachBackend } from "../support/suite.js";
import { GROUP_URN, scimClient, uniqueEmail } from "../support/scim.js";

eachBackend("SCIM Groups", ({ t }) => {
  test("create, get, list, replace and delete a group", async () => {
    const scim = await scimClient(t());
    const [a, b, c] = [await scim.user(uniqueEmail("a")), await scim.user(uniqueEmail("b")), await scim.user(uniqueEmail("c"))];
    const created = await scim.post("/Groups", { schemas: [GROUP_URN], displayName: "Tier 1", externalId: "g-1", members: [{ value: a.id }, { value: b.id }] });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.match(created.body.id, /^grp_/);
    assert.deepEqual(created.body.members.map((m: any) => m.value).sort(), [a.id, b.id].sort());
    assert.equal(created.body.members[0].type, "User");
    assert.equal(created.headers.location, created.body.meta.location);

    const user = await scim.get(`/Users/${a.id}`);
    assert.deepEqual(user.body.groups.map((g: any) => [g.value, g.display]), [[created.body.id, "Tier 1"]]);

    const replaced = await scim.put(`/Groups/${created.body.id}`, { schemas: [GROUP_URN], displayName: "Tier One", members: [{ value: b.id }, { value: c.id }] });
    assert.equal(replaced.status, 200, JSON.stringify(replaced.body));
    assert.equal(replaced.body.displayName, "Tier One");
    assert.equal(replaced.body.externalId, undefined);
    assert.deepEqual(replaced.body.members.map((m: any) => m.value).sort(), [b.id, c.id].sort());

    const list = await scim.get("/Groups");
    assert.equal(list.body.totalResults, 1);

    const api = await t().call("GET", "/api/v1/groups", { token: scim.account.admin.token });
    assert.equal(api.status, 200);
    assert.deepEqual(api.body.items.map((g: any) => [g.displayName, g.memberCount, g.seat]), [["Tier One", 2, null]]);

    assert.equal((await scim.delete(`/Groups/${created.body.id}`)).status, 204);
    assert.equal((await scim.get(`/Groups/${created.body.id}`)).status, 404);
    assert.deepEqual((await scim.get(`/Users/${b.id}`)).body.groups, []);
  });

  test("member PATCH: add, remove by value, by filter path, remove all, replace; displayName", async () => {
    const scim = await scimClient(t());
    const users = [];
    for (let i = 0; i < 5; i++) users.push(await scim.user(uniqueEmail(`m${i}`)));
    const group = await scim.group("Patchers");
    const path = `/Groups/${group.id}`;
    const members = async () => (await scim.get(path)).body.members.map((m: any) => m.value).sort();

    let r = await scim.patch(path, [{ op: "add", path: "members", value: users.slice(0, 4).map((u) => ({ value: u.id })) }]);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(await members(), users.slice(0, 4).map((u) => u.id).sort());

    r = await scim.patch(path, [{ op: "remove", path: `members[value eq "${users[0].id}"]` }]);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(await members(), users.slice(1, 4).map((u) => u.id).sort());

    // Entra removes members by listing them as the value of a remove on `members`.
    r = await scim.patch(path, [{ op: "Remove", path: "members", value: [{ value: users[1].id }] }]);
    assert.deepEqual(await members(), users.slice(2, 4).map((u) => u.id).sort());

    r = await scim.patch(path, [{ op: "add", value: { members: [{ value: users[4].id }] } }, { op: "replace", path: "displayName", value: "Renamed" }]);
    assert.equal(r.body.displayName, "Renamed");
    assert.deepEqual(await members(), users.slice(2, 5).map((u) => u.id).sort());

    r = await scim.patch(path, [{ op: "replace", path: "members", value: [{ value: users[0].id }] }]);
    assert.deepEqual(await members(), [users[0].id]);

    r = await scim.patch(path, [{ op: "remove", path: "members" }]);
    assert.equal(r.status, 200);
    assert.deepEqual(await members(), []);

    // Okta renames with a path-less replace that repeats the id.
    r = await scim.patch(path, [{ op: "replace", value: { id: group.id, displayName: "Okta name" } }]);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.displayName, "Okta name");

    const bad: [unknown[], string][] = [
      [[{ op: "add", path: "members", value: [{ value: "usr_00000000000000000000000000" }] }], "invalidValue"],
      [[{ op: "add", path: "members", value: [{ display: "no value" }] }], "invalidValue"],
      [[{ op: "replace", path: `members[value eq "${users[0].id}"].display`, value: "x" }], "noTarget"],
      [[{ op: "replace", path: "shoeSize", value: 42 }], "invalidPath"],
      [[{ op: "remove", path: "displayName" }], "mutability"],
      [[{ op: "replace", path: "id", value: "grp_other" }], "mutability"],
      [[{ op: "remove", path: "members[value eq" }], "invalidPath"],
    ];
    for (const [operations, scimType] of bad) {
      const answer = await scim.patch(path, operations);
      assert.equal(answer.status, 400, `${JSON.stringify(operations)}: ${JSON.stringify(answer.body)}`);
      assert.equal(answer.body.scimType, scimType, JSON.stringify(operations));
    }
    assert.equal((await scim.get(path)).body.displayName, "Okta name", "refused operations change nothing");
    const audit = await t().call("GET", "/api/v1/audit?action=group", { token: scim.account.admin.token });
    const actions = audit.body.items.map((e: any) => e.action);
    assert.ok(actions.includes("group.updated") && actions.includes("group.members_changed") && actions.includes("group.created"), actions.join());
    assert.ok(audit.body.items.every((e: any) => e.actor.type === "scim"));
  });

  test("a group ETag: If-Match with a stale version is 412", async () => {
    const scim = await scimClient(t());
    const group = await scim.group("Versioned");
    const renamed = await scim.patch(`/Groups/${group.id}`, [{ op: "replace", path: "displayName", value: "V2" }], { "if-match": group.meta.version });
    assert.equal(renamed.status, 200);
    const stale = await scim.patch(`/Groups/${group.id}`, [{ op: "replace", path: "displayName", value: "V3" }], { "if-match": group.meta.version });
    assert.equal(stale.status, 412);
    assert.equal((await scim.delete(`/Groups/${group.id}`, { "if-match": group.meta.version })).status, 412);
    assert.equal((await scim.get(`/Groups/${group.id}`)).headers.etag, renamed.body.meta.version);
  });
});
