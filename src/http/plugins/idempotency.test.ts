// An Idempotency-Key whose request died with its process (an in-flight claim nobody will
// complete) is taken over after a bound longer than any request; a claim still in flight
// answers 409, a completed one replays.
import assert from "node:assert/strict";
import { test } from "node:test";
import { eachBackend } from "../../../test/support/suite.js";
import type { TestAccount } from "../../../test/support/app.js";
import type { User } from "../../domain/shapes.js";
import { IN_FLIGHT_CLAIM_MS, requestHash } from "./idempotency.js";

eachBackend("Idempotency-Key claims", ({ t }) => {
  const newUser = (tag: string) => ({ email: `${tag}@idempotency.test`, name: `Idem ${tag}`, role: "agent" });

  /** A claim row as a process would have left it `ageMs` ago, for POST /api/v1/users. */
  async function leaveClaim(account: TestAccount, key: string, body: unknown, ageMs: number, completed?: { status: number; response: unknown }) {
    await t().database.db
      .insertInto("idempotency_keys")
      .values({
        account_id: account.id,
        scope: account.admin.id,
        key,
        request_hash: requestHash("POST", "/api/v1/users", body),
        status_code: completed?.status ?? null,
        response: completed ? JSON.stringify(completed.response) : null,
        created_at: new Date(Date.now() - ageMs),
      })
      .execute();
  }

  const post = (account: TestAccount, key: string, body: unknown) =>
    t().call("POST", "/api/v1/users", { token: account.admin.token, body, headers: { "idempotency-key": key } });

  async function usersNamed(account: TestAccount, email: string) {
    const r = await t().call("GET", `/api/v1/users?q=${encodeURIComponent(email)}`, { token: account.admin.token });
    return r.body.items.length;
  }

  test("a retry after a process died mid-request runs the request afresh, then replays", async () => {
    const account = await t().account();
    const body = newUser("died");
    await leaveClaim(account, "died-mid-request", body, IN_FLIGHT_CLAIM_MS + 60_000);
    const retry = await post(account, "died-mid-request", body);
    assert.equal(retry.status, 201, JSON.stringify(retry.body));
    assert.equal(retry.headers["idempotent-replayed"], undefined);
    const again = await post(account, "died-mid-request", body);
    assert.equal(again.status, 201);
    assert.equal(again.headers["idempotent-replayed"], "true");
    assert.equal(again.body.id, retry.body.id);
    assert.equal(await usersNamed(account, body.email), 1);
    // Another body under that key is still refused.
    assert.equal((await post(account, "died-mid-request", newUser("other"))).status, 422);
  });

  test("a claim still in flight answers 409 IDEMPOTENCY_KEY_IN_USE, even one as old as the longest wait", async () => {
    const account = await t().account();
    for (const [key, ageMs] of [["fresh-claim", 0], ["waiting-claim", 90_000]] as const) {
      const body = newUser(key);
      await leaveClaim(account, key, body, ageMs);
      const r = await post(account, key, body);
      assert.equal(r.status, 409, `${key}: ${r.status}`);
      assert.equal(r.body.code, "IDEMPOTENCY_KEY_IN_USE");
      assert.equal(await usersNamed(account, body.email), 0);
    }
  });

  test("a completed key replays its answer whatever its age within 24 h, and never runs again", async () => {
    const account = await t().account();
    const body = newUser("completed");
    const at = new Date().toISOString();
    const response: User = {
      id: "usr_replayed", email: body.email, name: body.name, role: "agent", privileges: [], billingContact: false,
      userName: body.email, active: true, hasPassword: false, externalId: null, seats: [], createdAt: at, updatedAt: at,
    };
    await leaveClaim(account, "completed", body, IN_FLIGHT_CLAIM_MS + 60_000, { status: 201, response });
    const r = await post(account, "completed", body);
    assert.equal(r.status, 201);
    assert.equal(r.headers["idempotent-replayed"], "true");
    assert.deepEqual(r.body, response);
    assert.equal(await usersNamed(account, body.email), 0);
  });

  test("retries racing for a dead claim: one takes it over, the user is created once", async () => {
    const account = await t().account();
    const body = newUser("raced");
    await leaveClaim(account, "raced", body, IN_FLIGHT_CLAIM_MS + 60_000);
    const answers = await Promise.all(Array.from({ length: 4 }, () => post(account, "raced", body)));
    assert.ok(answers.every((a) => a.status === 201 || a.status === 409), answers.map((a) => a.status).join());
    assert.ok(answers.some((a) => a.status === 201 && a.headers["idempotent-replayed"] === undefined));
    assert.equal(await usersNamed(account, body.email), 1);
  });
});
