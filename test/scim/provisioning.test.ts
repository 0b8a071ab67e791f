// The provisioning story end to end, through HTTP only: an identity provider creates an
// agent, a group gives it a concurrent seat, the agent works, the IdP suspends it.
import assert from "node:assert/strict";
import { test } from "node:test";
import { eachBackend } from "../support/suite.js";
import { OPERATOR_TOKEN, TEST_PASSWORD } from "../support/app.js";
import { GROUP_URN, scimClient, uniqueEmail, USER_URN } from "../support/scim.js";

const PRODUCT = "remote-support-v5";

eachBackend("SCIM provisioning story", ({ t }) => {
  test("create → group seat → sign-in and session → active:false ends the session and the agent's access", async () => {
    const made = await t().call("POST", "/api/v1/products", { token: OPERATOR_TOKEN, body: { slug: PRODUCT, name: "Remote Support v5" } });
    assert.ok(made.status === 201 || made.status === 409);
    const scim = await scimClient(t());
    const admin = scim.account.admin.token;
    await t().subscribe(scim.account, PRODUCT, 2, 3);

    const email = uniqueEmail("agent.story");
    const created = await scim.post("/Users", { schemas: [USER_URN], userName: email, name: { givenName: "Sam", familyName: "Story" }, password: TEST_PASSWORD, active: true });
    assert.equal(created.status, 201);
    const group = await scim.post("/Groups", { schemas: [GROUP_URN], displayName: "Remote Support agents" });
    const mapped = await t().call("PUT", `/api/v1/groups/${group.body.id}/seat`, { token: admin, body: { product: PRODUCT, type: "concurrent" } });
    assert.equal(mapped.status, 200);
    const joined = await scim.patch(`/Groups/${group.body.id}`, [{ op: "add", path: "members", value: [{ value: created.body.id }] }]);
    assert.equal(joined.status, 200);

    const login = await t().call("POST", "/api/v1/auth/login", { body: { email, password: TEST_PASSWORD, app: "desktop" } });
    assert.equal(login.status, 200, JSON.stringify(login.body));
    assert.equal(login.body.user.role, "agent");
    const agent = login.body.token;
    const seats = await t().call("GET", "/api/v1/me/seats", { token: agent });
    assert.deepEqual(seats.body.items.map((s: any) => [s.product, s.type, s.status]), [[PRODUCT, "concurrent", "available"]]);
    const session = await t().call("POST", "/api/v1/me/sessions", { token: agent, body: { product: PRODUCT } });
    assert.equal(session.status, 201, JSON.stringify(session.body));
    const shared = await t().call("GET", `/api/v1/shared-sessions?product=${PRODUCT}`, { token: admin });
    assert.deepEqual(shared.body.items.map((s: any) => s.user.email), [email]);
    const line = async () => (await t().call("GET", "/api/v1/subscription", { token: admin })).body.items.find((i) => i.product === PRODUCT)!;
    assert.equal((await line()).concurrent.occupied, 1);

    const suspended = await scim.patch(`/Users/${created.body.id}`, [{ op: "Replace", path: "active", value: "False" }]);
    assert.equal(suspended.status, 200);
    assert.equal(suspended.body.active, false);

    assert.deepEqual((await t().call("GET", `/api/v1/shared-sessions?product=${PRODUCT}`, { token: admin })).body.items, []);
    assert.equal((await line()).concurrent.occupied, 0);
    assert.equal((await t().call("GET", "/api/v1/me/seats", { token: agent })).status, 401, "the agent's next call fails");
    assert.equal((await t().call("POST", "/api/v1/auth/login", { body: { email, password: TEST_PASSWORD } })).status, 401);
    const user = await t().call("GET", `/api/v1/users/${created.body.id}`, { token: admin });
    assert.deepEqual(user.body.seats, [], "the group's seat is revoked while the user is suspended");

    const restored = await scim.patch(`/Users/${created.body.id}`, [{ op: "replace", value: { active: "True" } }]);
    assert.equal(restored.body.active, true);
    const back = await t().call("GET", `/api/v1/users/${created.body.id}`, { token: admin });
    assert.deepEqual(back.body.seats, [{ product: PRODUCT, type: "concurrent", source: "scim_group" }], "reactivated, it is still in the group");

    assert.equal((await scim.delete(`/Users/${created.body.id}`)).status, 204);
    assert.equal((await t().call("GET", "/api/v1/groups", { token: admin })).body.items[0].memberCount, 0);
  });
});
