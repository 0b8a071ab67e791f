// Correctness under concurrency is the product. 200 agents race for 10 seats; then a
// random workload runs for 20 seconds while an independent checker reads the database
// every few milliseconds: never more seats than bought, one seat per agent, FIFO, and
// no waiter left waiting beside a free seat. Then the same with two server processes.
import assert from "node:assert/strict";
import { test } from "node:test";
import { eachBackend } from "../support/suite.js";
import { startChecker } from "../support/checker.js";
import { runWorkload, type Caller } from "../support/workload.js";
import { startServer } from "../support/server.js";
import { OPERATOR_TOKEN, type TestApp } from "../support/app.js";
import { findProductBySlug } from "../../src/store/product.repository.js";

const RANDOM_MS = Number(process.env.SEATKEEPER_RACE_MS ?? 20_000);

async function setUp(t: TestApp, agents: number, seats: number) {
  const account = await t.account();
  const product = await t.product();
  await t.subscribe(account, product.slug, 0, seats);
  // Long leases (nothing expires mid-test), no cooldown (ended agents come straight back).
  await t.call("PATCH", "/api/v1/account", { token: account.admin.token, body: { settings: { leaseTtlSeconds: 120, endedCooldownSeconds: 0 } } });
  const users = [];
  for (let i = 0; i < agents; i++) {
    const u = await t.user(account, { app: "desktop" });
    await t.grant(account, u.id, product.slug, "concurrent");
    users.push(u);
  }
  const productId = (await findProductBySlug(t.database.db, product.slug))!.id;
  return { account, product, productId, users };
}

function injectCaller(t: TestApp): Caller {
  return async (method, url, token, body) => t.call(method, url, { token, body });
}

function httpCaller(baseUrl: string): Caller {
  return async (method, url, token, body) => {
    const r = await fetch(baseUrl + url, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : null };
  };
}

eachBackend("shared seat races", ({ t, backend }) => {
  test("200 agents start at once against 10 seats: exactly 10 hold seats", async () => {
    const { product, users, account } = await setUp(t(), 200, 10);
    const results = await Promise.all(users.map((u) => t().call("POST", "/api/v1/me/sessions", { token: u.token, body: { product: product.slug } })));
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 201).length, 10);
    assert.equal(statuses.filter((s) => s === 409).length, 190);
    assert.ok(results.filter((r) => r.status === 409).every((r) => r.body.code === "ALL_SHARED_SEATS_IN_USE"));
    const line = (await t().call("GET", "/api/v1/subscription", { token: account.admin.token })).body.items[0].concurrent;
    assert.equal(line.occupied, 10);
  });

  test(`random starts, ends, heartbeats and admin ends for ${RANDOM_MS / 1000} s: the invariants hold throughout`, async () => {
    const { product, productId, users, account } = await setUp(t(), 30, 10);
    const checker = startChecker(t().database.db, account.id, productId, 10);
    const stats = await runWorkload({
      product: product.slug,
      agents: users,
      adminToken: account.admin.token,
      callers: [injectCaller(t())],
      durationMs: RANDOM_MS,
    });
    const report = await checker.stop();
    console.log(`[${backend}] workload ${JSON.stringify(stats)} checker ${JSON.stringify({ ...report, violations: report.violations.slice(0, 5) })}`);
    assert.deepEqual(report.violations, []);
    assert.ok(report.samples > 50, `the checker sampled ${report.samples} times`);
    assert.equal(report.maxOccupied, 10, "the pool was driven full");
    assert.ok(report.maxWaiting > 0, "agents waited");
    assert.ok(stats.started > 20 && stats.refused > 10 && stats.adminEnded > 0, JSON.stringify(stats));
  });

  test("two Seatkeeper processes on one PostgreSQL: the same invariants", { skip: backend !== "postgres" && "PostgreSQL only" }, async () => {
    const { product, productId, users, account } = await setUp(t(), 30, 10);
    const local = await t().listen();
    const other = await startServer({ DATABASE_URL: t().database.url!, SEATKEEPER_OPERATOR_TOKEN: OPERATOR_TOKEN, SEATKEEPER_SWEEP_INTERVAL_MS: "100" });
    try {
      const checker = startChecker(t().database.db, account.id, productId, 10);
      const stats = await runWorkload({
        product: product.slug,
        agents: users,
        adminToken: account.admin.token,
        callers: [httpCaller(local), httpCaller(other.url.replace(/\/$/, ""))],
        durationMs: RANDOM_MS,
      });
      const report = await checker.stop();
      console.log(`[two processes] workload ${JSON.stringify(stats)} checker ${JSON.stringify({ ...report, violations: report.violations.slice(0, 5) })}`);
      assert.deepEqual(report.violations, []);
      assert.equal(report.maxOccupied, 10);
      assert.ok(stats.started > 20 && stats.adminEnded > 0, JSON.stringify(stats));

      // A waiter on one process is woken by a seat freed through the other.
      const small = await setUp(t(), 2, 1);
      const [holder, waiter] = small.users;
      const [callA, callB] = [httpCaller(local), httpCaller(other.url.replace(/\/$/, ""))];
      const held = await callA("POST", "/api/v1/me/sessions", holder.token, { product: small.product.slug });
      assert.equal(held.status, 201);
      const waiting = callB("POST", "/api/v1/me/sessions", waiter.token, { product: small.product.slug, wait: 10 });
      await new Promise((r) => setTimeout(r, 300));
      const freedAt = Date.now();
      await callA("POST", `/api/v1/me/sessions/${held.body.id}/end`, holder.token);
      const got = await waiting;
      assert.equal(got.status, 201);
      assert.ok(Date.now() - freedAt < 1000, `woken across processes in ${Date.now() - freedAt} ms`);
    } finally {
      await other.stop();
    }
  });
}, { SEATKEEPER_SWEEP_INTERVAL_MS: "100" });
