// Bad input gets a clear 4xx naming the field, never a 500, and changes nothing.
import assert from "node:assert/strict";
import { test } from "node:test";
import { eachBackend } from "../support/suite.js";
import type { TestAccount } from "../support/app.js";
import type { Problem } from "../../src/domain/shapes.js";

eachBackend("bad input", ({ t }) => {
  async function snapshot(account: TestAccount) {
    const users = await t().call("GET", "/api/v1/users?limit=500", { token: account.admin.token });
    const audit = await t().call("GET", "/api/v1/audit?limit=500", { token: account.admin.token });
    return JSON.stringify([users.body, audit.body.items.length]);
  }

  test("malformed JSON, unknown fields, wrong types and out-of-range numbers are 400 naming the field", async () => {
    const account = await t().account();
    const product = await t().product();
    const before = await snapshot(account);
    const cases: { method: "POST" | "PUT" | "PATCH"; url: string; body: unknown; field: string }[] = [
      { method: "POST", url: "/api/v1/users", body: "{not json", field: "body" },
      { method: "POST", url: "/api/v1/users", body: { email: "a@b.test", name: "A", role: "agent", shoeSize: 42 }, field: "shoeSize" },
      { method: "POST", url: "/api/v1/users", body: { email: "a@b.test", name: 7, role: "agent" }, field: "name" },
      { method: "POST", url: "/api/v1/users", body: { email: "a@b.test", name: "A" }, field: "role" },
      { method: "POST", url: "/api/v1/users", body: { email: "not-an-email", name: "A", role: "agent" }, field: "email" },
      { method: "POST", url: "/api/v1/users", body: { email: "a@b.test", name: "A", role: "agent", password: "short" }, field: "password" },
      { method: "POST", url: "/api/v1/users", body: [1, 2], field: "body" },
      { method: "PUT", url: `/api/v1/subscription/${product.slug}`, body: { named: -1, concurrent: 1 }, field: "named" },
      { method: "PUT", url: `/api/v1/subscription/${product.slug}`, body: { named: 1.5, concurrent: 1 }, field: "named" },
      { method: "PUT", url: `/api/v1/subscription/${product.slug}`, body: { named: "3", concurrent: 1 }, field: "named" },
      { method: "PATCH", url: `/api/v1/users/${account.admin.id}`, body: { active: "yes" }, field: "active" },
      { method: "PATCH", url: `/api/v1/users/${account.admin.id}`, body: { privileges: ["root"] }, field: "privileges.0" },
    ];
    for (const c of cases) {
      const r = await t().call<Problem>(c.method, c.url, { token: account.admin.token, body: c.body });
      assert.equal(r.status, 400, `${c.method} ${c.url} ${JSON.stringify(c.body)} → ${r.status}`);
      assert.equal(r.body.code, "VALIDATION_FAILED");
      assert.equal(r.headers["content-type"], "application/problem+json; charset=utf-8");
      assert.ok(r.body.errors?.some((e) => e.field === c.field), `expected field ${c.field} in ${JSON.stringify(r.body.errors)}`);
      assert.match(r.body.requestId, /^req_/);
    }
    for (const url of ["/api/v1/users?limit=501", "/api/v1/users?limit=0", "/api/v1/users?limit=ten", "/api/v1/users?role=king", "/api/v1/users?unknown=1"]) {
      const r = await t().call("GET", url, { token: account.admin.token });
      assert.equal(r.status, 400, url);
    }
    assert.equal(await snapshot(account), before, "nothing changed");
  });

  test("oversized bodies are 413, other content types 415", async () => {
    const account = await t().account();
    const huge = await t().call("POST", "/api/v1/users", {
      token: account.admin.token,
      body: { email: "big@example.test", name: "x".repeat(1024 * 1024 + 10), role: "agent" },
    });
    assert.equal(huge.status, 413);
    assert.equal(huge.body.code, "PAYLOAD_TOO_LARGE");
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "application/xml"]) {
      const r = await t().call("POST", "/api/v1/users", { token: account.admin.token, body: "email=a", headers: { "content-type": type } });
      assert.equal(r.status, 415, type);
      assert.equal(r.body.code, "UNSUPPORTED_MEDIA_TYPE");
    }
  });

  test("precedence: 401, then 403, then 400, then 404, then 409", async () => {
    const account = await t().account();
    const agent = await t().user(account);
    const bad = { role: "emperor" };
    assert.equal((await t().call("PATCH", "/api/v1/users/usr_x", { body: bad })).status, 401);
    assert.equal((await t().call("PATCH", "/api/v1/users/usr_x", { token: agent.token, body: bad })).status, 403);
    assert.equal((await t().call("PATCH", "/api/v1/users/usr_x", { token: account.admin.token, body: bad })).status, 400);
    assert.equal((await t().call("PATCH", "/api/v1/users/usr_x", { token: account.admin.token, body: { role: "agent" } })).status, 404);
    assert.equal((await t().call("PATCH", `/api/v1/users/${account.admin.id}`, { token: account.admin.token, body: { role: "agent" } })).status, 409);
  });

  test("messages follow Accept-Language; codes never change", async () => {
    const account = await t().account();
    const fr = await t().call("GET", "/api/v1/users/usr_nope", { token: account.admin.token, headers: { "accept-language": "fr-FR,fr;q=0.9,en;q=0.5" } });
    assert.equal(fr.body.code, "NOT_FOUND");
    assert.equal(fr.body.title, "Introuvable");
    const en = await t().call("GET", "/api/v1/users/usr_nope", { token: account.admin.token, headers: { "accept-language": "de, en;q=0.5" } });
    assert.equal(en.body.title, "Not found");
    const frField = await t().call("PUT", "/api/v1/subscription/x", { token: account.admin.token, body: { named: -1, concurrent: 0 }, headers: { "accept-language": "fr" } });
    assert.equal(frField.body.errors![0].message, "doit valoir au moins 0");
    const frRule = await t().call("GET", "/api/v1/users?seat=nonsense", { token: account.admin.token, headers: { "accept-language": "fr" } });
    assert.deepEqual(frRule.body.errors, [{ field: "seat", message: "doit être de la forme <produit>:named ou <produit>:concurrent, ou none" }]);
    const frJson = await t().call("POST", "/api/v1/users", { token: account.admin.token, body: "{", headers: { "accept-language": "fr" } });
    assert.deepEqual(frJson.body.errors, [{ field: "body", message: "n'est pas du JSON valide" }]);
  });

  test("unknown routes are problem+json 404s", async () => {
    const r = await t().call("GET", "/api/v1/nothing-here");
    assert.equal(r.status, 404);
    assert.equal(r.body.code, "NOT_FOUND");
  });
});
