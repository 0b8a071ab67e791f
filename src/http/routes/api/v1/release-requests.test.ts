import assert from "node:assert/strict";
import { test } from "node:test";
import { eachBackend } from "../../../../../test/support/suite.js";
import { openEvents } from "../../../../../test/support/events.js";
import { pool, sleep, until } from "../../../../../test/support/pool.js";

eachBackend("release requests, the queue and shortages", ({ t }) => {
  test("an admin dismisses a request with a note the agent reads; a closed or foreign request is a 404", async () => {
    const p = await pool(t(), 0, 1);
    await p.start(await p.agent());
    const asker = await p.agent("concurrent", "Louis David");
    const asked = await t().call("POST", "/api/v1/me/release-requests", { token: asker.token, body: { product: p.product.slug, message: "Hugo is at lunch" } });
    const admin = p.account.admin.token;
    const close = (id: string, body: unknown, token = admin) => t().call("POST", `/api/v1/release-requests/${id}/close`, { token, body });

    assert.equal((await close(asked.body.id, { outcome: "ignored" })).status, 400);
    assert.equal((await close(asked.body.id, { outcome: "dismissed" }, asker.token)).status, 403);
    const other = await t().account();
    assert.equal((await close(asked.body.id, { outcome: "dismissed" }, other.admin.token)).status, 404);

    const events = await openEvents(await t().listen(), asker.token);
    const closed = await close(asked.body.id, { outcome: "dismissed", note: "Hugo is with a customer: wait in the queue." });
    assert.equal(closed.status, 200);
    assert.equal(closed.body.outcome, "dismissed");
    const heard = await events.next("release_request.closed");
    events.close();
    assert.deepEqual(
      { outcome: heard.outcome, note: heard.note, requestId: heard.requestId, product: heard.product },
      { outcome: "dismissed", note: "Hugo is with a customer: wait in the queue.", requestId: asked.body.id, product: p.product.slug },
    );
    assert.deepEqual((await t().call("GET", "/api/v1/release-requests", { token: admin })).body.items, []);
    const mine = await t().call("GET", "/api/v1/me/release-requests", { token: asker.token });
    assert.equal(mine.status, 200);
    assert.deepEqual(
      mine.body.items.map((r: any) => [r.state, r.outcome, r.note, r.closedBy, r.product]),
      [["closed", "dismissed", "Hugo is with a customer: wait in the queue.", (await t().call("GET", `/api/v1/users/${p.account.admin.id}`, { token: admin })).body.name, p.product.slug]],
    );
    assert.equal((await close(asked.body.id, { outcome: "resolved" })).status, 404, "already closed");
    assert.equal((await close("rr_nope", { outcome: "resolved" })).status, 404);
    // Messages for people name the product, not its slug.
    const noSeat = await t().user(p.account);
    const refused = await t().call("POST", "/api/v1/me/release-requests", { token: noSeat.token, body: { product: p.product.slug } });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.detail, "You have no seat of Remote Support v5. Ask an admin to grant you one.");
    const refusedFr = await t().call("POST", "/api/v1/me/sessions", { token: noSeat.token, body: { product: p.product.slug }, headers: { "accept-language": "fr" } });
    assert.equal(refusedFr.body.detail, "Vous n'avez aucun poste de Remote Support v5. Demandez-en un à un administrateur.");
    const audit = await t().call("GET", "/api/v1/audit?action=release_request.dismissed", { token: admin });
    assert.equal(audit.body.items[0].details.note, "Hugo is with a customer: wait in the queue.");
  });

  test("a request closes by itself when its agent is served from the queue, or when its queue place lapses", async () => {
    const p = await pool(t(), 0, 1, { leaseTtlSeconds: 5 });
    const holder = await p.agent();
    const held = await p.start(holder);
    const served = await p.agent();
    const waiting = p.start(served, { wait: 20 });
    await until("queued", async () => (await p.line()).waiting === 1);
    await t().call("POST", "/api/v1/me/release-requests", { token: served.token, body: { product: p.product.slug } });
    await t().call("POST", `/api/v1/me/sessions/${held.body.id}/end`, { token: holder.token });
    assert.equal((await waiting).status, 201);
    const mine = await t().call("GET", "/api/v1/me/release-requests", { token: served.token });
    assert.deepEqual(mine.body.items.map((r: any) => r.outcome), ["seat_granted"]);

    // Queued for one second and never heard from again (leases last 5 s): it gave up.
    const quitter = await p.agent();
    await t().call("POST", "/api/v1/me/release-requests", { token: quitter.token, body: { product: p.product.slug } });
    assert.equal((await p.start(quitter, { wait: 1 })).status, 409);
    await until("the lapsed place swept", async () => {
      const r = await t().call("GET", "/api/v1/me/release-requests", { token: quitter.token });
      return r.body.items[0]?.outcome === "gave_up";
    });
    assert.deepEqual((await t().call("GET", "/api/v1/release-requests", { token: p.account.admin.token })).body.items, []);
  });

  test("the queue per product: who waits in which position since when, and whose seat is reserved until when", async () => {
    const p = await pool(t(), 0, 1, { leaseTtlSeconds: 600 });
    const holder = await p.agent();
    const held = await p.start(holder);
    const first = await p.agent("concurrent", "Louis David");
    const second = await p.agent("concurrent", "Manon Bertrand");
    for (const agent of [first, second]) {
      await t().call("POST", "/api/v1/me/heartbeat", { token: agent.token });
      assert.equal((await p.start(agent, { wait: 1 })).status, 409);
    }
    const admin = p.account.admin.token;
    const queue = await t().call("GET", `/api/v1/queue?product=${p.product.slug}`, { token: admin });
    assert.equal(queue.status, 200);
    assert.deepEqual(queue.body.items.map((e: any) => [e.user.name, e.state, e.position]), [["Louis David", "waiting", 1], ["Manon Bertrand", "waiting", 2]]);
    assert.ok(Date.parse(queue.body.items[0].since) <= Date.parse(queue.body.items[1].since));

    await t().call("POST", `/api/v1/me/sessions/${held.body.id}/end`, { token: holder.token });
    const after = (await t().call("GET", "/api/v1/queue", { token: admin })).body.items;
    assert.deepEqual(after.map((e: any) => [e.user.name, e.state, e.position]), [["Louis David", "reserved", null], ["Manon Bertrand", "waiting", 1]]);
    assert.ok(Date.parse(after[0].reservedUntil!) > Date.now() + 500_000);
    assert.equal((await t().call("GET", "/api/v1/queue", { token: holder.token })).status, 403);
    assert.equal((await t().call("GET", "/api/v1/queue?product=nope", { token: admin })).status, 404);
  });

  test("shortages: when every seat was in use, for how long, who was refused; shared sessions say when the app was last heard", async () => {
    const p = await pool(t(), 0, 1);
    const from = new Date(Date.now() - 1000).toISOString();
    const [a, b] = [await p.agent(), await p.agent()];
    const s = await p.start(a);
    assert.equal((await p.start(b)).status, 409);
    assert.equal((await p.start(b)).status, 409);
    const admin = p.account.admin.token;
    const listed = (await t().call("GET", "/api/v1/shared-sessions", { token: admin })).body.items[0];
    assert.equal(listed.lastHeartbeatAt, null);
    assert.equal(listed.idleSince, listed.since, "never connected: idle since it began");
    await sleep(20);
    await t().call("POST", "/api/v1/me/heartbeat", { token: a.token });
    await t().call("POST", `/api/v1/me/sessions/${s.body.id}/connect`, { token: a.token, body: { mode: "attended", platform: "windows" } });
    const connected = (await t().call("GET", "/api/v1/shared-sessions", { token: admin })).body.items[0];
    assert.ok(Date.parse(connected.lastHeartbeatAt!) > Date.parse(connected.since));
    assert.equal(connected.idleSince, null);

    const running = await t().call("GET", `/api/v1/usage/shortages?product=${p.product.slug}&from=${from}`, { token: admin });
    assert.equal(running.status, 200);
    assert.equal(running.body.items.length, 1);
    assert.equal(running.body.items[0].end, null);
    assert.equal(running.body.items[0].refusals, 2);
    await t().call("POST", `/api/v1/me/sessions/${s.body.id}/end`, { token: a.token });
    const ended = (await t().call("GET", `/api/v1/usage/shortages?product=${p.product.slug}&from=${from}`, { token: admin })).body.items;
    assert.equal(ended.length, 1);
    assert.ok(ended[0].end !== null && ended[0].total === 1);
    assert.equal((await t().call("GET", `/api/v1/usage/shortages?product=${p.product.slug}&from=${from}&to=${from}`, { token: admin })).status, 400);
  });

  test("the usage history's licensed total is the one of its time, not today's", async () => {
    const p = await pool(t(), 0, 2);
    const from = new Date(Date.now() - 1000).toISOString();
    const a = await p.agent();
    await p.start(a);
    await sleep(1100);
    await t().subscribe(p.account, p.product.slug, 0, 4);
    const series = await t().call("GET", `/api/v1/usage?product=${p.product.slug}&from=${from}&step=1`, { token: p.account.admin.token });
    const totals = series.body.items.map((x: any) => x.total);
    assert.equal(totals[0], 2, "before the licences were added");
    assert.equal(totals.at(-1), 4);
    const peak = series.body.items.find((x: any) => x.occupiedMax === 1);
    assert.equal(peak?.totalAtPeak, 2, "the peak is compared with the licences of its time");
  });
});
