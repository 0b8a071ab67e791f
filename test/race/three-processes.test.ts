// Three Seatkeeper processes on one PostgreSQL, each batching its own requests: 200 agents
// race for 10 seats while the client history is recorded. A checker over that history
// asserts what an outside observer can: the [grant answered, end sent] intervals of
// different agents never overlap more than 10 deep, every acknowledged end is in the final
// state, and waiters are served first come, first served across processes.
import assert from "node:assert/strict";
import http from "node:http";
import { test } from "node:test";
import { sql } from "kysely";
import { eachBackend } from "../support/suite.js";
import { startChecker } from "../support/checker.js";
import { startServer, type ServerProcess } from "../support/server.js";
import { OPERATOR_TOKEN, type TestApp } from "../support/app.js";
import { sleep, until } from "../support/pool.js";
import { findProductBySlug } from "../../src/store/product.repository.js";

const RANDOM_MS = Number(process.env.SEATKEEPER_RACE_MS ?? 15_000);
const AGENTS = 200;
const SEATS = 10;

const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 64 });

type Call = (method: "GET" | "POST", path: string, token: string, body?: unknown) => Promise<{ status: number; body: any }>;

function caller(base: string): Call {
  return (method, path, token, body) =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = http.request(`${base}${path}`, {
        method,
        agent: keepAlive,
        headers: { authorization: `Bearer ${token}`, ...(payload !== undefined && { "content-type": "application/json", "content-length": Buffer.byteLength(payload) }) },
      }, (res) => {
        let data = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => (data += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: data ? JSON.parse(data) : null }));
      });
      req.on("error", reject);
      req.end(payload);
    });
}

async function setUp(t: TestApp, agents: number, seats: number) {
  const account = await t.account();
  const product = await t.product();
  await t.subscribe(account, product.slug, 0, seats);
  // Long leases and no admin ends: a seat is held exactly from its grant to its end.
  await t.call("PATCH", "/api/v1/account", { token: account.admin.token, body: { settings: { leaseTtlSeconds: 600, endedCooldownSeconds: 0 } } });
  const users = [];
  for (let i = 0; i < agents; i++) {
    const u = await t.user(account, { app: "desktop" });
    await t.grant(account, u.id, product.slug, "concurrent");
    users.push(u);
  }
  const productId = (await findProductBySlug(t.database.db, product.slug))!.id;
  return { account, product, productId, users };
}

/** The deepest overlap of [from, to] intervals (an end at the same instant as a start comes first). */
function maxOverlap(intervals: { from: number; to: number }[]): number {
  const edges = intervals.flatMap((i) => [{ at: i.from, d: 1 }, { at: i.to, d: -1 }]).sort((a, b) => a.at - b.at || a.d - b.d);
  let depth = 0;
  let max = 0;
  for (const e of edges) max = Math.max(max, (depth += e.d));
  return max;
}

eachBackend("three processes", ({ t, backend }) => {
  test("200 agents, 10 seats, 3 batching processes: the client history never shows more than 10 seats; acknowledged ends stick; FIFO", { skip: backend !== "postgres" && "PostgreSQL only" }, async () => {
    const servers: ServerProcess[] = [];
    try {
      const local = await t().listen();
      for (let i = 0; i < 2; i++) servers.push(await startServer({ DATABASE_URL: t().database.url!, SEATKEEPER_OPERATOR_TOKEN: OPERATOR_TOKEN }));
      const calls = [caller(local), ...servers.map((s) => caller(s.url.replace(/\/$/, "")))];

      // Phase 1: the random race, recorded.
      const { product, productId, users, account } = await setUp(t(), AGENTS, SEATS);
      const checker = startChecker(t().database.db, account.id, productId, SEATS);
      const held: { from: number; to: number }[] = [];
      const acknowledgedEnds: string[] = [];
      const granted: string[] = [];
      let refused = 0;
      const deadline = Date.now() + RANDOM_MS;
      await Promise.all(users.map(async (agent, i) => {
        const call = calls[i % calls.length];
        while (Date.now() < deadline) {
          const start = await call("POST", "/api/v1/me/sessions", agent.token, { product: product.slug, wait: 1 + Math.floor(Math.random() * 5) });
          if (start.status !== 201) {
            assert.equal(start.status, 409, JSON.stringify(start.body));
            refused++;
            continue;
          }
          const from = performance.now();
          granted.push(start.body.id);
          if (Math.random() < 0.3) {
            const c = await call("POST", `/api/v1/me/sessions/${start.body.id}/connect`, agent.token, { mode: "unattended", platform: "windows" });
            assert.equal(c.status, 200, JSON.stringify(c.body));
          }
          if (Math.random() < 0.2) assert.equal((await call("POST", "/api/v1/me/heartbeat", agent.token)).status, 200);
          await sleep(Math.random() * 30);
          const to = performance.now();
          const end = await call("POST", `/api/v1/me/sessions/${start.body.id}/end`, agent.token);
          assert.equal(end.status, 200, JSON.stringify(end.body));
          held.push({ from, to });
          acknowledgedEnds.push(start.body.id);
        }
      }));
      const report = await checker.stop();
      console.log(`[three processes] grants ${held.length}, refusals ${refused}, max overlap ${maxOverlap(held)}, checker ${JSON.stringify({ ...report, violations: report.violations.slice(0, 5) })}`);
      assert.ok(held.length > 100, `the pool was worked (${held.length} grants)`);
      assert.ok(maxOverlap(held) <= SEATS, `at most ${SEATS} seats held at once in the client history (saw ${maxOverlap(held)})`);
      assert.deepEqual(report.violations, []);
      assert.equal(report.maxOccupied, SEATS, "the pool was driven full");
      const db = t().database.db;
      const states = await sql<{ state: string; n: number }>`
        SELECT state, count(*)::int AS n FROM support_sessions WHERE account_id = ${account.id} AND id = ANY(${acknowledgedEnds}::text[]) GROUP BY state`.execute(db);
      assert.deepEqual(states.rows, [{ state: "ended", n: acknowledgedEnds.length }], "every acknowledged end is in the database");
      const open = await sql<{ n: number }>`SELECT count(*)::int AS n FROM shared_sessions WHERE account_id = ${account.id} AND ended_at IS NULL`.execute(db);
      assert.equal(open.rows[0].n, 0, "no seat is left held");
      assert.equal(new Set(granted).size, granted.length, "no session was answered twice");

      // Phase 2: FIFO across processes. 10 holders; 15 waiters queue one after another,
      // each through the next process; seats free one at a time through other processes.
      const fifo = await setUp(t(), SEATS + 15, SEATS);
      const [holders, waiters] = [fifo.users.slice(0, SEATS), fifo.users.slice(SEATS)];
      const holdings = [];
      for (const [i, h] of holders.entries()) holdings.push((await calls[i % 3]("POST", "/api/v1/me/sessions", h.token, { product: fifo.product.slug })).body.id as string);
      const order: number[] = [];
      const waits = [];
      for (const [i, w] of waiters.entries()) {
        waits.push(calls[i % 3]("POST", "/api/v1/me/sessions", w.token, { product: fifo.product.slug, wait: 60 }).then((r) => {
          assert.equal(r.status, 201, JSON.stringify(r.body));
          order.push(i);
          return r.body.id as string;
        }));
        await until(`waiter ${i} queued`, async () => {
          const q = await sql<{ n: number }>`SELECT count(*)::int AS n FROM queue_entries WHERE account_id = ${fifo.account.id}`.execute(db);
          return q.rows[0].n === i + 1;
        });
      }
      for (const [i, id] of holdings.entries()) {
        assert.equal((await calls[(i + 1) % 3]("POST", `/api/v1/me/sessions/${id}/end`, holders[i].token)).status, 200);
        await until(`waiter ${i} served`, async () => order.length === i + 1);
      }
      // The first five served end their sessions: the last five waiters follow, in order.
      const servedIds = await Promise.all(waits.slice(0, 5));
      for (const [i, id] of servedIds.entries()) {
        assert.equal((await calls[(i + 2) % 3]("POST", `/api/v1/me/sessions/${id}/end`, waiters[i].token)).status, 200);
        await until(`waiter ${SEATS + i} served`, async () => order.length === SEATS + i + 1);
      }
      await Promise.all(waits);
      assert.deepEqual(order, waiters.map((_, i) => i), "served in the order they queued");
    } finally {
      for (const s of servers) await s.stop();
    }
  });
});
