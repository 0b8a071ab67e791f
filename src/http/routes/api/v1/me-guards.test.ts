// The agent API against abuse and stale credentials (issue 9): an agent cannot make itself
// unremovable with sessions, a signed-out or deactivated agent's wait takes no seat and
// its event stream ends, and a shutdown answers waiting requests at once.
import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "kysely";
import { eachBackend } from "../../../../../test/support/suite.js";
import { openEvents } from "../../../../../test/support/events.js";
import { pool, until } from "../../../../../test/support/pool.js";
import { startTestApp } from "../../../../../test/support/app.js";
import { newId } from "../../../../domain/ids.js";
import { MAX_OPEN_SESSIONS } from "../../../../domain/seat-pool.js";
import { packSignals, type Signal } from "../../../../services/signals.js";

test("signals are packed into notifications under PostgreSQL's 8000-byte limit, however many", () => {
  const sessionIds = Array.from({ length: MAX_OPEN_SESSIONS }, () => newId("sess"));
  const signals: Signal[] = Array.from({ length: 400 }, (_, i) => ({
    t: "user", a: newId("acct"), u: newId("usr"), e: { type: "session.ended", product: `product-${i}`, sessionIds, by: { id: newId("usr"), name: "A".repeat(200) }, reason: "r".repeat(200) },
  }));
  const huge: Signal = { t: "user", a: "acct", u: "usr", e: { type: "session.ended", product: "p", sessionIds: Array.from({ length: 1000 }, () => newId("sess")), by: null, reason: "x" } };
  const payloads = packSignals([...signals, huge]);
  assert.ok(payloads.every((p) => Buffer.byteLength(p) < 8000));
  const delivered = payloads.flatMap((p) => JSON.parse(p) as Signal[]);
  assert.equal(delivered.length, 401, "every signal is sent");
  assert.deepEqual(delivered.slice(0, 400), signals);
});

eachBackend("agent API guards", ({ t }) => {
  test(`an agent has at most ${MAX_OPEN_SESSIONS} open sessions of a product; with them all it is still removable`, async () => {
    const p = await pool(t(), 1, 1);
    const agent = await p.agent();
    for (let i = 0; i < MAX_OPEN_SESSIONS; i++) assert.equal((await p.start(agent)).status, 201);
    const more = await p.start(agent);
    assert.equal(more.status, 409);
    assert.equal(more.body.code, "TOO_MANY_SESSIONS");
    const admin = p.account.admin.token;
    const list = await t().call("GET", "/api/v1/shared-sessions", { token: admin });
    assert.equal(list.body.items[0].sessions.length, MAX_OPEN_SESSIONS);
    const ended = await t().call("POST", "/api/v1/shared-sessions/end", { token: admin, body: { ids: [list.body.items[0].id] } });
    assert.equal(ended.status, 200);
    assert.deepEqual(ended.body.ended, [list.body.items[0].id]);

    // Sessions made before the cap (written directly, as an older version allowed): every
    // way of removing the agent still works.
    for (const remove of ["revoke", "deactivate", "delete"] as const) {
      const victim = await p.agent();
      await p.start(victim, {});
      const first = (await t().call("GET", "/api/v1/shared-sessions", { token: admin })).body.items.find((s) => s.user.id === victim.id)!;
      const db = t().database.db;
      const productId = (await db.selectFrom("products").select("id").where("slug", "=", p.product.slug).executeTakeFirstOrThrow()).id;
      await db.insertInto("support_sessions").values(Array.from({ length: 300 }, () => ({
        account_id: p.account.id, id: newId("sess"), user_id: victim.id, product_id: productId, shared_session_id: first.id, seat_type: "concurrent" as const,
        state: "pending" as const, support_key: "123456789", token_id: null, created_at: new Date(),
      }))).execute();
      const r =
        remove === "revoke" ? await t().call("DELETE", `/api/v1/users/${victim.id}/seats/${p.product.slug}`, { token: admin })
        : remove === "deactivate" ? await t().call("PATCH", `/api/v1/users/${victim.id}`, { token: admin, body: { active: false } })
        : await t().call("DELETE", `/api/v1/users/${victim.id}`, { token: admin });
      assert.ok(r.status === 200 || r.status === 204, `${remove}: ${r.status} ${JSON.stringify(r.body)}`);
      const open = await sql<{ n: number }>`SELECT count(*)::int AS n FROM support_sessions WHERE account_id = ${p.account.id} AND user_id = ${victim.id} AND state <> 'ended'`.execute(db);
      assert.equal(open.rows[0].n, 0, `${remove} ended every session`);
    }
  });

  test("a wait ends with 401 as soon as the agent signs out or is deactivated, and takes no seat", async () => {
    const p = await pool(t(), 0, 1);
    const holder = await p.agent();
    const held = await p.start(holder);
    for (const how of ["sign-out", "deactivate"] as const) {
      const waiter = await p.agent();
      const waiting = p.start(waiter, { wait: 30 });
      await until("the agent waits", async () => (await p.line()).waiting === 1);
      const started = Date.now();
      if (how === "sign-out") assert.equal((await t().call("POST", "/api/v1/auth/logout", { token: waiter.token })).status, 204);
      else assert.equal((await t().call("PATCH", `/api/v1/users/${waiter.id}`, { token: p.account.admin.token, body: { active: false } })).status, 200);
      const r = await waiting;
      assert.equal(r.status, 401, `${how}: ${JSON.stringify(r.body)}`);
      assert.ok(Date.now() - started < 3000, `${how}: answered in ${Date.now() - started} ms`);
      assert.equal((await p.line()).waiting, 0, `${how}: no longer queued`);
    }
    // The seat frees: nobody signed out takes it.
    await t().call("POST", `/api/v1/me/sessions/${held.body.id}/end`, { token: holder.token });
    assert.equal((await p.line()).occupied, 0);
  });

  test("an event stream ends at sign-out, a password change, deactivation and deletion", async () => {
    const base = await t().listen();
    const p = await pool(t(), 0, 1);
    for (const how of ["sign-out", "password", "deactivate", "delete"] as const) {
      const agent = await p.agent();
      const events = await openEvents(base, agent.token);
      const started = Date.now();
      if (how === "sign-out") await t().call("POST", "/api/v1/auth/logout", { token: agent.token });
      else if (how === "password") await t().call("PATCH", `/api/v1/users/${agent.id}`, { token: p.account.admin.token, body: { password: "a brand new secret" } });
      else if (how === "deactivate") await t().call("PATCH", `/api/v1/users/${agent.id}`, { token: p.account.admin.token, body: { active: false } });
      else await t().call("DELETE", `/api/v1/users/${agent.id}`, { token: p.account.admin.token });
      await Promise.race([events.ended, new Promise((_, reject) => setTimeout(() => reject(new Error(`${how}: the stream is still open`)), 3000))]);
      assert.ok(Date.now() - started < 3000);
      events.close();
    }
  });

  test("shutting down answers waiting requests at once, and the server stops in seconds", async () => {
    const own = await startTestApp(t().backend);
    try {
      const p = await pool(own, 0, 1);
      const holder = await p.agent();
      await p.start(holder);
      const base = await own.listen();
      const waiter = await p.agent();
      const waiting = fetch(`${base}/api/v1/me/sessions`, {
        method: "POST",
        headers: { authorization: `Bearer ${waiter.token}`, "content-type": "application/json" },
        body: JSON.stringify({ product: p.product.slug, wait: 60 }),
      });
      await until("the agent waits", async () => (await p.line()).waiting === 1);
      const started = Date.now();
      await own.app.close();
      const r = await waiting;
      assert.equal(r.status, 409);
      assert.equal(((await r.json()) as { code: string }).code, "ALL_SHARED_SEATS_IN_USE");
      assert.ok(Date.now() - started < 5000, `stopped in ${Date.now() - started} ms`);
    } finally {
      await own.database.close();
    }
  });

  test("a named seat cannot be granted to an inactive user", async () => {
    const p = await pool(t(), 2, 0);
    const user = await t().user(p.account);
    await t().call("PATCH", `/api/v1/users/${user.id}`, { token: p.account.admin.token, body: { active: false } });
    const r = await t().call("PUT", `/api/v1/users/${user.id}/seats/${p.product.slug}`, { token: p.account.admin.token, body: { type: "named" } });
    assert.equal(r.status, 409);
    assert.equal(r.body.code, "USER_INACTIVE");
    assert.deepEqual((await t().call("GET", "/api/v1/subscription", { token: p.account.admin.token })).body.items[0].named, { total: 2, assigned: 0 });
  });
});
