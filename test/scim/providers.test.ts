// The call sequences Microsoft Entra ID and Okta make, with the request bodies of their
// published documentation (copied where the documents give them; ids are ours):
// - Entra ID: https://learn.microsoft.com/en-us/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups
//   ("SCIM protocol requests and responses"), and the bodies Entra sends without the
//   aadOptscim062020 flag (string booleans, "Replace", member removal by value):
//   https://learn.microsoft.com/en-us/entra/identity/app-provisioning/application-provisioning-config-problem-scim-compatibility
// - Okta: https://developer.okta.com/docs/api/openapi/okta-scim/guides/scim-20
import assert from "node:assert/strict";
import { test } from "node:test";
import { eachBackend } from "../support/suite.js";
import { scimClient, type ScimClient } from "../support/scim.js";
import type { TestApp } from "../support/app.js";

const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/** A PatchOp body exactly as the provider writes it (schemas after or before Operations). */
const patchBody = (scim: ScimClient, t: TestApp, path: string, body: unknown) =>
  t.call("PATCH", `/scim/v2${path}`, { token: scim.token, body, headers: { "content-type": "application/scim+json" } });

async function namedSeats(t: TestApp, scim: ScimClient, slug: string): Promise<number> {
  const subscription = await t.call("GET", "/api/v1/subscription", { token: scim.account.admin.token });
  return subscription.body.items.find((l: any) => l.product === slug)!.named.assigned;
}

eachBackend("Microsoft Entra ID's provisioning calls", ({ t }) => {
  test("query by userName, create, PATCH in Entra's dialect, group members in batches, disable with \"False\", delete", async () => {
    const scim = await scimClient(t());
    const userName = "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee";
    const filter = (value: string) => `/Users?filter=${encodeURIComponent(`userName eq "${value}"`)}`;

    // Test Connection and matching: a user that does not exist is an empty ListResponse.
    const none = await scim.get(filter(userName));
    assert.equal(none.status, 200);
    assert.deepEqual([none.body.totalResults, none.body.Resources], [0, []]);

    const created = await scim.post("/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
      externalId: "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
      userName,
      active: true,
      emails: [{ primary: true, type: "work", value: "Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com" }],
      meta: { resourceType: "User" },
      name: { formatted: "givenName familyName", familyName: "familyName", givenName: "givenName" },
      roles: [],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.id;
    assert.equal(created.body.userName, userName, "a userName that is not an email");
    assert.deepEqual(created.body.name, { formatted: "givenName familyName", familyName: "familyName", givenName: "givenName" });
    assert.deepEqual(created.body.emails, [{ primary: true, type: "work", value: "Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com" }]);
    const found = await scim.get(filter(userName));
    assert.deepEqual(found.body.Resources.map((u: any) => u.id), [id]);
    const byWorkEmail = await scim.get(`/Users?filter=${encodeURIComponent('emails[type eq "work"].value eq "test_user_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com"')}`);
    assert.deepEqual(byWorkEmail.body.Resources.map((u: any) => u.id), [id], "Entra may match on the work email");

    // Update User [Multi-valued properties] and [Single-valued properties].
    let r = await patchBody(scim, t(), `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: "Replace", path: 'emails[type eq "work"].value', value: "updatedEmail@microsoft.com" },
        { op: "Replace", path: "name.familyName", value: "updatedFamilyName" },
      ],
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.emails[0].value, "updatedEmail@microsoft.com");
    assert.equal(r.body.name.familyName, "updatedFamilyName");
    r = await patchBody(scim, t(), `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: "Replace", path: "userName", value: "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com" }] });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.userName, "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com");
    const apiUser = await t().call("GET", `/api/v1/users/${id}`, { token: scim.account.admin.token });
    assert.equal(apiUser.body.email, "updatedEmail@microsoft.com", "the sign-in email is the primary email, not the userName");

    // Requests to replace multiple attributes, without and with the aadOptscim062020 flag.
    r = await patchBody(scim, t(), `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: "Replace", path: "displayName", value: "Pvlo" },
        { op: "Replace", path: 'emails[type eq "work"].value', value: "TestBcwqnm@test.microsoft.com" },
        { op: "Replace", path: "name.givenName", value: "Gtfd" },
        { op: "Replace", path: "name.familyName", value: "Pkqf" },
        { op: "Replace", path: "externalId", value: "Eqpj" },
        { op: "Replace", path: `${ENTERPRISE}:employeeNumber`, value: "Eqpj" },
      ],
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual([r.body.displayName, r.body.name.givenName, r.body.externalId, r.body[ENTERPRISE].employeeNumber], ["Pvlo", "Gtfd", "Eqpj", "Eqpj"]);
    r = await patchBody(scim, t(), `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: "replace", path: 'emails[type eq "work"].value', value: "TestMhvaes@test.microsoft.com" },
        { op: "replace", value: { displayName: "Bjfe", "name.givenName": "Kkom", "name.familyName": "Unua", [`${ENTERPRISE}:employeeNumber`]: "Aklq" } },
      ],
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual([r.body.displayName, r.body.name.givenName, r.body.name.familyName, r.body[ENTERPRISE].employeeNumber], ["Bjfe", "Kkom", "Unua", "Aklq"]);
    assert.equal(r.body.name.formatted, "givenName familyName", "name.formatted is kept as written");
    // Requests made to add a single-value string attribute (nickName).
    r = await patchBody(scim, t(), `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: "Add", path: "nickName", value: "Babs" }] });
    assert.equal(r.body.nickName, "Babs");

    // Groups: created with no members, members added in batches, read without members.
    const product = await t().product();
    await t().subscribe(scim.account, product.slug, 5, 0);
    const group = await scim.post("/Groups", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group", "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
      externalId: "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
      displayName: "displayName",
      meta: { resourceType: "Group" },
    });
    assert.equal(group.status, 201, JSON.stringify(group.body));
    assert.deepEqual(group.body.members, []);
    const mapped = await t().call("PUT", `/api/v1/groups/${group.body.id}/seat`, { token: scim.account.admin.token, body: { product: product.slug, type: "named" } });
    assert.equal(mapped.status, 200);
    const others = [];
    for (let i = 0; i < 4; i++) others.push((await scim.user(`entra-batch-${i}`)).id);
    for (const batch of [[id, others[0]], [others[1], others[2], others[3]]]) {
      const added = await patchBody(scim, t(), `/Groups/${group.body.id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: "Add", path: "members", value: batch.map((value) => ({ $ref: null, value })) }],
      });
      assert.equal(added.status, 200, JSON.stringify(added.body));
    }
    assert.equal(await namedSeats(t(), scim, product.slug), 5, "each member got the group's named seat");
    const withoutMembers = await scim.get(`/Groups/${group.body.id}?excludedAttributes=members`);
    assert.equal(withoutMembers.status, 200);
    assert.equal(withoutMembers.body.members, undefined);
    const byName = await scim.get(`/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "displayName"')}`);
    assert.deepEqual(byName.body.Resources.map((g: any) => [g.id, g.members]), [[group.body.id, undefined]]);
    r = await patchBody(scim, t(), `/Groups/${group.body.id}`, { schemas: [PATCH_OP], Operations: [{ op: "Replace", path: "displayName", value: "1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName" }] });
    assert.equal(r.status, 200);
    // Update Group [Remove Members]: with a list of values (without the flag) and by filter (with it).
    r = await patchBody(scim, t(), `/Groups/${group.body.id}`, { schemas: [PATCH_OP], Operations: [{ op: "Remove", path: "members", value: [{ $ref: null, value: others[0] }] }] });
    assert.equal(r.status, 200);
    r = await patchBody(scim, t(), `/Groups/${group.body.id}`, { schemas: [PATCH_OP], Operations: [{ op: "remove", path: `members[value eq "${others[1]}"]` }] });
    assert.equal(r.status, 200);
    assert.deepEqual((await scim.get(`/Groups/${group.body.id}`)).body.members.map((m: any) => m.value).sort(), [id, others[2], others[3]].sort());
    assert.equal(await namedSeats(t(), scim, product.slug), 3, "members who left lost the seat");

    // Disable User: Entra's "False" string with "Replace", then back with "True".
    r = await patchBody(scim, t(), `/Users/${id}`, { Operations: [{ op: "Replace", path: "active", value: "False" }], schemas: [PATCH_OP] });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.active, false);
    const disabled = await scim.get(filter("5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com"));
    assert.equal(disabled.body.Resources[0].active, false, "a disabled user is still returned, with active");
    assert.equal(await namedSeats(t(), scim, product.slug), 2, "its seat is freed");
    r = await patchBody(scim, t(), `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: "Replace", path: "active", value: "True" }] });
    assert.equal(r.body.active, true);
    assert.equal(await namedSeats(t(), scim, product.slug), 3, "reactivated, it gets its group's seat back");

    assert.equal((await scim.delete(`/Users/${id}`)).status, 204);
    assert.equal((await scim.get(`/Users/${id}`)).status, 404);
    assert.equal((await scim.delete(`/Groups/${group.body.id}`)).status, 204);
    assert.equal(await namedSeats(t(), scim, product.slug), 0);
  });
});

eachBackend("Okta's provisioning calls", ({ t }) => {
  test("query by userName, create, import, PUT updates, deactivate by PATCH and by PUT with active:false, push groups", async () => {
    const scim = await scimClient(t());
    const lookup = await scim.get(`/Users?filter=${encodeURIComponent('userName eq "test.user@okta.local"')}&startIndex=1&count=100`);
    assert.equal(lookup.status, 200);
    assert.deepEqual(lookup.body, { schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });

    const body = {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: "test.user@okta.local",
      name: { givenName: "Test", familyName: "User" },
      emails: [{ primary: true, value: "test.user@okta.local", type: "work" }],
      displayName: "Test User",
      locale: "en-US",
      externalId: "00ujl29u0le5T6Aj10h7",
      groups: [],
      password: "1mz050nq",
      active: true,
    };
    const created = await scim.post("/Users", body);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.id;
    const { password: _password, ...returned } = body;
    assert.deepEqual({ ...created.body, id: undefined, meta: undefined }, { ...returned, id: undefined, meta: undefined }, "the response is the created user, without the password");
    const again = await scim.post("/Users", body);
    assert.equal(again.status, 409, "a user that already exists stops the job with a 409");

    const imported = await scim.get("/Users?startIndex=1&count=100");
    assert.ok(imported.body.Resources.some((u: any) => u.id === id));
    assert.equal(typeof imported.body.totalResults, "number");

    const signedIn = await t().call("POST", "/api/v1/auth/login", { body: { email: "test.user@okta.local", password: "1mz050nq" } });
    assert.equal(signedIn.status, 200, "Okta's password signs in");

    // Update a specific User (PUT): GET, change, PUT the whole user back.
    const current = await scim.get(`/Users/${id}`);
    const put = {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      id,
      userName: "test.user@okta.local",
      name: { givenName: "Another", middleName: "Excited", familyName: "User" },
      emails: [{ primary: true, value: "test.user@okta.local", type: "work", display: "test.user@okta.local" }],
      active: true,
      groups: [],
      meta: { resourceType: "User" },
    };
    assert.equal(current.status, 200);
    const updated = await scim.put(`/Users/${id}`, put);
    assert.equal(updated.status, 200, JSON.stringify(updated.body));
    const after = await scim.get(`/Users/${id}`);
    assert.deepEqual(after.body.name, put.name, "middleName is kept");
    assert.deepEqual(after.body.emails, put.emails, "emails come back with their display");
    assert.equal(after.body.locale, undefined, "PUT replaces: what was not sent is gone");

    // Deactivating: OIN integrations PATCH; AIW integrations PUT the user with active:false.
    let r = await scim.patch(`/Users/${id}`, [{ op: "replace", value: { active: false } }]);
    assert.equal(r.status, 200);
    assert.equal(r.body.active, false);
    assert.equal((await t().call("GET", "/api/v1/me/seats", { token: signedIn.body.token })).status, 401, "its tokens are revoked");
    r = await scim.patch(`/Users/${id}`, [{ op: "replace", value: { active: true } }]);
    assert.equal(r.body.active, true);
    r = await scim.put(`/Users/${id}`, { ...put, active: false });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const deactivated = await scim.get(`/Users/${id}`);
    assert.equal(deactivated.body.active, false);
    assert.equal((await t().call("GET", `/api/v1/users/${id}`, { token: scim.account.admin.token })).body.active, false);
    assert.equal((await t().call("POST", "/api/v1/auth/login", { body: { email: "test.user@okta.local", password: "1mz050nq" } })).status, 401);

    // Push groups: create, rename by a path-less replace, change members, delete.
    const member = (await scim.user("okta-member@okta.local")).id;
    const group = await scim.post("/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Test SCIMv2", members: [] });
    assert.equal(group.status, 201);
    const gid = group.body.id;
    r = await scim.patch(`/Groups/${gid}`, [{ op: "replace", value: { id: gid, displayName: "Test SCIMv20" } }]);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.displayName, "Test SCIMv20");
    r = await scim.patch(`/Groups/${gid}`, [
      { op: "remove", path: `members[value eq "${member}"]` },
      { op: "add", path: "members", value: [{ value: id, display: "test.user@okta.local" }] },
    ]);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    r = await scim.patch(`/Groups/${gid}`, [{ op: "replace", path: "members", value: [{ value: id, display: "test.user@okta.local" }, { value: member, display: "okta-member@okta.local" }] }]);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.members.map((m: any) => m.value).sort(), [id, member].sort());
    assert.equal((await scim.get(`/Groups?startIndex=1&count=100`)).body.totalResults, 1);
    assert.equal((await scim.delete(`/Groups/${gid}`)).status, 204);
  });
});
