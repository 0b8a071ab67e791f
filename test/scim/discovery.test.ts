// Discovery endpoints, authentication, tenant isolation and the SCIM error schema.
import assert from "node:assert/strict";
import { test } from "node:test";
import { eachBackend } from "../support/suite.js";
import { ERROR_URN, scimClient, uniqueEmail, USER_URN } from "../support/scim.js";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

eachBackend("SCIM discovery, auth and errors", ({ t }) => {
  test("ServiceProviderConfig, ResourceTypes and Schemas describe what is supported", async () => {
    const scim = await scimClient(t());
    const config = await scim.get("/ServiceProviderConfig");
    assert.equal(config.status, 200);
    assert.match(String(config.headers["content-type"]), /^application\/scim\+json/);
    assert.deepEqual(config.body.schemas, ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"]);
    assert.equal(config.body.patch.supported, true);
    assert.equal(config.body.bulk.supported, false);
    assert.equal(config.body.filter.supported, true);
    assert.equal(config.body.sort.supported, true);
    assert.equal(config.body.etag.supported, true);
    assert.equal(config.body.authenticationSchemes[0].type, "oauthbearertoken");

    const types = await scim.get("/ResourceTypes");
    assert.equal(types.status, 200);
    assert.deepEqual(types.body.Resources.map((r: any) => r.id), ["User", "Group"]);
    assert.deepEqual(types.body.Resources[0].schemaExtensions, [{ schema: ENTERPRISE, required: false }]);
    assert.equal((await scim.get("/ResourceTypes/group")).body.endpoint, "/Groups");

    const schemas = await scim.get("/Schemas");
    const ids = schemas.body.Resources.map((s: any) => s.id);
    assert.deepEqual(ids, [USER_URN, "urn:ietf:params:scim:schemas:core:2.0:Group", ENTERPRISE]);
    const user = await scim.get(`/Schemas/${USER_URN.toUpperCase()}`);
    assert.equal(user.status, 200, "schema URNs are case-insensitive");
    assert.ok(user.body.attributes.some((a: any) => a.name === "userName" && a.uniqueness === "server"));
    assert.equal((await scim.get("/Schemas/urn:nope")).status, 404);
  });

  test("no token, a bad token, a user's token and a revoked token are 401 in the SCIM error schema", async () => {
    const scim = await scimClient(t());
    const none = await t().call("GET", "/scim/v2/Users");
    assert.equal(none.status, 401);
    assert.deepEqual(none.body, { schemas: [ERROR_URN], status: "401", detail: none.body.detail });
    assert.match(String(none.headers["www-authenticate"]), /^Bearer/);
    assert.equal((await t().call("GET", "/scim/v2/Users", { token: "sks_bogus" })).status, 401);
    assert.equal((await t().call("GET", "/scim/v2/Users", { token: scim.account.admin.token })).status, 401, "a user token is not a SCIM token");
    assert.equal((await t().call("GET", "/api/v1/account", { token: scim.token })).status, 401, "a SCIM token is not a user token");

    const list = await t().call("GET", "/api/v1/scim-tokens", { token: scim.account.admin.token });
    const id = list.body.items[0].id;
    assert.equal((await scim.get("/Users")).status, 200);
    assert.equal((await t().call("DELETE", `/api/v1/scim-tokens/${id}`, { token: scim.account.admin.token })).status, 204);
    const revoked = await scim.get("/Users");
    assert.equal(revoked.status, 401);
    assert.equal(revoked.body.status, "401");
  });

  test("a token sees its own account only", async () => {
    const a = await scimClient(t());
    const b = await scimClient(t());
    const user = await a.user(uniqueEmail("mine"));
    const group = await a.group("Mine", [user.id]);
    for (const path of [`/Users/${user.id}`, `/Groups/${group.id}`]) {
      assert.equal((await b.get(path)).status, 404);
      assert.equal((await b.put(path, { userName: uniqueEmail(), displayName: "x" })).status, 404);
      assert.equal((await b.patch(path, [{ op: "replace", path: "displayName", value: "stolen" }])).status, 404);
      assert.equal((await b.delete(path)).status, 404);
    }
    const list = await b.get(`/Users?filter=${encodeURIComponent(`userName eq "${user.userName}"`)}`);
    assert.equal(list.body.totalResults, 0);
    const groups = await b.get("/Groups");
    assert.equal(groups.body.totalResults, 0);
    const otherGroup = await b.group("Theirs");
    const cross = await b.patch(`/Groups/${otherGroup.id}`, [{ op: "add", path: "members", value: [{ value: user.id }] }]);
    assert.equal(cross.status, 400, "a user of another account cannot be a member");
    assert.equal(cross.body.scimType, "invalidValue");
    assert.equal((await a.get(`/Users/${user.id}`)).body.displayName, user.displayName);
  });

  test("bad input is a 4xx SCIM error, never a 500, and writes nothing", async () => {
    const scim = await scimClient(t());
    const cases: [string, () => Promise<any>, number, string | undefined][] = [
      ["malformed JSON", () => t().call("POST", "/scim/v2/Users", { token: scim.token, body: "{ nope", headers: { "content-type": "application/scim+json" } }), 400, "invalidSyntax"],
      ["malformed JSON as application/json", () => t().call("POST", "/scim/v2/Groups", { token: scim.token, body: "[1,", headers: { "content-type": "application/json" } }), 400, "invalidSyntax"],
      ["a body that is not an object", () => scim.post("/Users", [1, 2]), 400, "invalidSyntax"],
      ["no userName", () => scim.post("/Users", { schemas: [USER_URN], displayName: "x" }), 400, "invalidValue"],
      ["userName only spaces", () => scim.post("/Users", { schemas: [USER_URN], userName: "   " }), 400, "invalidValue"],
      ["a primary email that is not an address", () => scim.post("/Users", { schemas: [USER_URN], userName: "pat", emails: [{ value: "pat at home", primary: true }] }), 400, "invalidValue"],
      ["two primary emails", () => scim.post("/Users", { schemas: [USER_URN], userName: "pat", emails: [{ value: "a@example.test", primary: true }, { value: "b@example.test", primary: "True" }] }), 400, "invalidValue"],
      ["a phone number that is not a string", () => scim.post("/Users", { schemas: [USER_URN], userName: "pat", phoneNumbers: [{ value: 5551234 }] }), 400, "invalidValue"],
      ["addresses that are not objects", () => scim.post("/Users", { schemas: [USER_URN], userName: "pat", addresses: ["1 Main St"] }), 400, "invalidValue"],
      ["a title too long", () => scim.post("/Users", { schemas: [USER_URN], userName: "pat", title: "x".repeat(5000) }), 400, "invalidValue"],
      ["an enterprise extension that is not an object", () => scim.post("/Users", { schemas: [USER_URN], userName: "pat", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": "HR" }), 400, "invalidValue"],
      ["wrong schemas", () => scim.post("/Users", { schemas: ["urn:nope"], userName: uniqueEmail() }), 400, "invalidSyntax"],
      ["a short password", () => scim.post("/Users", { schemas: [USER_URN], userName: uniqueEmail(), password: "short" }), 400, "invalidValue"],
      ["active not a boolean", () => scim.post("/Users", { schemas: [USER_URN], userName: uniqueEmail(), active: "maybe" }), 400, "invalidValue"],
      ["bad filter", () => scim.get(`/Users?filter=${encodeURIComponent('userName eq')}`), 400, "invalidFilter"],
      ["unbalanced filter", () => scim.get(`/Users?filter=${encodeURIComponent('(userName eq "a"')}`), 400, "invalidFilter"],
      ["unknown filter attribute", () => scim.get(`/Users?filter=${encodeURIComponent('shoeSize gt 40')}`), 400, "invalidFilter"],
      ["a filter nested too deep", () => scim.get(`/Users?filter=${encodeURIComponent(`${"(".repeat(200)}userName eq "a"${")".repeat(200)}`)}`), 400, "invalidFilter"],
      ["a string compared with a number", () => scim.get(`/Users?filter=${encodeURIComponent("userName eq 42")}`), 400, "invalidFilter"],
      ["a bad date", () => scim.get(`/Users?filter=${encodeURIComponent('meta.lastModified gt "yesterday"')}`), 400, "invalidFilter"],
      ["a bad startIndex", () => scim.get("/Users?startIndex=abc"), 400, "invalidValue"],
      ["a bad sortOrder", () => scim.get("/Users?sortBy=userName&sortOrder=sideways"), 400, "invalidValue"],
      ["an unknown sortBy", () => scim.get("/Users?sortBy=shoeSize"), 400, "invalidValue"],
      ["PATCH without Operations", () => t().call("PATCH", "/scim/v2/Users/usr_x", { token: scim.token, body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"] }, headers: { "content-type": "application/scim+json" } }), 400, "invalidSyntax"],
      ["an unknown endpoint", () => scim.get("/Bulk"), 404, undefined],
      ["an unsupported content type", () => t().call("POST", "/scim/v2/Users", { token: scim.token, body: "userName=x", headers: { "content-type": "application/x-www-form-urlencoded" } }), 415, undefined],
    ];
    for (const [name, call, status, scimType] of cases) {
      const r = await call();
      assert.equal(r.status, status, `${name}: ${r.status} ${JSON.stringify(r.body)}`);
      assert.deepEqual(r.body.schemas, [ERROR_URN], name);
      assert.equal(r.body.status, String(status), name);
      assert.equal(r.body.scimType, scimType, name);
      assert.equal(typeof r.body.detail, "string", name);
    }
    const users = await scim.get("/Users");
    assert.equal(users.body.totalResults, 1, "only the account's admin: nothing was written");
  });
});
