// Webhooks end to end: endpoints registered by admins, deliveries signed and verified by a
// receiver on 127.0.0.1, retries after errors and timeouts, replay, order per endpoint, a
// dead endpoint next to a live one, and the SSRF guard.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { eachBackend } from "../../../../../test/support/suite.js";
import { pool, sleep, until } from "../../../../../test/support/pool.js";
import { startReceiver, verifySignature, type Receiver } from "../../../../../test/support/webhook-receiver.js";
import type { TestAccount, TestApp } from "../../../../../test/support/app.js";
import { sql } from "kysely";
import { expireDeliveries } from "../../../../store/webhook.repository.js";

const ALLOW = {
  SEATKEEPER_WEBHOOK_ALLOW_PRIVATE: "1",
  SEATKEEPER_WEBHOOK_ALLOW_HTTP: "1",
  SEATKEEPER_WEBHOOK_KEY: "test-webhook-key-0123456789abcdef0123",
  SEATKEEPER_WEBHOOK_TIMEOUT_MS: "1000",
  SEATKEEPER_WEBHOOK_RETRY_BASE_MS: "100",
  SEATKEEPER_WEBHOOK_POLL_MS: "50",
};

async function endpoint(t: TestApp, account: TestAccount, url: string, events: string[], extra: Record<string, unknown> = {}) {
  const r = await t.call("POST", "/api/v1/webhooks", { token: account.admin.token, body: { url, events, ...extra } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body as { id: string; secret: string };
}

/** Each event once, in the order first received (delivery is at least once: a timed-out attempt that arrived is sent again). */
const unique = (received: Receiver["received"]) => received.filter((x, i) => received.findIndex((y) => y.json.id === x.json.id) === i);

const deliveries = async (t: TestApp, account: TestAccount, id: string) =>
  (await t.call("GET", `/api/v1/webhooks/${id}/deliveries?limit=500`, { token: account.admin.token })).body.items as any[];

eachBackend("webhooks", ({ t }) => {
  let receiver: Receiver;
  before(async () => {
    receiver = await startReceiver();
  });
  after(async () => receiver.close());
  const fresh = async () => {
    await receiver.close();
    receiver = await startReceiver();
    return receiver;
  };

  test("a granted seat is delivered, signed with the secret shown once; the receiver verifies it and a wrong secret fails", async () => {
    const r = await fresh();
    const account = await t().account();
    const product = await t().product();
    await t().subscribe(account, product.slug, 2, 2);
    const hook = await endpoint(t(), account, r.url, ["seat.granted", "seat.revoked"], { description: "chat" });
    assert.match(hook.secret, /^whsec_/);
    const shown = await t().call("GET", `/api/v1/webhooks/${hook.id}`, { token: account.admin.token });
    assert.equal(JSON.stringify(shown.body).includes(hook.secret), false, "the secret is never shown again");
    assert.equal(shown.body.secretHint, hook.secret.slice(0, 10) + "…");

    const user = await t().user(account, { name: "Zoé Agent" });
    await t().grant(account, user.id, product.slug, "named");
    await until("the delivery", async () => r.accepted().length === 1);
    const got = r.received[0];
    assert.equal(got.json.type, "seat.granted");
    assert.deepEqual(got.json.data, { product: product.slug, user: { id: user.id, name: "Zoé Agent" }, type: "named", previous: null, source: "manual" });
    assert.equal(got.json.account, account.id);
    assert.equal(got.headers["seatkeeper-event-type"], "seat.granted");
    assert.equal(got.headers["seatkeeper-event-id"], got.json.id);
    assert.match(String(got.headers["seatkeeper-signature"]), /^t=\d+,v1=[0-9a-f]{64}$/);
    assert.ok(verifySignature(hook.secret, got.headers["seatkeeper-signature"] as string, got.body), "the receiver verifies the signature");
    assert.equal(verifySignature(hook.secret.replace(/.$/, "x"), got.headers["seatkeeper-signature"] as string, got.body), false, "another secret does not verify");
    assert.equal(verifySignature(hook.secret, got.headers["seatkeeper-signature"] as string, got.body.replace("named", "NAMED")), false, "an altered body does not verify");
    assert.equal(verifySignature(hook.secret, got.headers["seatkeeper-signature"] as string, got.body, 300, Date.now() + 600_000), false, "an old signature is refused");

    // The worker records the answer just after the receiver sent it.
    const log = await until("the delivery recorded", async () => {
      const items = await deliveries(t(), account, hook.id);
      return items[0].state === "delivered" && items;
    });
    assert.equal(log[0].log.at(-1).status, 200);

    // Rotating the secret: later deliveries are signed with the new one only.
    const rotated = await t().call("POST", `/api/v1/webhooks/${hook.id}/secret`, { token: account.admin.token });
    assert.equal(rotated.status, 200);
    await t().call("DELETE", `/api/v1/users/${user.id}/seats/${product.slug}`, { token: account.admin.token });
    await until("the revocation", async () => r.accepted().length === 2);
    const revoked = r.received[1];
    assert.equal(revoked.json.type, "seat.revoked");
    assert.ok(verifySignature(rotated.body.secret, revoked.headers["seatkeeper-signature"] as string, revoked.body));
    assert.equal(verifySignature(hook.secret, revoked.headers["seatkeeper-signature"] as string, revoked.body), false);
  });

  test("pool.exhausted, queue.waiting_over at the threshold and pool.available, in order; unsubscribed events are not sent", async () => {
    const r = await fresh();
    const p = await pool(t(), 0, 1, { leaseTtlSeconds: 30 });
    await endpoint(t(), p.account, r.url, ["pool.exhausted", "pool.available", "queue.waiting_over"], { queueThreshold: 1 });
    const [holder, waiter] = [await p.agent(), await p.agent()];
    const s = await p.start(holder);
    assert.equal(s.status, 201);
    const waiting = await p.start(waiter, { wait: 1 });
    assert.equal(waiting.status, 409);
    await t().call("POST", `/api/v1/me/sessions/${s.body.id}/end`, { token: holder.token });
    await until("three events", async () => unique(r.accepted()).length === 3);
    await sleep(300);
    const events = unique(r.received);
    assert.deepEqual(events.map((x) => x.json.type), ["pool.exhausted", "queue.waiting_over", "pool.available"]);
    assert.deepEqual(events[0].json.data, { product: p.product.slug, total: 1, occupied: 1, waiting: 0 });
    assert.equal(events[1].json.data.waiting, 1);
    assert.equal(events[2].json.data.free, 1);
  });

  test("lease.expired, shared_session.ended_by_admin, release_request.created and subscription.changed", async () => {
    const r = await fresh();
    const p = await pool(t(), 0, 2, { leaseTtlSeconds: 5, endedCooldownSeconds: 0 });
    await endpoint(t(), p.account, r.url, ["lease.expired", "shared_session.ended_by_admin", "release_request.created", "subscription.changed"]);
    const [silent, ended] = [await p.agent(), await p.agent()];
    await p.start(silent);
    await p.start(ended);
    const list = await t().call("GET", "/api/v1/shared-sessions", { token: p.account.admin.token });
    const target = list.body.items.find((i) => i.user.id === ended.id)!;
    await t().call("POST", "/api/v1/shared-sessions/end", { token: p.account.admin.token, body: { ids: [target.id], reason: "needed" } });
    const rr = await t().call("POST", "/api/v1/me/release-requests", { token: silent.token, body: { product: p.product.slug, message: "please" } });
    assert.equal(rr.status, 201, JSON.stringify(rr.body));
    await t().subscribe(p.account, p.product.slug, 0, 3);
    await until("four events", async () => unique(r.accepted()).length === 4, 20_000);
    const byType = Object.fromEntries(r.received.map((x) => [x.json.type, x.json.data]));
    assert.equal(byType["shared_session.ended_by_admin"].sharedSessionId, target.id);
    assert.equal(byType["shared_session.ended_by_admin"].reason, "needed");
    assert.equal(byType["release_request.created"].message, "please");
    assert.deepEqual(byType["subscription.changed"].concurrent, { from: 2, to: 3 });
    assert.equal(byType["lease.expired"].userId, silent.id);
  });

  test("a 500 and a timeout are retried with growing pauses until delivered; the log shows every attempt", async () => {
    const r = await fresh();
    r.answer((_, i) => (i === 0 ? 500 : i === 1 ? "hang" : 200));
    const account = await t().account();
    const product = await t().product();
    await t().subscribe(account, product.slug, 1, 0);
    const hook = await endpoint(t(), account, r.url, ["seat.granted"]);
    const user = await t().user(account);
    await t().grant(account, user.id, product.slug, "named");
    await until("delivered on the third attempt", async () => r.accepted().length === 1);
    assert.equal(r.received.length, 3);
    assert.deepEqual(new Set(r.received.map((x) => x.json.id)).size, 1, "one event, three attempts");
    const [first, second, third] = r.received.map((x) => x.at);
    assert.ok(second - first >= 90, `the first retry waits the base pause (${second - first} ms)`);
    assert.ok(third - second >= 1000 + 180, `the second waits the timeout, then twice the base (${third - second} ms)`);
    const d = await until("the delivery recorded", async () => {
      const [item] = await deliveries(t(), account, hook.id);
      return item.state === "delivered" && item;
    });
    assert.equal(d.attempts, 3);
    assert.deepEqual(d.log.map((a: any) => a.status), [500, null, 200]);
    assert.match(d.log[0].error, /HTTP 500: receiver says no/);
    assert.match(d.log[1].error, /timeout/);
    assert.equal(r.received[2].headers["seatkeeper-attempt"], "3");
  });

  test("deliveries to one endpoint arrive in order even while the first is retried; a dead endpoint does not hold up another", async () => {
    const r = await fresh();
    const dead = await startReceiver();
    dead.answer(() => "hang");
    try {
      r.answer((_, i) => (i < 3 ? 503 : 200));
      const account = await t().account();
      const product = await t().product();
      await t().subscribe(account, product.slug, 10, 0);
      const hook = await endpoint(t(), account, r.url, ["seat.granted"]);
      await endpoint(t(), account, dead.url, ["seat.granted"]);
      const users: { id: string }[] = [];
      for (let i = 0; i < 6; i++) users.push(await t().user(account));
      for (const u of users) await t().grant(account, u.id, product.slug, "named");
      await until("six deliveries", async () => r.accepted().length === 6, 20_000);
      const order = r.accepted().map((x) => x.json.data.user.id);
      assert.deepEqual(order, users.map((u) => u.id), "in the order of the changes");
      // Until the head was delivered, nothing after it was sent.
      assert.ok(r.received.slice(0, 3).every((x) => x.json.data.user.id === users[0].id));
      assert.ok(dead.received.length >= 1, "the dead endpoint was tried");
      await until("every delivery recorded", async () => (await deliveries(t(), account, hook.id)).every((d) => d.state === "delivered"));
    } finally {
      await dead.close();
    }
  });

  test("a delivery not sent within its 24 h fails without holding up the endpoint's next one; old log entries go", async () => {
    const r = await fresh();
    r.answer(() => 500);
    const account = await t().account();
    const product = await t().product();
    await t().subscribe(account, product.slug, 2, 0);
    const hook = await endpoint(t(), account, r.url, ["seat.granted"]);
    const [first, second] = [await t().user(account), await t().user(account)];
    await t().grant(account, first.id, product.slug, "named");
    await t().grant(account, second.id, product.slug, "named");
    await until("the head tried", async () => r.received.length >= 1);
    assert.ok(r.received.every((x) => x.json.data.user.id === first.id), "the second waits behind the first");
    const db = t().database.db;
    await sql`UPDATE webhook_deliveries SET give_up_at = now() - interval '1 second' WHERE account_id = ${account.id} AND body LIKE ${`%${first.id}%`}`.execute(db);
    // Given up while the receiver still fails it (a retry answered 200 would deliver it first).
    await expireDeliveries(db, new Date(), 30 * 24 * 3600 * 1000);
    r.answer(() => 200);
    await until("the second delivered", async () => r.accepted().some((x) => x.json.data.user.id === second.id));
    const log = await until("both settled", async () => {
      const items = await deliveries(t(), account, hook.id);
      return items.every((d) => d.state !== "pending") && items;
    });
    const head = log.find((d: any) => d.payload.data.user.id === first.id);
    assert.equal(head.state, "failed");
    assert.match(head.lastError, /given up: not delivered within 24 h/);
    assert.equal(r.accepted().some((x) => x.json.data.user.id === first.id), false);
    await sql`UPDATE webhook_deliveries SET created_at = now() - interval '31 days' WHERE account_id = ${account.id}`.execute(db);
    await expireDeliveries(db, new Date(), 30 * 24 * 3600 * 1000);
    assert.equal((await deliveries(t(), account, hook.id)).length, 0, "the log keeps 30 days");
  });

  test("a CSV import of 11,000 seats writes 11,000 seat.granted deliveries with it (more events than bind parameters allow)", async () => {
    const r = await fresh();
    r.answer(() => "hang");
    const account = await t().account();
    const product = await t().product();
    await t().subscribe(account, product.slug, 0, 5);
    await endpoint(t(), account, r.url, ["seat.granted"]);
    const rows = Array.from({ length: 11_000 }, (_, i) => `bulk${i}@import.test,Bulk ${i},agent,${product.slug}:concurrent`);
    const imported = await t().call("POST", "/api/v1/users/import?dryRun=false", {
      token: account.admin.token,
      body: ["email,name,role,seats", ...rows].join("\n"),
      headers: { "content-type": "text/csv" },
    });
    assert.equal(imported.status, 200, JSON.stringify(imported.body).slice(0, 300));
    const listed = await t().call("GET", "/api/v1/webhooks", { token: account.admin.token });
    assert.equal(listed.body.items[0].pending, 11_000);
  });

  test("replay sends the same event again as a new delivery; the log links them", async () => {
    const r = await fresh();
    const account = await t().account();
    const product = await t().product();
    await t().subscribe(account, product.slug, 1, 0);
    const hook = await endpoint(t(), account, r.url, ["seat.granted"]);
    const user = await t().user(account);
    await t().grant(account, user.id, product.slug, "named");
    await until("the delivery", async () => r.accepted().length === 1);
    const [original] = await deliveries(t(), account, hook.id);
    const replay = await t().call("POST", `/api/v1/webhooks/${hook.id}/deliveries/${original.id}/replay`, { token: account.admin.token });
    assert.equal(replay.status, 202);
    assert.equal(replay.body.replayOf, original.id);
    await until("the replay", async () => r.accepted().length === 2);
    assert.equal(r.received[1].json.id, r.received[0].json.id, "same event id: receivers deduplicate");
    assert.equal(r.received[1].body, r.received[0].body);
    assert.equal(r.received[1].headers["seatkeeper-delivery-id"], replay.body.id);
    await until("both recorded", async () => (await deliveries(t(), account, hook.id)).every((d) => d.state === "delivered"));
    const unknown = await t().call("POST", `/api/v1/webhooks/${hook.id}/deliveries/whd_999999999/replay`, { token: account.admin.token });
    assert.equal(unknown.status, 404);
    const malformed = await t().call("POST", `/api/v1/webhooks/${hook.id}/deliveries/nonsense/replay`, { token: account.admin.token });
    assert.equal(malformed.status, 404);
  });

  test("only admins manage webhooks; another account's endpoint is a 404; a disabled endpoint collects nothing; delete removes it", async () => {
    const r = await fresh();
    const account = await t().account();
    const other = await t().account();
    const product = await t().product();
    await t().subscribe(account, product.slug, 2, 0);
    const hook = await endpoint(t(), account, r.url, ["seat.granted"]);
    const agent = await t().user(account);
    assert.equal((await t().call("GET", "/api/v1/webhooks", { token: agent.token })).status, 403);
    assert.equal((await t().call("POST", "/api/v1/webhooks", { token: agent.token, body: { url: r.url, events: ["seat.granted"] } })).status, 403);
    assert.equal((await t().call("GET", `/api/v1/webhooks/${hook.id}`, { token: other.admin.token })).status, 404);
    assert.equal((await t().call("DELETE", `/api/v1/webhooks/${hook.id}`, { token: other.admin.token })).status, 404);
    assert.equal((await t().call("GET", "/api/v1/webhooks", { token: other.admin.token })).body.items.length, 0);
    const bad = await t().call("POST", "/api/v1/webhooks", { token: account.admin.token, body: { url: r.url, events: ["seat.exploded"] } });
    assert.equal(bad.status, 400);

    const off = await t().call("PATCH", `/api/v1/webhooks/${hook.id}`, { token: account.admin.token, body: { enabled: false } });
    assert.equal(off.body.enabled, false);
    await t().grant(account, agent.id, product.slug, "named");
    await sleep(300);
    assert.equal(r.received.length, 0);
    assert.equal((await deliveries(t(), account, hook.id)).length, 0);
    const listed = await t().call("GET", "/api/v1/webhooks", { token: account.admin.token });
    assert.deepEqual([listed.body.items[0].pending, listed.body.items[0].failed], [0, 0]);
    assert.equal((await t().call("DELETE", `/api/v1/webhooks/${hook.id}`, { token: account.admin.token })).status, 204);
    assert.equal((await t().call("GET", `/api/v1/webhooks/${hook.id}`, { token: account.admin.token })).status, 404);
    const audit = await t().call("GET", "/api/v1/audit?action=webhook.deleted", { token: account.admin.token });
    assert.equal(audit.body.items.length, 1);
  });
}, ALLOW);

eachBackend("webhooks: SSRF guard", ({ t }) => {
  test("without the allowance, plain http and loopback, private, link-local and metadata targets are refused and nothing is stored", async () => {
    const account = await t().account();
    for (const url of [
      "http://hooks.example.com/x", "https://127.0.0.1/x", "https://localhost:8443/x", "https://10.1.2.3/x", "https://192.168.0.10/x",
      "https://172.16.5.4/x", "https://169.254.169.254/latest/meta-data", "https://[::1]/x", "https://[fd00::1]/x", "https://[::ffff:127.0.0.1]/x",
      "https://0.0.0.0/x", "https://user:pw@hooks.example.com/x", "not a url",
    ]) {
      const r = await t().call("POST", "/api/v1/webhooks", { token: account.admin.token, body: { url, events: ["seat.granted"] } });
      assert.equal(r.status, 400, url);
      assert.equal(r.body.code, "VALIDATION_FAILED");
      assert.equal(r.body.errors![0].field, "url");
    }
    const r = await t().call("POST", "/api/v1/webhooks", { token: account.admin.token, body: { url: "https://127.0.0.1/x", events: ["seat.granted"] } });
    assert.match(r.body.errors![0].message, /SEATKEEPER_WEBHOOK_ALLOW_PRIVATE/);
    assert.equal((await t().call("GET", "/api/v1/webhooks", { token: account.admin.token })).body.items.length, 0);
  });
});
