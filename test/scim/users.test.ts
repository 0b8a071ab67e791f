import assert from "node:assert/strict";
import { test } from "node:test";
import { eachBackend } from "../support/suite.js";
import { TEST_PASSWORD } from "../support/app.js";
import { ERROR_URN, scimClient, uniqueEmail, USER_URN } from "../support/scim.js";

eachBackend("SCIM Users", ({ t }) => {
  test("create, get, replace and delete a user; userName is the email, the user is an agent", async () => {
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
    assert.match(String(created.headers.location), new RegExp(`^http://localhost(:80)?/scim/v2/Users/${created.body.id}$`));
    assert.equal(created.body.meta.location, created.headers.location);
    assert.equal(created.body.userName, email);
    assert.equal(created.body.externalId, "okta-123");
    assert.equal(created.body.displayName, "Ann Create");
    assert.deepEqual(created.body.emails, [{ value: email, type: "work", primary: true }]);
    assert.equal(created.body.password, undefined, "the password is never returned");
    assert.equal(created.headers.etag, created.body.meta.version);

    const apiView = await t().call("GET", `/api/v1/users/${created.body.id}`, { token: scim.account.admin.token });
    assert.equal(apiView.body.role, "agent");
    assert.equal(apiView.body.hasPassword, true);
    const login = await t().call("POST", "/api/v1/auth/login", { body: { email: email.toUpperCase(), password: TEST_PASSWORD } });
    assert.equal(login.status, 200, "the SCIM password signs in");

    const fetched = await scim.get(`/Users/${created.body.id}`);
    assert.equal(fetched.status, 200);
    assert.deepEqual(fetched.body.name, { formatted: "Ann Create", givenName: "Ann", familyName: "Create" });

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

  test("userName is unique across the deployment, case-insensitively: 409 uniqueness", async () => {
    const a = await scimClient(t());
    const b = await scimClient(t());
    const email = uniqueEmail("dup");
    await a.user(email);
    const again = await b.post("/Users", { schemas: [USER_URN], userName: email.toUpperCase() });
    assert.equal(again.status, 409);
    assert.equal(again.body.scimType, "uniqueness");
    assert.equal(again.body.status, "409");
  });
});
