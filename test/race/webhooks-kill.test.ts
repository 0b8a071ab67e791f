// No webhook delivery is lost when a Seatkeeper process dies mid-send (kill -9): the outbox
// rows were committed with the seat changes, the dead process's claims lapse, and the
// process started again sends everything, each endpoint's deliveries still in order.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { BACKENDS, PGLITE_TEMPLATE, TEST_TMP, openTestDatabase } from "../support/backends.js";
import { OPERATOR_TOKEN, TEST_PASSWORD } from "../support/app.js";
import { startServer, type ServerProcess } from "../support/server.js";
import { until } from "../support/pool.js";
import { startReceiver } from "../support/webhook-receiver.js";

const EVENTS = 20;

async function call(base: string, method: string, url: string, token: string | null, body?: unknown) {
  const r = await fetch(`${base}${url}`, {
    method,
    headers: { ...(token && { authorization: `Bearer ${token}` }), ...(body !== undefined && { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
}

for (const backend of BACKENDS) {
  test(`kill -9 while deliveries are in flight loses none; the restarted process sends them in order [${backend}]`, async () => {
    const receiver = await startReceiver();
    receiver.answer(() => "hang");
    const database = backend === "postgres" ? await openTestDatabase("postgres") : undefined;
    const dataDir = path.join(TEST_TMP, "pglite", `webhooks-kill-${randomBytes(4).toString("hex")}`);
    if (!database) fs.cpSync(PGLITE_TEMPLATE, dataDir, { recursive: true });
    fs.rmSync(path.join(dataDir, "seatkeeper.lock"), { force: true });
    const env = {
      ...(database ? { DATABASE_URL: database.url! } : { SEATKEEPER_DATA_DIR: dataDir }),
      SEATKEEPER_OPERATOR_TOKEN: OPERATOR_TOKEN,
      SEATKEEPER_DEMO: "0",
      SEATKEEPER_WEBHOOK_ALLOW_PRIVATE: "1",
      SEATKEEPER_WEBHOOK_ALLOW_HTTP: "1",
      SEATKEEPER_WEBHOOK_KEY: "test-webhook-key-0123456789abcdef0123",
      SEATKEEPER_WEBHOOK_TIMEOUT_MS: "1000",
      SEATKEEPER_WEBHOOK_RETRY_BASE_MS: "100",
      SEATKEEPER_WEBHOOK_POLL_MS: "50",
    };
    let server: ServerProcess | undefined;
    try {
      server = await startServer(env);
      const base = server.url.replace(/\/$/, "");
      const slug = `prod-${randomBytes(4).toString("hex")}`;
      assert.equal((await call(base, "POST", "/api/v1/products", OPERATOR_TOKEN, { slug, name: "Kill Test" })).status, 201);
      const email = `admin-${randomBytes(4).toString("hex")}@example.test`;
      assert.equal((await call(base, "POST", "/api/v1/accounts", OPERATOR_TOKEN, { name: "Kill", admin: { email, name: "Ada", password: TEST_PASSWORD } })).status, 201);
      const token = (await call(base, "POST", "/api/v1/auth/login", null, { email, password: TEST_PASSWORD })).body.token as string;
      assert.equal((await call(base, "PUT", `/api/v1/subscription/${slug}`, token, { named: EVENTS, concurrent: 0 })).status, 200);
      const hook = await call(base, "POST", "/api/v1/webhooks", token, { url: receiver.url, events: ["seat.granted"] });
      assert.equal(hook.status, 201, JSON.stringify(hook.body));
      const users: string[] = [];
      for (let i = 0; i < EVENTS; i++) {
        const u = await call(base, "POST", "/api/v1/users", token, { email: `agent${i}-${randomBytes(3).toString("hex")}@example.test`, name: `Agent ${i}`, role: "agent" });
        assert.equal((await call(base, "PUT", `/api/v1/users/${u.body.id}/seats/${slug}`, token, { type: "named" })).status, 200);
        users.push(u.body.id);
      }
      await until("a delivery in flight", async () => receiver.received.length >= 1);

      process.kill(-server.child.pid!, "SIGKILL");
      await new Promise((resolve) => (server!.child.exitCode !== null || server!.child.signalCode !== null ? resolve(null) : server!.child.once("exit", resolve)));
      assert.equal(server.child.signalCode, "SIGKILL");
      receiver.answer(() => 200);

      server = await startServer(env);
      await until("every event delivered", async () => new Set(receiver.accepted().map((r) => r.json.id)).size === EVENTS, 60_000);
      const firsts: string[] = [];
      for (const r of receiver.accepted()) if (!firsts.includes(r.json.data.user.id)) firsts.push(r.json.data.user.id);
      assert.deepEqual(firsts, users, "in the order of the changes");
      assert.equal(new Set(receiver.accepted().map((r) => r.json.data.user.id)).size, EVENTS, "every grant told, none lost");
      await until("all recorded", async () => {
        const items = (await call(server!.url.replace(/\/$/, ""), "GET", `/api/v1/webhooks/${hook.body.id}/deliveries?limit=100`, token)).body.items;
        return items.length === EVENTS && items.every((d: { state: string }) => d.state === "delivered");
      });
    } finally {
      await server?.stop();
      await receiver.close();
      await database?.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
}
