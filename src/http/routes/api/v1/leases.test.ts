// Seats that cannot leak: leases, pending timeouts, abandoned queue places, and every way
// a seat is taken away (revoked, type changed, user deactivated or deleted, sign-out).
import assert from "node:assert/strict";
import { test } from "node:test";
import { eachBackend } from "../../../../../test/support/suite.js";
import { pool, sleep, until } from "../../../../../test/support/pool.js";
import type { Usage } from "../../../../domain/shapes.js";

eachBackend("leases and seat lifecycle", ({ t }) => {
  test("a silent app loses its seat after leaseTtlSeconds; heartbeats keep it", async () => {
    const p = await pool(t(), 0, 2, { leaseTtlSeconds: 5 });
    const [alive, silent] = [await p.agent(), await p.agent()];
    await p.start(alive);
    const s = await p.start(silent);
    const beat = setInterval(() => void t().call("POST", "/api/v1/me/heartbeat", { token: alive.token }), 1000);
    try {
      const started = Date.now();
      await until("the silent lease to expire", async () => (await p.line()).occupied === 1);
      assert.ok(Date.now() - started >= 3500, "not before its lease ran out");
      await sleep(1500);
      assert.equal((await p.line()).occupied, 1, "the heartbeating agent keeps its seat");
      const hb = await t().call("POST", "/api/v1/me/heartbeat", { token: alive.token });
      assert.equal(hb.body.leases.length, 1);
      const connect = await t().call("POST", `/api/v1/me/sessions/${s.body.id}/connect`, { token: silent.token, body: { mode: "attended", platform: "ios" } });
      assert.equal(connect.body.code, "SESSION_ENDED");
      const audit = await t().call("GET", "/api/v1/audit?action=lease.expired", { token: p.account.admin.token });
      assert.equal(audit.body.items.length, 1);
      assert.equal(audit.body.items[0].actor.type, "system");
    } finally {
      clearInterval(beat);
    }
  });

  test("a support session never connected ends after pendingTimeoutSeconds; a connected one stays", async () => {
    const p = await pool(t(), 1, 1, { pendingTimeoutSeconds: 5, leaseTtlSeconds: 60 });
    const [named, shared] = [await p.agent("named"), await p.agent()];
    const n = await p.start(named);
    // The timeout counts from the pending session's answer: the clock starts before it is asked for.
    const started = Date.now();
    const pending = await p.start(shared);
    const connected = await p.start(shared);
    await t().call("POST", `/api/v1/me/sessions/${connected.body.id}/connect`, { token: shared.token, body: { mode: "attended", platform: "windows" } });
    await until("the pending session to time out", async () => {
      const list = await t().call("GET", "/api/v1/shared-sessions", { token: p.account.admin.token });
      return list.body.items[0].sessions.length === 1;
    });
    assert.ok(Date.now() - started >= 4000, "not before its timeout");
    assert.equal((await t().call("POST", `/api/v1/me/sessions/${pending.body.id}/end`, { token: shared.token })).body.code, "SESSION_ENDED");
    assert.equal((await t().call("POST", `/api/v1/me/sessions/${n.body.id}/end`, { token: named.token })).body.code, "SESSION_ENDED");
    assert.equal((await p.line()).occupied, 1, "the connected session keeps the seat");
    const c = await t().call("POST", `/api/v1/me/sessions/${connected.body.id}/end`, { token: shared.token });
    assert.equal(c.status, 200);
    assert.equal((await p.line()).occupied, 0);
  });

  test("a queue place made by a wait without heartbeats ends with the wait", async () => {
    const p = await pool(t(), 0, 1, { leaseTtlSeconds: 30 });
    const holder = await p.agent();
    await p.start(holder);
    const quitter = await p.agent();
    const waiting = p.start(quitter, { wait: 2 });
    await until("the agent queued", async () => (await p.line()).waiting === 1);
    const r = await waiting;
    assert.equal(r.status, 409);
    assert.equal(r.body.queuePosition, undefined, "no longer queued once its wait ended");
    assert.equal((await p.line()).waiting, 0, "the place did not outlive the request");
  });

  test("a queue place lasts while the agent heartbeats, and is dropped leaseTtlSeconds after the last one", async () => {
    const p = await pool(t(), 0, 1, { leaseTtlSeconds: 5 });
    const holder = await p.agent();
    await p.start(holder);
    const quitter = await p.agent();
    const lastHeartbeat = Date.now();
    await t().call("POST", "/api/v1/me/heartbeat", { token: quitter.token });
    const r = await p.start(quitter, { wait: 1 });
    assert.equal(r.body.queuePosition, 1);
    await sleep(2000);
    assert.equal((await p.line()).waiting, 1, "kept: a heartbeat came within leaseTtlSeconds");
    await until("the place to be dropped", async () => (await p.line()).waiting === 0, 10_000);
    assert.ok(Date.now() - lastHeartbeat >= 4500, "not before leaseTtlSeconds after the last heartbeat");
    const seats = await t().call("GET", "/api/v1/me/seats", { token: quitter.token });
    assert.equal(seats.body.items[0].queuePosition, undefined);
  });

  test("after an admin ends its session, the agent may take a seat again once the cooldown is over", async () => {
    const p = await pool(t(), 0, 1, { endedCooldownSeconds: 1 });
    const a = await p.agent();
    await p.start(a);
    const list = await t().call("GET", "/api/v1/shared-sessions", { token: p.account.admin.token });
    await t().call("POST", "/api/v1/shared-sessions/end", { token: p.account.admin.token, body: { ids: [list.body.items[0].id] } });
    const cooling = await p.start(a);
    assert.equal(cooling.body.code, "SEAT_COOLDOWN");
    assert.equal((await t().call("GET", "/api/v1/me/seats", { token: a.token })).body.items[0].status, "cooldown");
    await sleep(1100);
    assert.equal((await p.start(a)).status, 201);
  });

  test("revoking a seat frees it at once and ends the agent's sessions", async () => {
    const p = await pool(t(), 0, 1);
    const a = await p.agent();
    const s = await p.start(a);
    const waiter = await p.agent();
    const waiting = p.start(waiter, { wait: 10 });
    await until("queued", async () => (await p.line()).waiting === 1);
    assert.equal((await t().call("DELETE", `/api/v1/users/${a.id}/seats/${p.product.slug}`, { token: p.account.admin.token })).status, 204);
    assert.equal((await waiting).status, 201);
    const end = await t().call("POST", `/api/v1/me/sessions/${s.body.id}/end`, { token: a.token });
    assert.equal(end.body.code, "SESSION_ENDED");
    assert.equal((await p.start(a)).body.code, "NO_SEAT_ASSIGNED");
  });

  test("concurrent → named moves the open session off the pool; named → concurrent needs a free seat", async () => {
    const p = await pool(t(), 1, 1);
    const a = await p.agent();
    const s = await p.start(a);
    assert.equal((await p.line()).occupied, 1);
    await t().grant(p.account, a.id, p.product.slug, "named");
    assert.equal((await p.line()).occupied, 0, "the pool seat is free");
    assert.equal((await t().call("POST", `/api/v1/me/sessions/${s.body.id}/connect`, { token: a.token, body: { mode: "attended", platform: "mac" } })).status, 200);
    const b = await p.agent();
    await p.start(b);
    // Back to concurrent while the only pool seat is B's: A's session ends.
    await t().grant(p.account, a.id, p.product.slug, "concurrent");
    assert.equal((await t().call("POST", `/api/v1/me/sessions/${s.body.id}/end`, { token: a.token })).body.code, "SESSION_ENDED");
    assert.equal((await p.line()).occupied, 1);
  });

  test("deactivating or deleting a user ends its shared sessions and frees the seat", async () => {
    const p = await pool(t(), 0, 2);
    const [a, b] = [await p.agent(), await p.agent()];
    await p.start(a);
    await p.start(b);
    await t().call("PATCH", `/api/v1/users/${a.id}`, { token: p.account.admin.token, body: { active: false } });
    assert.equal((await p.line()).occupied, 1);
    await t().call("DELETE", `/api/v1/users/${b.id}`, { token: p.account.admin.token });
    assert.equal((await p.line()).occupied, 0);
    const list = await t().call("GET", "/api/v1/shared-sessions", { token: p.account.admin.token });
    assert.deepEqual(list.body.items, []);
  });

  test("signing out of the agent app ends pending sessions; active ones go on", async () => {
    const p = await pool(t(), 0, 2);
    const a = await p.agent();
    const pending = await p.start(a);
    const active = await p.start(a);
    await t().call("POST", `/api/v1/me/sessions/${active.body.id}/connect`, { token: a.token, body: { mode: "attended", platform: "windows" } });
    assert.equal((await t().call("POST", "/api/v1/auth/logout", { token: a.token })).status, 204);
    const list = await t().call("GET", "/api/v1/shared-sessions", { token: p.account.admin.token });
    assert.deepEqual(list.body.items[0].sessions.map((s) => s.id), [active.body.id]);
    const b = await p.agent();
    await p.start(b);
    const logoutB = await t().call("POST", "/api/v1/auth/logout", { token: b.token });
    assert.equal(logoutB.status, 204);
    assert.equal((await p.line()).occupied, 1, "B's only (pending) session ended, freeing its seat");
    assert.ok(pending.body.id);
  });

  test("agents ask admins to free a seat; the request closes when the agent gets one (S6)", async () => {
    const p = await pool(t(), 0, 1);
    const holder = await p.agent();
    const held = await p.start(holder);
    const asker = await p.agent();
    const r = await t().call("POST", "/api/v1/me/release-requests", { token: asker.token, body: { product: p.product.slug, message: "Customer waiting on the phone" } });
    assert.equal(r.status, 201);
    assert.equal(r.body.user.id, asker.id);
    const list = await t().call("GET", "/api/v1/release-requests", { token: p.account.admin.token });
    assert.equal(list.body.items.length, 1);
    assert.equal(list.body.items[0].message, "Customer waiting on the phone");
    assert.equal(list.body.items[0].user.email, asker.email);
    await t().call("POST", `/api/v1/me/sessions/${held.body.id}/end`, { token: holder.token });
    assert.equal((await p.start(asker)).status, 201);
    assert.deepEqual((await t().call("GET", "/api/v1/release-requests", { token: p.account.admin.token })).body.items, []);
    const noSeat = await t().user(p.account);
    const refused = await t().call("POST", "/api/v1/me/release-requests", { token: noSeat.token, body: { product: p.product.slug } });
    assert.equal(refused.status, 403);
  });

  test("usage history: occupancy, refusals and waits per step, as JSON and CSV (S11)", async () => {
    const p = await pool(t(), 0, 1);
    const from = new Date(Date.now() - 1000).toISOString();
    const [a, b] = [await p.agent(), await p.agent()];
    const s = await p.start(a);
    assert.equal((await p.start(b)).status, 409);
    const waiting = p.start(b, { wait: 10 });
    await until("queued", async () => (await p.line()).waiting === 1);
    await sleep(300);
    await t().call("POST", `/api/v1/me/sessions/${s.body.id}/end`, { token: a.token });
    assert.equal((await waiting).status, 201);
    const to = new Date(Date.now() + 1000).toISOString();
    const url = `/api/v1/usage?product=${p.product.slug}&from=${from}&to=${to}&step=3600`;
    const json = await t().call<Usage>("GET", url, { token: p.account.admin.token });
    assert.equal(json.status, 200);
    assert.equal(json.body.items.length, 1);
    const point = json.body.items[0];
    assert.equal(point.total, 1);
    assert.equal(point.occupiedMax, 1);
    assert.equal(point.refusals, 2, "the plain refusal and the wait's first refusal");
    assert.equal(point.waits, 1);
    assert.ok(point.waitMeanSeconds !== null && point.waitMeanSeconds >= 0.3 && point.waitMeanSeconds < 5, String(point.waitMeanSeconds));
    const csv = await t().call("GET", url, { token: p.account.admin.token, headers: { accept: "text/csv" } });
    assert.equal(csv.status, 200);
    assert.match(String(csv.headers["content-type"]), /^text\/csv/);
    const lines = String(csv.body).trim().split("\n");
    assert.equal(lines[0], "t,total,occupiedMax,refusals,waits,waitMeanSeconds,waitP95Seconds");
    assert.equal(lines.length, 2);
    const tooMany = await t().call("GET", `/api/v1/usage?product=${p.product.slug}&from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&step=1`, { token: p.account.admin.token });
    assert.equal(tooMany.status, 400);
    assert.equal(tooMany.body.errors![0].field, "step");
  });
}, { SEATKEEPER_SWEEP_INTERVAL_MS: "100" });
