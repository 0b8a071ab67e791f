import assert from "node:assert/strict";
import { test } from "node:test";
import { eachBackend } from "../../../../../test/support/suite.js";
import { TEST_PASSWORD } from "../../../../../test/support/app.js";
import { scimClient } from "../../../../../test/support/scim.js";
import type { Page, User } from "../../../../domain/shapes.js";

eachBackend("users API", ({ t }) => {
  test("an admin adds a user, who then signs in case-insensitively", async () => {
    const account = await t().account();
    const created = await t().call("POST", "/api/v1/users", {
      token: account.admin.token,
      body: { email: "Zoe.Agent@Example.test", name: "Zoé Agent", role: "agent", password: TEST_PASSWORD },
    });
    assert.equal(created.status, 201);
    assert.match(created.body.id, /^usr_/);
    assert.equal(created.body.role, "agent");
    assert.deepEqual(created.body.seats, []);
    assert.equal(JSON.stringify(created.body).includes("scrypt"), false, "no password material in answers");

    const login = await t().call("POST", "/api/v1/auth/login", { body: { email: "zoe.agent@EXAMPLE.test", password: TEST_PASSWORD } });
    assert.equal(login.status, 200);
    assert.equal(login.body.user.id, created.body.id);
    assert.deepEqual(login.body.seatNotices, []);
    const me = await t().call("GET", "/api/v1/account", { token: login.body.token });
    assert.equal(me.status, 200);
    assert.equal(me.body.id, account.id);
  });

  test("an email is unique across accounts, compared case-insensitively", async () => {
    const a = await t().account();
    const b = await t().account();
    const first = await t().call("POST", "/api/v1/users", { token: a.admin.token, body: { email: "same@example.test", name: "One", role: "agent" } });
    assert.equal(first.status, 201);
    const second = await t().call("POST", "/api/v1/users", { token: b.admin.token, body: { email: "SAME@example.test", name: "Two", role: "agent" } });
    assert.equal(second.status, 409);
    assert.equal(second.body.code, "EMAIL_TAKEN");
  });
});

eachBackend("users API: filters, roles and guards", ({ t }) => {
  test("users filter by seat (S8), substring, role and status, with cursor pagination", async () => {
    const account = await t().account();
    const product = await t().product("Remote Support v5");
    await t().subscribe(account, product.slug, 2, 3);
    const named = await t().user(account, { name: "Nadia Named" });
    const shared = [];
    for (const name of ["Carla Concurrent", "Cyril Concurrent", "Chloé Concurrent"]) shared.push(await t().user(account, { name }));
    await t().grant(account, named.id, product.slug, "named");
    for (const u of shared) await t().grant(account, u.id, product.slug, "concurrent");
    await t().user(account, { name: "Nobody Seatless" });

    const concurrent = await t().call("GET", `/api/v1/users?seat=${product.slug}:concurrent`, { token: account.admin.token });
    assert.equal(concurrent.status, 200);
    assert.deepEqual(concurrent.body.items.map((u) => u.name), ["Carla Concurrent", "Chloé Concurrent", "Cyril Concurrent"]);
    assert.deepEqual(concurrent.body.items[0].seats, [{ product: product.slug, type: "concurrent", source: "manual" }]);

    const namedOnly = await t().call("GET", `/api/v1/users?seat=${product.slug}:named`, { token: account.admin.token });
    assert.deepEqual(namedOnly.body.items.map((u) => u.id), [named.id]);

    const q = await t().call("GET", `/api/v1/users?q=${encodeURIComponent("CYRIL")}`, { token: account.admin.token });
    assert.deepEqual(q.body.items.map((u) => u.id), [shared[1].id]);
    const byEmail = await t().call("GET", `/api/v1/users?q=${encodeURIComponent(named.email.slice(0, 10).toUpperCase())}`, { token: account.admin.token });
    assert.ok(byEmail.body.items.some((u) => u.id === named.id));

    const admins = await t().call("GET", "/api/v1/users?role=admin", { token: account.admin.token });
    assert.deepEqual(admins.body.items.map((u) => u.id), [account.admin.id]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/users?limit=2${cursor ? `&cursor=${cursor}` : ""}`;
      const page = await t().call<Page<User>>("GET", url, { token: account.admin.token });
      assert.equal(page.status, 200);
      assert.ok(page.body.items.length <= 2);
      seen.push(...page.body.items.map((u) => u.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    assert.equal(seen.length, 6);
    assert.equal(new Set(seen).size, 6, "pages never repeat a user");
  });

  test("an unknown product in the seat filter is 404; a malformed one 400", async () => {
    const account = await t().account();
    const unknown = await t().call("GET", "/api/v1/users?seat=no-such-product:named", { token: account.admin.token });
    assert.equal(unknown.status, 404);
    const malformed = await t().call("GET", "/api/v1/users?seat=whatever", { token: account.admin.token });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.errors![0].field, "seat");
    const badCursor = await t().call("GET", "/api/v1/users?cursor=garbage", { token: account.admin.token });
    assert.equal(badCursor.status, 400);
    assert.equal(badCursor.body.errors![0].field, "cursor");
  });

  test("the last admin and the last billing contact cannot go", async () => {
    const account = await t().account();
    const demote = await t().call("PATCH", `/api/v1/users/${account.admin.id}`, { token: account.admin.token, body: { role: "manager" } });
    assert.equal(demote.status, 409);
    assert.equal(demote.body.code, "LAST_ADMIN");
    const deactivate = await t().call("PATCH", `/api/v1/users/${account.admin.id}`, { token: account.admin.token, body: { active: false } });
    assert.equal(deactivate.body.code, "LAST_ADMIN");
    const remove = await t().call("DELETE", `/api/v1/users/${account.admin.id}`, { token: account.admin.token });
    assert.equal(remove.body.code, "LAST_ADMIN");

    const second = await t().user(account, { role: "admin" });
    const unbill = await t().call("PATCH", `/api/v1/users/${account.admin.id}`, { token: account.admin.token, body: { billingContact: false } });
    assert.equal(unbill.status, 409);
    assert.equal(unbill.body.code, "LAST_BILLING_CONTACT");
    // Hand the billing duty over, then the first admin may step down.
    const hand = await t().call("PATCH", `/api/v1/users/${second.id}`, { token: account.admin.token, body: { billingContact: true } });
    assert.equal(hand.status, 200);
    assert.equal(hand.body.billingContact, true);
    const stepDown = await t().call("PATCH", `/api/v1/users/${account.admin.id}`, { token: account.admin.token, body: { role: "agent" } });
    assert.equal(stepDown.status, 200);
    assert.equal(stepDown.body.billingContact, false, "demoting an admin ends its billing duty");
  });

  test("only admins can be billing contacts; only admins make admins; managers give only what they hold", async () => {
    const account = await t().account();
    const agent = await t().user(account);
    const bill = await t().call("PATCH", `/api/v1/users/${agent.id}`, { token: account.admin.token, body: { billingContact: true } });
    assert.equal(bill.status, 400);
    assert.equal(bill.body.errors![0].field, "billingContact");

    const manager = await t().user(account, { role: "manager", privileges: ["users:write"] });
    const makeAdmin = await t().call("POST", "/api/v1/users", { token: manager.token, body: { email: "x-admin@example.test", name: "X", role: "admin" } });
    assert.equal(makeAdmin.status, 403);
    const escalate = await t().call("POST", "/api/v1/users", {
      token: manager.token,
      body: { email: "x-mgr@example.test", name: "X", role: "manager", privileges: ["users:write", "seats:manage"] },
    });
    assert.equal(escalate.status, 403);
    const fine = await t().call("POST", "/api/v1/users", {
      token: manager.token,
      body: { email: "x-mgr2@example.test", name: "X", role: "manager", privileges: ["users:write"] },
    });
    assert.equal(fine.status, 201);
    assert.deepEqual(fine.body.privileges, ["users:write"]);
    const touchAdmin = await t().call("PATCH", `/api/v1/users/${account.admin.id}`, { token: manager.token, body: { name: "Renamed" } });
    assert.equal(touchAdmin.status, 403);
  });

  test("deactivating a user revokes its tokens and frees its named seats; reactivating restores nothing", async () => {
    const account = await t().account();
    const product = await t().product();
    await t().subscribe(account, product.slug, 1, 0);
    const agent = await t().user(account);
    await t().grant(account, agent.id, product.slug, "named");
    const off = await t().call("PATCH", `/api/v1/users/${agent.id}`, { token: account.admin.token, body: { active: false } });
    assert.equal(off.status, 200);
    assert.equal(off.body.active, false);
    assert.deepEqual(off.body.seats, []);
    assert.equal((await t().call("GET", "/api/v1/account", { token: agent.token })).status, 401);
    const login = await t().call("POST", "/api/v1/auth/login", { body: { email: agent.email, password: TEST_PASSWORD } });
    assert.equal(login.status, 401);
    assert.equal(login.body.code, "INVALID_CREDENTIALS");
    const sub = await t().call("GET", "/api/v1/subscription", { token: account.admin.token });
    assert.equal(sub.body.items[0].named.assigned, 0);
    const on = await t().call("PATCH", `/api/v1/users/${agent.id}`, { token: account.admin.token, body: { active: true } });
    assert.deepEqual(on.body.seats, []);
  });

  test("a deleted user is gone, its seat free and its email reusable", async () => {
    const account = await t().account();
    const product = await t().product();
    await t().subscribe(account, product.slug, 1, 0);
    const agent = await t().user(account);
    await t().grant(account, agent.id, product.slug, "named");
    assert.equal((await t().call("DELETE", `/api/v1/users/${agent.id}`, { token: account.admin.token })).status, 204);
    assert.equal((await t().call("GET", `/api/v1/users/${agent.id}`, { token: account.admin.token })).status, 404);
    const again = await t().call("POST", "/api/v1/users", { token: account.admin.token, body: { email: agent.email, name: "Again", role: "agent" } });
    assert.equal(again.status, 201);
    await t().grant(account, again.body.id, product.slug, "named");
  });

  test("every user change is audited with actor, action and target", async () => {
    const account = await t().account();
    const created = await t().call("POST", "/api/v1/users", { token: account.admin.token, body: { email: "audited@example.test", name: "Audited", role: "agent" } });
    await t().call("PATCH", `/api/v1/users/${created.body.id}`, { token: account.admin.token, body: { name: "Audited Twice", password: "a new password" } });
    await t().call("DELETE", `/api/v1/users/${created.body.id}`, { token: account.admin.token });
    const audit = await t().call("GET", `/api/v1/audit?action=user`, { token: account.admin.token });
    const mine = audit.body.items.filter((e) => e.target.id === created.body.id);
    assert.deepEqual(mine.map((e) => e.action), ["user.deleted", "user.updated", "user.created"]);
    assert.deepEqual(mine[0].actor, { type: "user", id: account.admin.id, name: "Ada Admin" });
    assert.deepEqual(mine[1].details.changed, ["name", "password"]);
    assert.equal(JSON.stringify(audit.body).includes("a new password"), false);
  });

  test("setting a password ends the user's sign-ins; the new password signs in, the old one no more", async () => {
    const account = await t().account();
    const agent = await t().user(account);
    const otherApp = await t().token(account.id, agent.id, "mobile");
    const changed = await t().call("PATCH", `/api/v1/users/${agent.id}`, { token: account.admin.token, body: { password: "a brand new password" } });
    assert.equal(changed.status, 200);
    for (const token of [agent.token, otherApp]) {
      const r = await t().call("GET", "/api/v1/me/seats", { token });
      assert.equal(r.status, 401);
      assert.equal(r.body.code, "UNAUTHENTICATED");
    }
    assert.equal((await t().call("POST", "/api/v1/auth/login", { body: { email: agent.email, password: TEST_PASSWORD } })).status, 401);
    const login = await t().call("POST", "/api/v1/auth/login", { body: { email: agent.email, password: "a brand new password" } });
    assert.equal(login.status, 200);
    assert.equal((await t().call("GET", "/api/v1/me/seats", { token: login.body.token })).status, 200);

    // A user setting its own password stays signed in where it did so, and nowhere else.
    const elsewhere = await t().token(account.id, account.admin.id);
    const own = await t().call("PATCH", `/api/v1/users/${account.admin.id}`, { token: account.admin.token, body: { password: "the admin's new one" } });
    assert.equal(own.status, 200);
    assert.equal((await t().call("GET", "/api/v1/account", { token: account.admin.token })).status, 200);
    assert.equal((await t().call("GET", "/api/v1/account", { token: elsewhere })).status, 401);
    // A change that sets no password signs nobody out.
    const renamed = await t().call("PATCH", `/api/v1/users/${agent.id}`, { token: account.admin.token, body: { name: "Renamed" } });
    assert.equal(renamed.status, 200);
    assert.equal((await t().call("GET", "/api/v1/me/seats", { token: login.body.token })).status, 200);
  });

  test("a password set by SCIM provisioning (PUT or PATCH) ends the user's sign-ins too", async () => {
    const scim = await scimClient(t());
    const made = await scim.user("provisioned@scim-password.test", { password: "first password!" });
    for (const [i, change] of [
      () => scim.put(`/Users/${made.id}`, { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: made.userName, name: made.name, active: true, password: "second password!" }),
      () => scim.patch(`/Users/${made.id}`, [{ op: "replace", path: "password", value: "third password!" }]),
    ].entries()) {
      const token = await t().token(scim.account.id, made.id);
      const r = await change();
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal((await t().call("GET", "/api/v1/me/seats", { token })).status, 401, `change ${i}`);
    }
    const login = await t().call("POST", "/api/v1/auth/login", { body: { email: made.userName, password: "third password!" } });
    assert.equal(login.status, 200);
  });
});
