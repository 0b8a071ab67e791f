import assert from "node:assert/strict";
import { test } from "node:test";
import { eachBackend } from "../support/suite.js";
import { TEST_PASSWORD } from "../support/app.js";
import { ERROR_URN, scimClient, uniqueEmail, USER_URN } from "../support/scim.js";

eachBackend("SCIM Users", ({ t }) => {
  test("create, get, replace and delete a user; a userName that is an email signs in, the user is an agent", async () => {
    const scim = await scimClient(t());
    const email = uniqueEmail("Ann.Create");
    const created = await scim.post("/Users", {
      schemas: [USER_URN],
      userName: email,
      externalId: "okta-123",
      name: { givenName: "Ann", familyName: "Create" },
      password: TEST_PASSWORD,
      active: true,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.match(String(created.headers["content-type"]), /^application\/scim\+json/);
    assert.equal(created.headers.location, `${t().config.publicUrl}/scim/v2/Users/${created.body.id}`);
    assert.equal(created.body.meta.location, created.headers.location);
    assert.equal(created.body.userName, email);
    assert.equal(created.body.externalId, "okta-123");
    assert.equal(created.body.displayName, undefined, "no displayName was written, none is made up");
    assert.equal(created.body.emails, undefined, "no emails were written, none are made up");
    assert.equal(created.body.password, undefined, "the password is never returned");
    assert.equal(created.headers.etag, created.body.meta.version);

    const apiView = await t().call("GET", `/api/v1/users/${created.body.id}`, { token: scim.account.admin.token });
    assert.equal(apiView.body.role, "agent");
    assert.equal(apiView.body.name, "Ann Create", "Seatkeeper names the user from name.givenName and name.familyName");
    assert.equal(apiView.body.hasPassword, true);
    const login = await t().call("POST", "/api/v1/auth/login", { body: { email: email.toUpperCase(), password: TEST_PASSWORD } });
    assert.equal(login.status, 200, "the SCIM password signs in");

    const fetched = await scim.get(`/Users/${created.body.id}`);
    assert.equal(fetched.status, 200);
    assert.deepEqual(fetched.body.name, { givenName: "Ann", familyName: "Create" }, "the name as written");

    const replaced = await scim.put(`/Users/${created.body.id}`, { schemas: [USER_URN], userName: email, displayName: "Ann Replaced", active: true });
    assert.equal(replaced.status, 200, JSON.stringify(replaced.body));
    assert.equal(replaced.body.displayName, "Ann Replaced");
    assert.equal(replaced.body.externalId, undefined, "PUT replaces: what is absent is cleared");

    const deleted = await scim.delete(`/Users/${created.body.id}`);
    assert.equal(deleted.status, 204);
    const gone = await scim.get(`/Users/${created.body.id}`);
    assert.equal(gone.status, 404);
    assert.deepEqual(gone.body.schemas, [ERROR_URN]);
    assert.equal(gone.body.status, "404");
  });

  test("a sign-in email is unique across the deployment, case-insensitively: 409 uniqueness", async () => {
    const a = await scimClient(t());
    const b = await scimClient(t());
    const email = uniqueEmail("dup");
    await a.user(email);
    const again = await b.post("/Users", { schemas: [USER_URN], userName: email.toUpperCase() });
    assert.equal(again.status, 409);
    assert.equal(again.body.scimType, "uniqueness");
    assert.equal(again.body.status, "409");
    const byEmail = await b.post("/Users", { schemas: [USER_URN], userName: "someone-else", emails: [{ value: email, type: "work" }] });
    assert.equal(byEmail.status, 409, "the same email as a work email");
    assert.equal(byEmail.body.scimType, "uniqueness");
  });
});

eachBackend("SCIM Users: PATCH", ({ t }) => {
  test("PATCH with and without path, value-filter paths, remove", async () => {
    const scim = await scimClient(t());
    const user = await scim.user(uniqueEmail("patch"), { externalId: "e-1" });
    const id = user.id;

    let r = await scim.patch(`/Users/${id}`, [
      { op: "replace", path: "name.givenName", value: "Paula" },
      { op: "Replace", path: "displayName", value: "Paula P" },
      { op: "add", path: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", value: "Support" },
    ]);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.name.givenName, "Paula");
    assert.equal(r.body.displayName, "Paula P");
    assert.equal(r.body["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"].department, "Support");
    assert.ok(r.body.schemas.includes("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"));

    r = await scim.patch(`/Users/${id}`, [{ op: "replace", value: { externalId: "e-2", name: { familyName: "Nouveau" }, DISPLAYNAME: "Paula N" } }]);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.externalId, "e-2");
    assert.equal(r.body.name.familyName, "Nouveau");
    assert.equal(r.body.displayName, "Paula N", "attribute names are case-insensitive");

    const newEmail = uniqueEmail("moved");
    r = await scim.patch(`/Users/${id}`, [
      { op: "replace", path: "userName", value: newEmail },
      { op: "replace", path: 'emails[type eq "work"].value', value: newEmail },
    ]);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.userName, newEmail);
    assert.deepEqual(r.body.emails, [{ type: "work", value: newEmail }], "the filter's element is created");

    r = await scim.patch(`/Users/${id}`, [{ op: "remove", path: "externalId" }, { op: "remove", path: "name.givenName" }]);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.externalId, undefined);
    assert.equal(r.body.name.givenName, undefined);

    const bad: [unknown[], number, string][] = [
      [[{ op: "replace", path: "id", value: "usr_other" }], 400, "mutability"],
      [[{ op: "add", path: "groups", value: [{ value: "grp_x" }] }], 400, "mutability"],
      [[{ op: "remove" }], 400, "noTarget"],
      [[{ op: "move", path: "displayName", value: "x" }], 400, "invalidSyntax"],
      [[{ op: "replace", path: "emails[type eq", value: "x" }], 400, "invalidPath"],
      [[{ op: "replace", path: "userName", value: "" }], 400, "invalidValue"],
      [[{ op: "replace", path: 'emails[type eq "work"].value', value: "not an email" }], 400, "invalidValue"],
      [[{ op: "replace", path: "userName", value: "not an email" }], 200, ""],
      [[{ op: "replace", path: 'emails[type eq "home" or type eq "work"].value', value: uniqueEmail("or") }], 200, ""],
    ];
    for (const [operations, status, scimType] of bad) {
      const answer = await scim.patch(`/Users/${id}`, operations);
      assert.equal(answer.status, status, `${JSON.stringify(operations)}: ${JSON.stringify(answer.body)}`);
      if (scimType) assert.equal(answer.body.scimType, scimType, JSON.stringify(operations));
    }
  });

  test("Entra-style active as the strings \"False\" and \"True\", with and without path", async () => {
    const scim = await scimClient(t());
    const user = await scim.user(uniqueEmail("entra"));
    let r = await scim.patch(`/Users/${user.id}`, [{ op: "Replace", path: "active", value: "False" }]);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.active, false);
    r = await scim.patch(`/Users/${user.id}`, [{ op: "Replace", value: { active: "True" } }]);
    assert.equal(r.body.active, true);
    r = await scim.patch(`/Users/${user.id}`, [{ op: "replace", value: { active: false } }]);
    assert.equal(r.body.active, false);
    const apiView = await t().call("GET", `/api/v1/users/${user.id}`, { token: scim.account.admin.token });
    assert.equal(apiView.body.active, false);
    const audit = await t().call("GET", "/api/v1/audit?action=user.updated", { token: scim.account.admin.token });
    assert.equal(audit.body.items[0].actor.type, "scim");
    assert.equal(audit.body.items[0].actor.name, "Test IdP");
  });

  test("a PATCH password becomes the user's password", async () => {
    const scim = await scimClient(t());
    const email = uniqueEmail("pw");
    const user = await scim.user(email);
    const r = await scim.patch(`/Users/${user.id}`, [{ op: "replace", path: "password", value: "a new secret 123" }]);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.password, undefined);
    const login = await t().call("POST", "/api/v1/auth/login", { body: { email, password: "a new secret 123" } });
    assert.equal(login.status, 200);
    const again = await scim.patch(`/Users/${user.id}`, [{ op: "replace", value: { [USER_URN]: { password: "third secret 456" } } }]);
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.equal((await t().call("POST", "/api/v1/auth/login", { body: { email, password: "third secret 456" } })).status, 200);
    const bad = await scim.patch(`/Users/${user.id}`, [{ op: "replace", value: { password: 12345678 } }]);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.scimType, "invalidValue");
  });

  test("ETags: meta.version, If-Match with a stale version is 412 and changes nothing", async () => {
    const scim = await scimClient(t());
    const user = await scim.user(uniqueEmail("etag"));
    const version = user.meta.version;
    assert.match(version, /^W\/".+"$/);
    const changed = await scim.patch(`/Users/${user.id}`, [{ op: "replace", path: "displayName", value: "First" }], { "if-match": version });
    assert.equal(changed.status, 200);
    assert.notEqual(changed.body.meta.version, version);
    const stale = await scim.patch(`/Users/${user.id}`, [{ op: "replace", path: "displayName", value: "Second" }], { "if-match": version });
    assert.equal(stale.status, 412);
    assert.equal(stale.body.status, "412");
    assert.equal((await scim.put(`/Users/${user.id}`, { userName: user.userName }, { "if-match": version })).status, 412);
    assert.equal((await scim.delete(`/Users/${user.id}`, { "if-match": version })).status, 412);
    assert.equal((await scim.get(`/Users/${user.id}`)).body.displayName, "First");
    assert.equal((await scim.delete(`/Users/${user.id}`, { "if-match": changed.body.meta.version })).status, 204);
  });

  test("externalId is the provider's and not unique (RFC 7643 §3.1): a reused one is stored as sent (once a 409)", async () => {
    const scim = await scimClient(t());
    const first = await scim.user(uniqueEmail("x1"), { externalId: "Same" });
    const again = await scim.post("/Users", { schemas: [USER_URN], userName: uniqueEmail("x2"), externalId: "Same" });
    assert.equal(again.status, 201, JSON.stringify(again.body));
    assert.equal(again.body.externalId, "Same");
    const found = await scim.get(`/Users?filter=${encodeURIComponent('externalId eq "Same"')}`);
    assert.deepEqual(found.body.Resources.map((u: any) => u.id).sort(), [first.id, again.body.id].sort());
    assert.equal((await scim.get(`/Users?filter=${encodeURIComponent('externalId eq "same"')}`)).body.totalResults, 0, "externalId is case-exact");
    const g1 = await scim.post("/Groups", { displayName: "One", externalId: "grp-ext" });
    const g2 = await scim.post("/Groups", { displayName: "Two", externalId: "grp-ext" });
    assert.deepEqual([g1.status, g2.status], [201, 201], "groups too");
  });

  test("the last admin cannot be deactivated or deleted through SCIM: 409, not 500", async () => {
    const scim = await scimClient(t());
    const adminId = scim.account.admin.id;
    const deactivate = await scim.patch(`/Users/${adminId}`, [{ op: "replace", path: "active", value: false }]);
    assert.equal(deactivate.status, 409);
    assert.deepEqual(deactivate.body.schemas, [ERROR_URN]);
    const remove = await scim.delete(`/Users/${adminId}`);
    assert.equal(remove.status, 409);
    assert.equal((await scim.get(`/Users/${adminId}`)).body.active, true);
  });
});
