// What generic SCIM clients and public conformance suites expect beyond our own first rules
// (issue 10): any userName, users without an email, externalId not unique, every attribute
// written coming back as written, tolerant routing with strict data, and SCIM described in
// /openapi.json. Each rule relaxed here was once refused: these tests keep that evidence.
import assert from "node:assert/strict";
import { test } from "node:test";
import { eachBackend } from "../support/suite.js";
import { TEST_PASSWORD, type ScimJson } from "../support/app.js";
import { ERROR_URN, GROUP_URN, scimClient, uniqueEmail, USER_URN } from "../support/scim.js";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/** RFC 7643 §8.2 and §8.3: the full User representation, as a provider may write it. */
function barbara(userName: string, email: string) {
  return {
    schemas: [USER_URN, ENTERPRISE],
    externalId: "701984",
    userName,
    name: {
      formatted: "Ms. Barbara J Jensen, III",
      familyName: "Jensen",
      givenName: "Barbara",
      middleName: "Jane",
      honorificPrefix: "Ms.",
      honorificSuffix: "III",
    },
    displayName: "Babs Jensen",
    nickName: "Babs",
    profileUrl: "https://login.example.com/bjensen",
    emails: [
      { value: email, type: "work", primary: true },
      { value: "babs@jensen.org", type: "home" },
    ],
    addresses: [
      {
        type: "work", streetAddress: "100 Universal City Plaza", locality: "Hollywood", region: "CA", postalCode: "91608", country: "USA",
        formatted: "100 Universal City Plaza\nHollywood, CA 91608 USA", primary: true,
      },
      { type: "home", streetAddress: "456 Hollywood Blvd", locality: "Hollywood", region: "CA", postalCode: "91608", country: "USA", formatted: "456 Hollywood Blvd\nHollywood, CA 91608 USA" },
    ],
    phoneNumbers: [
      { value: "555-555-5555", type: "work" },
      { value: "555-555-4444", type: "mobile" },
    ],
    ims: [{ value: "someaimhandle", type: "aim" }],
    photos: [
      { value: "https://photos.example.com/profilephoto/72930000000Ccne/F", type: "photo" },
      { value: "https://photos.example.com/profilephoto/72930000000Ccne/T", type: "thumbnail" },
    ],
    userType: "Employee",
    title: "Tour Guide",
    preferredLanguage: "en-US",
    locale: "en-US",
    timezone: "America/Los_Angeles",
    active: true,
    entitlements: [{ value: "tour-desk", display: "Tour desk" }],
    roles: [{ value: "guide", primary: true }],
    x509Certificates: [{ value: "MIIDQzCCAqygAwIBAgICEAAwDQYJKoZIhvcNAQEFBQAwTjELMAkGA1UEBhMCVVMx" }],
    [ENTERPRISE]: {
      employeeNumber: "701984",
      costCenter: "4130",
      organization: "Universal Studios",
      division: "Theme Park",
      department: "Tour Operations",
      manager: { value: "26118915-6090-4610-87e4-49d8ca9f808d", $ref: "../Users/26118915-6090-4610-87e4-49d8ca9f808d" },
    },
  };
}

/** A resource without what the server owns: meta and the read-only groups. */
function written(resource: Record<string, unknown>) {
  const { meta: _meta, groups: _groups, id: _id, ...rest } = resource;
  return rest;
}

eachBackend("SCIM conformance: userName and sign-in email", ({ t }) => {
  test("userName is any string, unique in the account case-insensitively (once: 400 unless an email)", async () => {
    const scim = await scimClient(t());
    const plain = await scim.post("/Users", { schemas: [USER_URN], userName: "bjensen" });
    assert.equal(plain.status, 201, JSON.stringify(plain.body));
    assert.equal(plain.body.userName, "bjensen");
    const spaced = await scim.post("/Users", { schemas: [USER_URN], userName: "barbara jensen", name: { givenName: "Barbara", familyName: "Jensen" } });
    assert.equal(spaced.status, 201, JSON.stringify(spaced.body));
    assert.equal(spaced.body.userName, "barbara jensen");

    const again = await scim.post("/Users", { schemas: [USER_URN], userName: "BJensen", emails: [{ value: uniqueEmail(), primary: true }] });
    assert.equal(again.status, 409);
    assert.equal(again.body.scimType, "uniqueness");
    assert.deepEqual(again.body.schemas, [ERROR_URN]);
    const renamed = await scim.patch(`/Users/${spaced.body.id}`, [{ op: "replace", path: "userName", value: "BJENSEN" }]);
    assert.equal(renamed.status, 409, "a rename onto another user's userName");
    assert.equal(renamed.body.scimType, "uniqueness");

    const found = await scim.get(`/Users?filter=${encodeURIComponent('userName eq "BJENSEN"')}`);
    assert.deepEqual(found.body.Resources.map((u: any) => u.id), [plain.body.id], "userName eq is case-insensitive");
    const other = await scimClient(t());
    assert.equal((await other.post("/Users", { schemas: [USER_URN], userName: "bjensen" })).status, 201, "another account has its own userNames");
  });

  test("a user without an email is provisioned and holds seats, cannot sign in, and can once it has one", async () => {
    const scim = await scimClient(t());
    const admin = scim.account.admin.token;
    const created = await scim.post("/Users", { schemas: [USER_URN], userName: "kiosk-7", displayName: "Kiosk 7", password: TEST_PASSWORD });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.id;
    assert.equal(created.body.emails, undefined);

    const apiUser = await t().call("GET", `/api/v1/users/${id}`, { token: admin });
    assert.equal(apiUser.body.email, null);
    assert.equal(apiUser.body.userName, "kiosk-7");
    assert.equal(apiUser.body.name, "Kiosk 7");
    const listed = await t().call("GET", "/api/v1/users?q=kiosk", { token: admin });
    assert.deepEqual(listed.body.items.map((u: any) => [u.id, u.email]), [[id, null]]);
    assert.equal((await t().call("POST", "/api/v1/auth/login", { body: { email: "kiosk-7", password: TEST_PASSWORD } })).status, 401);

    const product = await t().product();
    await t().subscribe(scim.account, product.slug, 1, 0);
    const group = await scim.group("Kiosks", [id]);
    const mapped = await t().call("PUT", `/api/v1/groups/${group.id}/seat`, { token: admin, body: { product: product.slug, type: "named" } });
    assert.equal(mapped.status, 200, JSON.stringify(mapped.body));
    assert.deepEqual((await t().call("GET", `/api/v1/users/${id}`, { token: admin })).body.seats.map((s: any) => [s.product, s.type]), [[product.slug, "named"]]);

    const email = uniqueEmail("kiosk");
    const given = await scim.patch(`/Users/${id}`, [{ op: "Add", path: 'emails[type eq "work"].value', value: email }]);
    assert.equal(given.status, 200, JSON.stringify(given.body));
    assert.equal((await t().call("GET", `/api/v1/users/${id}`, { token: admin })).body.email, email);
    assert.equal((await t().call("POST", "/api/v1/auth/login", { body: { email, password: TEST_PASSWORD } })).status, 200);

    const taken = await scim.patch(`/Users/${id}`, [{ op: "remove", path: "emails" }]);
    assert.equal(taken.status, 200);
    assert.equal((await t().call("GET", `/api/v1/users/${id}`, { token: admin })).body.email, null);
    assert.equal((await t().call("POST", "/api/v1/auth/login", { body: { email, password: TEST_PASSWORD } })).status, 401, "its former email no longer signs in");
    assert.equal(
      (await t().call("POST", "/api/v1/users", { token: admin, body: { email, name: "Reuse", role: "agent" } })).status,
      201,
      "and is free for someone else",
    );
  });

  test("the sign-in email: the primary email, else the first work email, else userName when it is an email", async () => {
    const scim = await scimClient(t());
    const signIn = async (body: Record<string, unknown>) => {
      const r = await scim.post("/Users", { schemas: [USER_URN], ...body });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return (await t().call("GET", `/api/v1/users/${r.body.id}`, { token: scim.account.admin.token })).body.email;
    };
    const [home, work1, work2, asUserName] = [uniqueEmail("home"), uniqueEmail("work1"), uniqueEmail("work2"), uniqueEmail("name")];
    assert.equal(await signIn({ userName: "p1", emails: [{ value: home, type: "home" }, { value: work1, type: "work" }, { value: work2, type: "Work" }] }), work1);
    assert.equal(await signIn({ userName: "p2", emails: [{ value: work2, type: "work" }, { value: home, type: "home", primary: "True" }] }), home);
    assert.equal(await signIn({ userName: asUserName, emails: [{ value: uniqueEmail("other"), type: "other" }] }), asUserName);
    assert.equal(await signIn({ userName: "p4", emails: [{ value: "proxy:not-an-address", type: "other" }] }), null, "other addresses are kept, never checked");
  });

  test("a userName an API user's email already is, or an email a SCIM userName is, is refused both ways", async () => {
    const scim = await scimClient(t());
    const admin = scim.account.admin.token;
    const apiEmail = uniqueEmail("api");
    const apiUser = await t().call("POST", "/api/v1/users", { token: admin, body: { email: apiEmail, name: "Api User", role: "agent" } });
    assert.equal(apiUser.status, 201);
    const viaScim = await scim.get(`/Users?filter=${encodeURIComponent(`userName eq "${apiEmail}"`)}`);
    assert.deepEqual(viaScim.body.Resources.map((u: any) => [u.id, u.userName, u.emails]), [[apiUser.body.id, apiEmail, [{ value: apiEmail, type: "work", primary: true }]]], "a user SCIM never wrote: userName is its email");
    const clash = await scim.post("/Users", { schemas: [USER_URN], userName: apiEmail.toUpperCase(), emails: [{ value: uniqueEmail(), primary: true }] });
    assert.equal(clash.status, 409);

    const scimName = uniqueEmail("scimname");
    assert.equal((await scim.post("/Users", { schemas: [USER_URN], userName: scimName, emails: [{ value: uniqueEmail("elsewhere"), primary: true }] })).status, 201);
    const made = await t().call("POST", "/api/v1/users", { token: admin, body: { email: scimName, name: "Clash", role: "agent" } });
    assert.equal(made.status, 409);
    assert.equal(made.body.code, "EMAIL_TAKEN");
    const moved = await t().call("PATCH", `/api/v1/users/${apiUser.body.id}`, { token: admin, body: { email: scimName } });
    assert.equal(moved.status, 409, "nor by changing an email");
    assert.equal(moved.body.code, "EMAIL_TAKEN");
    assert.equal((await t().call("GET", `/api/v1/users/${apiUser.body.id}`, { token: admin })).body.email, apiEmail, "nothing changed");
  });
});

eachBackend("SCIM conformance: attributes come back as written", ({ t }) => {
  test("POST then PUT the RFC 7643 full User: GET equals what was sent (once most were dropped)", async () => {
    const scim = await scimClient(t());
    const email = uniqueEmail("bjensen");
    const sent = barbara("bjensen", email);
    const created = await scim.post("/Users", { ...sent, password: "t1meMa$heen", groups: [], meta: { resourceType: "User" } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const expected = { ...sent, [ENTERPRISE]: { ...sent[ENTERPRISE] } };
    assert.deepEqual(written(created.body), expected);
    assert.deepEqual(written((await scim.get(`/Users/${created.body.id}`)).body), expected);

    const replaced = {
      ...sent,
      title: "Senior Tour Guide",
      phoneNumbers: [{ value: "555-555-3333", type: "fax", display: "Fax" }],
      addresses: undefined,
      name: { formatted: "Barbara Jensen", givenName: "Barbara", familyName: "Jensen" },
      [ENTERPRISE]: { department: "Tours", manager: { value: "m-2", displayName: "read-only, not kept" } },
    };
    const put = await scim.put(`/Users/${created.body.id}`, replaced);
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const { addresses: _dropped, ...rest } = replaced;
    const expectedAfterPut = { ...rest, [ENTERPRISE]: { department: "Tours", manager: { value: "m-2" } } };
    assert.deepEqual(written(put.body), expectedAfterPut);
    assert.deepEqual(written((await scim.get(`/Users/${created.body.id}`)).body), expectedAfterPut, "PUT replaces: addresses are gone");
    const apiView = (await t().call("GET", `/api/v1/users/${created.body.id}`, { token: scim.account.admin.token })).body;
    assert.deepEqual([apiView.name, apiView.email], ["Babs Jensen", email], "Seatkeeper acts on displayName and the primary email");
  });

  test("/Schemas describes every attribute a User comes back with", async () => {
    const scim = await scimClient(t());
    const user = (await scim.post("/Users", barbara("schema-walk", uniqueEmail()))).body;
    const schemas = (await scim.get("/Schemas")).body.Resources as any[];
    const byId = new Map(schemas.map((s) => [s.id, s.attributes]));
    const check = (value: unknown, attributes: any[], path: string) => {
      for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
        const definition = attributes.find((a) => a.name === key);
        assert.ok(definition, `${path}${key} is described by /Schemas`);
        if (definition.type !== "complex") continue;
        for (const element of Array.isArray(v) ? v : [v]) check(element, definition.subAttributes, `${path}${key}.`);
      }
    };
    const { schemas: _s, id: _i, externalId: _e, meta: _m, [ENTERPRISE]: enterprise, ...core } = user;
    check(core, byId.get(USER_URN), "");
    check(enterprise, byId.get(ENTERPRISE), `${ENTERPRISE}:`);
  });

  test("PATCH add, replace and remove on kept attributes, with value filters; a new primary demotes the old one", async () => {
    const scim = await scimClient(t());
    const admin = scim.account.admin.token;
    const user = (await scim.post("/Users", barbara("patchy", uniqueEmail("patchy")))).body;
    const newPrimary = uniqueEmail("new");
    const r = await scim.patch(`/Users/${user.id}`, [
      { op: "replace", path: 'phoneNumbers[type eq "mobile"].value', value: "555-555-0000" },
      { op: "add", path: "phoneNumbers", value: [{ value: "555-555-3333", type: "fax" }] },
      { op: "remove", path: 'phoneNumbers[type eq "work"]' },
      { op: "replace", path: 'addresses[type eq "work"].postalCode', value: "91609" },
      { op: "add", path: "emails", value: [{ value: newPrimary, type: "other", primary: true }] },
      { op: "replace", path: "title", value: "Senior Tour Guide" },
      { op: "remove", path: "nickName" },
      { op: "replace", path: "name", value: { middleName: "J." } },
      { op: "replace", value: { "name.givenName": "Barb", [`${ENTERPRISE}:employeeNumber`]: "9999", preferredLanguage: "fr-FR" } },
      { op: "remove", path: `${ENTERPRISE}:department` },
      { op: "add", path: "ims", value: { value: "babs-xmpp", type: "xmpp" } },
    ]);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const b = r.body;
    assert.deepEqual(b.phoneNumbers, [{ value: "555-555-0000", type: "mobile" }, { value: "555-555-3333", type: "fax" }]);
    assert.equal(b.addresses.find((a: any) => a.type === "work").postalCode, "91609");
    assert.equal(b.addresses.find((a: any) => a.type === "home").postalCode, "91608");
    assert.deepEqual(b.emails.map((e: any) => [e.type, e.primary ?? null]), [["work", false], ["home", null], ["other", true]], "RFC 7644 §3.5.2: the old primary is false");
    assert.equal(b.title, "Senior Tour Guide");
    assert.equal(b.nickName, undefined);
    assert.deepEqual(b.name, { formatted: "Ms. Barbara J Jensen, III", familyName: "Jensen", givenName: "Barb", middleName: "J.", honorificPrefix: "Ms.", honorificSuffix: "III" }, "a complex replace keeps the sub-attributes not named");
    assert.equal(b.preferredLanguage, "fr-FR");
    assert.equal(b[ENTERPRISE].employeeNumber, "9999");
    assert.equal(b[ENTERPRISE].department, undefined);
    assert.equal(b[ENTERPRISE].costCenter, "4130");
    assert.deepEqual(b.ims, [{ value: "someaimhandle", type: "aim" }, { value: "babs-xmpp", type: "xmpp" }]);
    assert.deepEqual(written((await scim.get(`/Users/${user.id}`)).body), written(b), "GET after PATCH is the PATCH's answer");
    assert.equal((await t().call("GET", `/api/v1/users/${user.id}`, { token: admin })).body.email, newPrimary, "the new primary email signs in");

    const bad = await scim.patch(`/Users/${user.id}`, [{ op: "add", path: "phoneNumbers", value: [{ value: { nested: true } }] }]);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.scimType, "invalidValue");
    assert.deepEqual((await scim.get(`/Users/${user.id}`)).body.phoneNumbers, b.phoneNumbers, "a refused PATCH writes nothing");
  });

  test("Entra ID's manager: a bare id, a list of one, or a path without the extension's URN", async () => {
    const scim = await scimClient(t());
    const user = (await scim.post("/Users", { schemas: [USER_URN], userName: "managed" })).body;
    let r = await scim.patch(`/Users/${user.id}`, [{ op: "Add", path: `${ENTERPRISE}:manager`, value: "boss-1" }]);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body[ENTERPRISE], { manager: { value: "boss-1" } });
    assert.ok(r.body.schemas.includes(ENTERPRISE));
    r = await scim.patch(`/Users/${user.id}`, [{ op: "Add", path: "manager", value: [{ $ref: null, value: "boss-2" }] }]);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body[ENTERPRISE], { manager: { value: "boss-2" } });
    const filtered = await scim.get(`/Users?filter=${encodeURIComponent('manager.value eq "boss-2"')}`);
    assert.deepEqual(filtered.body.Resources.map((u: any) => u.id), [user.id]);
  });

  test("unknown attributes and extensions are ignored, not refused, and never returned", async () => {
    const scim = await scimClient(t());
    const r = await scim.post("/Users", {
      schemas: [USER_URN, "urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User"],
      userName: "tagged",
      shoeSize: 44,
      "urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User": { tag: "701984" },
      addresses: null,
      phoneNumbers: [],
      title: null,
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.deepEqual(Object.keys(r.body).sort(), ["active", "groups", "id", "meta", "schemas", "userName"]);
    assert.deepEqual(r.body.schemas, [USER_URN]);
  });
});

eachBackend("SCIM conformance: tolerant routing, strict data", ({ t }) => {
  test("resource names in any case and trailing slashes reach the same handlers (once 404)", async () => {
    const scim = await scimClient(t());
    const user = (await scim.post("/Users", { schemas: [USER_URN], userName: "router" })).body;
    const get = (url: string) => t().call<ScimJson>("GET", url, { token: scim.token });
    const filter = encodeURIComponent('userName eq "router"');
    for (const url of [`/scim/v2/users?filter=${filter}`, `/scim/v2/Users/?filter=${filter}`, `/SCIM/V2/USERS/?filter=${filter}`]) {
      const r = await get(url);
      assert.equal(r.status, 200, url);
      assert.deepEqual(r.body.Resources.map((u: any) => u.id), [user.id], url);
    }
    for (const url of [`/scim/v2/users/${user.id}`, `/scim/v2/Users/${user.id}/`]) assert.equal((await get(url)).body.id, user.id, url);
    assert.equal((await get(`/scim/v2/Users/${user.id.toUpperCase()}`)).status, 404, "ids keep their case");
    for (const url of ["/scim/v2/groups", "/scim/v2/groups/", "/scim/v2/serviceproviderconfig", "/scim/v2/ServiceProviderConfig/", "/scim/v2/resourcetypes", "/scim/v2/resourcetypes/user", `/scim/v2/schemas/${USER_URN}`]) {
      assert.equal((await get(url)).status, 200, url);
    }

    const posted = await t().call("POST", "/scim/v2/groups/", { token: scim.token, body: { schemas: [GROUP_URN], displayName: "Lower" }, headers: { "content-type": "application/scim+json" } });
    assert.equal(posted.status, 201);
    const patched = await t().call("PATCH", `/scim/v2/users/${user.id}/`, {
      token: scim.token,
      body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "Replace", path: "title", value: "Router" }] },
    });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.title, "Router");
    assert.equal((await t().call("DELETE", `/scim/v2/groups/${posted.body.id}/`, { token: scim.token })).status, 204);

    const bad = await t().call("POST", "/scim/v2/users/", { token: scim.token, body: { schemas: [USER_URN], userName: 42 } });
    assert.equal(bad.status, 400, "bad data through a tolerant route is still a SCIM error");
    assert.deepEqual(bad.body.schemas, [ERROR_URN]);
    assert.equal(bad.body.scimType, "invalidValue");
    const nothing = await get("/scim/v2/bulk");
    assert.equal(nothing.status, 404);
    assert.deepEqual(nothing.body.schemas, [ERROR_URN]);
    assert.equal((await t().call("GET", "/api/v1/USERS", { token: scim.account.admin.token })).status, 404, "the rest of the API keeps exact paths");
  });
});

eachBackend("SCIM conformance: /openapi.json describes SCIM", ({ t }) => {
  test("every SCIM route has its parameters, and every write its request body, in the SCIM media types", async () => {
    const r = await t().call("GET", "/openapi.json");
    assert.equal(r.status, 200);
    const doc = typeof r.body === "string" ? JSON.parse(r.body) : r.body;
    const op = (path: string, method: string) => {
      const found = doc.paths[path]?.[method];
      assert.ok(found, `${method} ${path} is documented`);
      return found;
    };
    const params = (o: any, where: string) => (o.parameters ?? []).filter((p: any) => p.in === where).map((p: any) => p.name).sort();
    const LIST = ["attributes", "count", "excludedAttributes", "filter", "sortBy", "sortOrder", "startIndex"];
    for (const resource of ["Users", "Groups"]) {
      assert.deepEqual(params(op(`/scim/v2/${resource}`, "get"), "query"), LIST, resource);
      assert.deepEqual(params(op(`/scim/v2/${resource}/{id}`, "get"), "query"), ["attributes", "excludedAttributes"]);
      for (const [path, method] of [[`/scim/v2/${resource}`, "post"], [`/scim/v2/${resource}/{id}`, "put"], [`/scim/v2/${resource}/{id}`, "patch"]]) {
        const body = op(path, method).requestBody;
        assert.deepEqual(Object.keys(body?.content ?? {}).sort(), ["application/json", "application/scim+json"], `${method} ${path}`);
        assert.ok(body.content["application/scim+json"].schema, `${method} ${path} has a schema`);
      }
      for (const method of ["get", "put", "patch", "delete"]) assert.deepEqual(params(op(`/scim/v2/${resource}/{id}`, method), "path"), ["id"]);
    }
    const user = op("/scim/v2/Users", "post").requestBody.content["application/scim+json"].schema;
    assert.deepEqual(user.required, ["userName"]);
    for (const name of ["emails", "phoneNumbers", "addresses", "title", "preferredLanguage", ENTERPRISE]) assert.ok(user.properties[name], name);
    const patch = op("/scim/v2/Users/{id}", "patch").requestBody.content["application/scim+json"].schema;
    assert.deepEqual(patch.required, ["Operations"]);
    for (const path of ["/scim/v2/ServiceProviderConfig", "/scim/v2/ResourceTypes", "/scim/v2/Schemas"]) op(path, "get");
  });
});
