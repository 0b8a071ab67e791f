import assert from "node:assert/strict";
import { test } from "node:test";
import { eachBackend } from "../../../../../test/support/suite.js";
import { OPERATOR_TOKEN, TEST_PASSWORD } from "../../../../../test/support/app.js";

// Each test signs in from its own client address (X-Forwarded-For, trusted here), so
// that one test's failures do not count against another's.
let nextIp = 1;
const from = () => ({ "x-forwarded-for": `203.0.113.${nextIp++}` });

eachBackend("sign-in and operator", ({ t }) => {
  test("wrong password, unknown email and inactive users are all INVALID_CREDENTIALS", async () => {
    const headers = from();
    const account = await t().account();
    const wrong = await t().call("POST", "/api/v1/auth/login", { body: { email: account.admin.email, password: "not it" }, headers });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.code, "INVALID_CREDENTIALS");
    const unknown = await t().call("POST", "/api/v1/auth/login", { body: { email: "nobody@example.test", password: "whatever" }, headers });
    assert.equal(unknown.body.code, "INVALID_CREDENTIALS");
    const noPassword = await t().call("POST", "/api/v1/users", { token: account.admin.token, body: { email: "nopw@example.test", name: "No Password", role: "agent" } });
    assert.equal(noPassword.body.hasPassword, false);
    const cannot = await t().call("POST", "/api/v1/auth/login", { body: { email: "nopw@example.test", password: "anything at all" }, headers });
    assert.equal(cannot.body.code, "INVALID_CREDENTIALS");
  });

  test("5 failed sign-ins per email per 15 minutes, then 429 with Retry-After; successes never count", async () => {
    const headers = from();
    const account = await t().account();
    for (let i = 0; i < 3; i++) {
      const ok = await t().call("POST", "/api/v1/auth/login", { body: { email: account.admin.email, password: TEST_PASSWORD }, headers });
      assert.equal(ok.status, 200);
    }
    // Concurrent guesses cannot slip under the limit together.
    const guesses = await Promise.all(
      Array.from({ length: 8 }, () => t().call("POST", "/api/v1/auth/login", { body: { email: account.admin.email, password: "guess" }, headers })),
    );
    assert.equal(guesses.filter((g) => g.status === 401).length, 5);
    const limited = guesses.filter((g) => g.status === 429);
    assert.equal(limited.length, 3);
    assert.equal(limited[0].body.code, "RATE_LIMITED");
    assert.ok(Number(limited[0].headers["retry-after"]) > 0 && Number(limited[0].headers["retry-after"]) <= 900);
    const even = await t().call("POST", "/api/v1/auth/login", { body: { email: account.admin.email, password: TEST_PASSWORD }, headers });
    assert.equal(even.status, 429, "the right password does not lift the limit early");
  });

  test("30 failures per client address per minute, across emails", async () => {
    const ip = from();
    const results = [];
    for (let i = 0; i < 31; i++) {
      results.push(await t().call("POST", "/api/v1/auth/login", { body: { email: `spray-${i}@example.test`, password: "x" }, headers: ip }));
    }
    assert.equal(results.filter((r) => r.status === 401).length, 30);
    assert.equal(results[30].status, 429);
  });

  test("operator: products catalogue (slug unique) and accounts", async () => {
    const slug = `cat-${Date.now().toString(36)}`;
    const made = await t().call("POST", "/api/v1/products", { token: OPERATOR_TOKEN, body: { slug, name: "Catalogued" } });
    assert.equal(made.status, 201);
    assert.match(made.body.id, /^prod_/);
    const dup = await t().call("POST", "/api/v1/products", { token: OPERATOR_TOKEN, body: { slug, name: "Again" } });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.code, "PRODUCT_EXISTS");
    const list = await t().call("GET", "/api/v1/products?limit=500", { token: OPERATOR_TOKEN });
    assert.ok(list.body.items.some((p) => p.slug === slug));
    const account = await t().account();
    const asUser = await t().call("GET", "/api/v1/products?limit=500", { token: account.admin.token });
    assert.ok(asUser.body.items.some((p) => p.slug === slug));
  });

  test("a new account's admin is its billing contact", async () => {
    const headers = from();
    const r = await t().call("POST", "/api/v1/accounts", {
      token: OPERATOR_TOKEN,
      body: { name: "Acme", admin: { email: "first@acme.test", name: "First Admin", password: TEST_PASSWORD } },
    });
    assert.equal(r.status, 201);
    assert.match(r.body.id, /^acct_/);
    assert.equal(r.body.admin.role, "admin");
    assert.equal(r.body.admin.billingContact, true);
    const login = await t().call("POST", "/api/v1/auth/login", { body: { email: "first@acme.test", password: TEST_PASSWORD }, headers });
    assert.equal(login.body.user.billingContact, true);
    const taken = await t().call("POST", "/api/v1/accounts", {
      token: OPERATOR_TOKEN,
      body: { name: "Acme 2", admin: { email: "FIRST@acme.test", name: "Dup", password: TEST_PASSWORD } },
    });
    assert.equal(taken.status, 409);
    assert.equal(taken.body.code, "EMAIL_TAKEN");
  });

  test("a hash made before the scrypt cost was raised still signs in, and is replaced by a current one", async () => {
    const headers = from();
    const account = await t().account();
    const agent = await t().user(account);
    // TEST_PASSWORD hashed with N = 2^14, r = 8, p = 1: the cost before it was raised.
    const old = "scrypt$16384$8$1$SBBaT5Y5eFKy3-Vfq5t_Ng$euJ7vfpbe0eQ73l0IwkQe7c9j_k0DqP8xngOWX1F67M";
    const db = t().database.db;
    await db.updateTable("users").set({ password_hash: old }).where("id", "=", agent.id).execute();
    const stored = async () => (await db.selectFrom("users").select(["password_hash", "updated_at"]).where("id", "=", agent.id).executeTakeFirstOrThrow());
    const before = await stored();

    const wrong = await t().call("POST", "/api/v1/auth/login", { body: { email: agent.email, password: "not the password" }, headers });
    assert.equal(wrong.status, 401);
    assert.equal((await stored()).password_hash, old, "a failed sign-in rehashes nothing");

    const first = await t().call("POST", "/api/v1/auth/login", { body: { email: agent.email, password: TEST_PASSWORD }, headers });
    assert.equal(first.status, 200);
    const after = await stored();
    assert.match(after.password_hash!, /^scrypt\$16384\$8\$5\$/);
    assert.equal(after.updated_at.getTime(), before.updated_at.getTime(), "a rehash is no change of the user");
    const again = await t().call("POST", "/api/v1/auth/login", { body: { email: agent.email, password: TEST_PASSWORD }, headers });
    assert.equal(again.status, 200);
    assert.equal((await stored()).password_hash, after.password_hash, "a current hash is kept");
    assert.equal((await t().call("GET", "/api/v1/me/seats", { token: first.body.token })).status, 200, "a rehash signs nobody out");
  });

  test("an Idempotency-Key retry returns the first result; another body under it is 422", async () => {
    const account = await t().account();
    const headers = { "idempotency-key": "create-once-1" };
    const body = { email: "idem@example.test", name: "Idem", role: "agent" };
    const first = await t().call("POST", "/api/v1/users", { token: account.admin.token, body, headers });
    const retry = await t().call("POST", "/api/v1/users", { token: account.admin.token, body, headers });
    assert.equal(first.status, 201);
    assert.equal(retry.status, 201);
    assert.equal(retry.body.id, first.body.id);
    assert.equal(retry.headers["idempotent-replayed"], "true");
    const other = await t().call("POST", "/api/v1/users", { token: account.admin.token, body: { ...body, name: "Other" }, headers });
    assert.equal(other.status, 422);
    assert.equal(other.body.code, "IDEMPOTENCY_KEY_REUSED");
    const list = await t().call("GET", "/api/v1/users?q=idem@", { token: account.admin.token });
    assert.equal(list.body.items.length, 1);
  });
}, { SEATKEEPER_TRUST_PROXY: "1" });
