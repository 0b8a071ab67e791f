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
});
