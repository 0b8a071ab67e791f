// Seat-sizing advice from demand recorded through the real API: seats taken, a refusal
// without waiting, a wait given up, a wait served. Replayed at today's capacity it gives
// the refusals that were recorded; with more seats, none.
import assert from "node:assert/strict";
import { test } from "node:test";
import { eachBackend } from "../../test/support/suite.js";
import { pool, sleep, until } from "../../test/support/pool.js";

eachBackend("seat-sizing advice", ({ t }) => {
  test("recorded starts, refusals, a wait given up and a wait served replay to the recorded refusals at today's capacity, and to none with more seats", async () => {
    const p = await pool(t(), 0, 2, { leaseTtlSeconds: 600, endedCooldownSeconds: 0 });
    const [a, b, c, d, e] = [await p.agent(), await p.agent(), await p.agent(), await p.agent(), await p.agent()];
    const first = await p.start(a);
    await p.start(b);
    assert.equal((await p.start(c)).status, 409, "refused without waiting");
    assert.equal((await p.start(d, { wait: 1 })).status, 409, "waited a second and gave up");
    await until("the given-up place swept", async () => (await p.line()).waiting === 0);
    await sleep(1200);
    const waiting = p.start(e, { wait: 20 });
    await until("the waiter queued", async () => (await p.line()).waiting === 1);
    await sleep(500);
    await t().call("POST", `/api/v1/me/sessions/${first.body.id}/end`, { token: a.token });
    assert.equal((await waiting).status, 201, "served when the seat freed");

    const admin = p.account.admin.token;
    const advice = await t().call("GET", `/api/v1/usage/advice?product=${p.product.slug}&days=7`, { token: admin });
    assert.equal(advice.status, 200, JSON.stringify(advice.body));
    const body = advice.body;
    assert.equal(body.capacity, 2);
    assert.deepEqual(body.recorded, { requests: 5, served: 3, refusals: 3, abandoned: 1, refusedWithoutWaiting: 1 });
    assert.equal(body.current.capacity, 2);
    assert.equal(body.current.refusals, 3, "today's capacity replays to what was recorded");
    assert.equal(body.current.turnedAway, 2);
    assert.ok(body.current.waitP95Seconds >= 0.4, `the served waiter's wait: ${body.current.waitP95Seconds}`);
    assert.deepEqual(body.items.map((i: any) => i.capacity), [1, 2, 3, 4, 5, 6]);
    // Five requests at once need five seats: the drawn holds of the two never served outlast the run.
    const at5 = body.items.find((i) => i.capacity === 5)!;
    assert.deepEqual([at5.refusals, at5.turnedAway, at5.waitP95Seconds], [0, 0, 0]);
    const refusals = body.items.map((i: any) => i.refusals);
    assert.deepEqual(refusals, [...refusals].sort((x: number, y: number) => y - x), "more seats never refuse more");
    assert.equal(body.suggested, 5, "the fewest seats that refuse nobody (under 100 requests, 1 % is none)");
    assert.equal(body.confidence.level, "low");
    assert.match(body.confidence.statement, /5 requests/);

    const csv = await t().call<string>("GET", `/api/v1/usage/advice?product=${p.product.slug}&days=30&format=csv`, { token: admin });
    assert.equal(csv.status, 200);
    assert.match(String(csv.headers["content-type"]), /text\/csv/);
    const lines = csv.body.trim().split("\n");
    assert.equal(lines[0], "capacity,refusals,turnedAway,served,waitP95Seconds,waitMeanSeconds");
    assert.equal(lines.length, 7);
    assert.match(lines[2], /^2,3,2,3,/);
    const accepted = await t().call<string>("GET", `/api/v1/usage/advice?product=${p.product.slug}`, { token: admin, headers: { accept: "text/csv" } });
    assert.match(accepted.body, /^capacity,/);

    assert.equal((await t().call("GET", `/api/v1/usage/advice?product=${p.product.slug}&days=14`, { token: admin })).status, 400);
    assert.equal((await t().call("GET", `/api/v1/usage/advice?product=no-such-product`, { token: admin })).status, 404);
    assert.equal((await t().call("GET", `/api/v1/usage/advice?product=${p.product.slug}`, { token: a.token })).status, 403);
    const other = await t().account();
    const theirs = await t().call("GET", `/api/v1/usage/advice?product=${p.product.slug}`, { token: other.admin.token });
    assert.equal(theirs.body.recorded.requests, 0, "another account sees none of this demand");
    assert.equal(theirs.body.confidence.level, "none");
  });
});
