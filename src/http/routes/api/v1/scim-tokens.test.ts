import assert from "node:assert/strict";
import { test } from "node:test";
import { eachBackend } from "../../../../../test/support/suite.js";

eachBackend("SCIM tokens API", ({ t }) => {
  test("an admin creates a token (shown once, stored hashed), lists and revokes it; audited", async () => {
    const account = await t().account();
    const token = account.admin.token;
    const created = await t().call("POST", "/api/v1/scim-tokens", { token, body: { name: " Okta production " } });
    assert.equal(created.status, 201);
    assert.match(created.body.id, /^tok_/);
    assert.equal(created.body.name, "Okta production");
    assert.match(created.body.token, /^sks_.{40,}/);
    assert.ok(Date.parse(created.body.createdAt));

    const stored = await t().database.db.selectFrom("auth_tokens").selectAll().where("id", "=", created.body.id).executeTakeFirstOrThrow();
    assert.notEqual(stored.token_hash, created.body.token, "only a hash is stored");
    assert.equal(JSON.stringify(stored).includes(created.body.token), false);

    const list = await t().call("GET", "/api/v1/scim-tokens", { token });
    assert.equal(list.status, 200);
    assert.deepEqual(list.body, { items: [{ id: created.body.id, name: "Okta production", createdAt: created.body.createdAt, lastUsedAt: null }], nextCursor: null });

    assert.equal((await t().call("GET", "/scim/v2/Users", { token: created.body.token })).status, 200);
    const used = await t().call("GET", "/api/v1/scim-tokens", { token });
    assert.ok(Date.parse(used.body.items[0].lastUsedAt!));

    assert.equal((await t().call("DELETE", `/api/v1/scim-tokens/${created.body.id}`, { token })).status, 204);
    assert.deepEqual((await t().call("GET", "/api/v1/scim-tokens", { token })).body.items, []);
    assert.equal((await t().call("DELETE", `/api/v1/scim-tokens/${created.body.id}`, { token })).status, 204, "revoking twice is still 204");
    assert.equal((await t().call("DELETE", "/api/v1/scim-tokens/tok_00000000000000000000000000", { token })).status, 404);
    assert.equal((await t().call("DELETE", "/api/v1/scim-tokens/nonsense", { token })).status, 404);

    const audit = await t().call("GET", "/api/v1/audit?action=scim_token", { token });
    assert.deepEqual(audit.body.items.map((e) => e.action), ["scim_token.revoked", "scim_token.created"]);
    assert.deepEqual(audit.body.items[1].target, { type: "scim_token", id: created.body.id, name: "Okta production" });
  });

  test("an Idempotency-Key never makes the server keep the secret: a retry creates another token", async () => {
    const account = await t().account();
    const token = account.admin.token;
    const headers = { "idempotency-key": "scim-token-retry" };
    const first = await t().call("POST", "/api/v1/scim-tokens", { token, headers, body: { name: "Okta" } });
    const retry = await t().call("POST", "/api/v1/scim-tokens", { token, headers, body: { name: "Okta" } });
    assert.deepEqual([first.status, retry.status], [201, 201]);
    assert.notEqual(retry.body.token, first.body.token);
    const kept = await t().database.db.selectFrom("idempotency_keys").selectAll().execute();
    assert.equal(JSON.stringify(kept).includes(first.body.token), false, "no stored answer holds the secret");
    assert.equal((await t().call("GET", "/api/v1/scim-tokens", { token })).body.items.length, 2);
  });

  test("tokens page with a cursor; another account's token is 404; bad names are 400", async () => {
    const account = await t().account();
    const token = account.admin.token;
    for (const name of ["one", "two", "three"]) await t().call("POST", "/api/v1/scim-tokens", { token, body: { name } });
    const first = await t().call("GET", "/api/v1/scim-tokens?limit=2", { token });
    assert.deepEqual(first.body.items.map((x) => x.name), ["three", "two"]);
    const second = await t().call("GET", `/api/v1/scim-tokens?limit=2&cursor=${first.body.nextCursor}`, { token });
    assert.deepEqual(second.body.items.map((x) => x.name), ["one"]);
    assert.equal(second.body.nextCursor, null);

    const other = await t().account();
    assert.equal((await t().call("DELETE", `/api/v1/scim-tokens/${first.body.items[0].id}`, { token: other.admin.token })).status, 404);
    assert.deepEqual((await t().call("GET", "/api/v1/scim-tokens", { token: other.admin.token })).body.items, []);
    for (const body of [{}, { name: "" }, { name: "   " }, { name: "x".repeat(101) }, { name: "ok", extra: 1 }]) {
      const r = await t().call("POST", "/api/v1/scim-tokens", { token, body });
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body.code, "VALIDATION_FAILED");
    }
  });
});
