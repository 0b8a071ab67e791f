import assert from "node:assert/strict";
import { test } from "node:test";
import { eachBackend } from "../../../../../test/support/suite.js";
import { TEST_PASSWORD } from "../../../../../test/support/app.js";

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
