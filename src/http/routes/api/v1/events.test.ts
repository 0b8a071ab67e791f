// GET /me/events over a real socket: the agent hears of its queue position, the seat it
// is granted, and the session an admin ended.
import assert from "node:assert/strict";
import { test } from "node:test";
import { eachBackend } from "../../../../../test/support/suite.js";
import { openEvents } from "../../../../../test/support/events.js";

eachBackend("agent events (SSE)", ({ t }) => {
  test("open streams end when the server shuts down, so that it can", async () => {
    const { startTestApp } = await import("../../../../../test/support/app.js");
    const own = await startTestApp(t().backend);
    const base = await own.listen();
    const account = await own.account();
    const response = await fetch(`${base}/api/v1/me/events`, { headers: { authorization: `Bearer ${account.admin.token}` } });
    assert.equal(response.status, 200);
    const started = Date.now();
    await own.close();
    assert.ok(Date.now() - started < 3000, `closed in ${Date.now() - started} ms`);
    await response.body!.cancel().catch(() => {});
  });

  test("queue.position, seat.granted, session.ended and seat.revoked reach the agent's stream", async () => {
    const base = await t().listen();
    const account = await t().account();
    const product = await t().product();
    await t().subscribe(account, product.slug, 0, 1);
    const holder = await t().user(account, { app: "desktop" });
    const waiter = await t().user(account, { app: "mobile" });
    await t().grant(account, holder.id, product.slug, "concurrent");
    await t().grant(account, waiter.id, product.slug, "concurrent");
    const held = await t().call("POST", "/api/v1/me/sessions", { token: holder.token, body: { product: product.slug } });
    assert.equal(held.status, 201);

    const holderEvents = await openEvents(base, holder.token);
    const waiterEvents = await openEvents(base, waiter.token);
    try {
      await t().call("POST", "/api/v1/me/heartbeat", { token: waiter.token });
      assert.equal((await t().call("POST", "/api/v1/me/sessions", { token: waiter.token, body: { product: product.slug, wait: 1 } })).status, 409);
      assert.deepEqual(await waiterEvents.next("queue.position"), { type: "queue.position", product: product.slug, position: 1 });

      const list = await t().call("GET", "/api/v1/shared-sessions", { token: account.admin.token });
      await t().call("POST", "/api/v1/shared-sessions/end", { token: account.admin.token, body: { ids: [list.body.items[0].id], reason: "idle" } });
      const ended = await holderEvents.next("session.ended");
      assert.deepEqual(ended, { type: "session.ended", product: product.slug, sessionIds: [held.body.id], by: { id: account.admin.id, name: "Ada Admin" }, reason: "idle" });
      const granted = await waiterEvents.next("seat.granted");
      assert.equal(granted.product, product.slug);
      assert.ok(Date.parse(granted.reservedUntil) > Date.now());

      await t().call("DELETE", `/api/v1/users/${waiter.id}/seats/${product.slug}`, { token: account.admin.token });
      assert.deepEqual(await waiterEvents.next("seat.revoked"), { type: "seat.revoked", product: product.slug });
    } finally {
      holderEvents.close();
      waiterEvents.close();
    }
  });

  test("a stream that reconnects with Last-Event-ID gets the events it missed, once, with their ids", async () => {
    const base = await t().listen();
    const account = await t().account();
    const product = await t().product();
    await t().subscribe(account, product.slug, 0, 2);
    const agent = await t().user(account, { app: "desktop" });
    await t().grant(account, agent.id, product.slug, "concurrent");
    const headers = (extra: Record<string, string> = {}) => ({ authorization: `Bearer ${agent.token}`, ...extra });
    /** Reads a stream until `count` events with an id came, then hangs up. */
    const read = async (count: number, extra: Record<string, string> = {}) => {
      const controller = new AbortController();
      const response = await fetch(`${base}/api/v1/me/events`, { headers: headers(extra), signal: controller.signal });
      assert.equal(response.status, 200);
      const events: { id: number; type: string; product: string }[] = [];
      const decoder = new TextDecoder();
      let text = "";
      let raw = "";
      const reader = response.body!.getReader();
      const timer = setTimeout(() => controller.abort(), 5000);
      try {
        while (events.length < count) {
          const { value, done } = await reader.read();
          if (done) break;
          const chunk = decoder.decode(value, { stream: true });
          raw += chunk;
          text += chunk;
          for (let cut; (cut = text.indexOf("\n\n")) !== -1; text = text.slice(cut + 2)) {
            const lines = text.slice(0, cut).split("\n");
            const id = lines.find((l) => l.startsWith("id: "));
            const data = lines.find((l) => l.startsWith("data: "));
            if (id && data) events.push({ id: Number(id.slice(4)), ...JSON.parse(data.slice(6)) });
          }
        }
      } catch {
        // timed out: the events so far are the answer
      } finally {
        clearTimeout(timer);
        controller.abort();
      }
      return { events, raw };
    };
    const admin = account.admin.token;
    const start = async () => (await t().call("POST", "/api/v1/me/sessions", { token: agent.token, body: { product: product.slug } })).body.id as string;
    const endAll = async (reason: string) => {
      const list = await t().call("GET", "/api/v1/shared-sessions", { token: admin });
      await t().call("POST", "/api/v1/shared-sessions/end", { token: admin, body: { ids: list.body.items.map((i: { id: string }) => i.id), reason } });
    };
    await t().call("PATCH", "/api/v1/account", { token: admin, body: { settings: { endedCooldownSeconds: 0 } } });
    // A first stream hears one end, then the app loses its connection.
    await start();
    const first = read(1);
    await new Promise((r) => setTimeout(r, 300));
    await endAll("first");
    const heard = (await first).events;
    assert.equal(heard.length, 1);
    assert.equal((heard[0] as unknown as { reason: string }).reason, "first");
    // Meanwhile, offline: an admin ends its next session, and its seat is revoked.
    await start();
    await endAll("while offline");
    await t().call("DELETE", `/api/v1/users/${agent.id}/seats/${product.slug}`, { token: admin });

    const resumed = await read(2, { "last-event-id": String(heard[0]!.id) });
    assert.deepEqual(resumed.events.map((e) => e.type), ["session.ended", "seat.revoked"]);
    assert.ok(resumed.events[0]!.id > heard[0]!.id && resumed.events[1]!.id > resumed.events[0]!.id, "ids increase");
    assert.match(resumed.raw, /retry: \d+/, "the stream tells the client how soon to reconnect");
    assert.match(resumed.raw, new RegExp(`^id: ${heard[0]!.id}$`, "m"), "and the id it starts from, before any event");
    const fresh = await read(1);
    assert.deepEqual(fresh.events, [], "without Last-Event-ID, nothing from before the stream");
    const bad = await fetch(`${base}/api/v1/me/events`, { headers: headers({ "last-event-id": "not-an-id" }) });
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).code, "VALIDATION_FAILED");
  });
});
