// The demo's recorded day: 15 agents' last 24 hours on 10 seats, played through the seat
// core. The advice read back from those records must give, at today's 10 seats, what the
// pool recorded — and so must the simulation of the asks as the agents made them; with more
// seats it must stay near that simulation (asks never served have drawn holds).
import assert from "node:assert/strict";
import { test } from "node:test";
import { replay } from "../domain/seat-advice.js";
import { eachBackend } from "../../test/support/suite.js";
import { DEMO_ADMIN_EMAIL, seedDemo } from "./demo.service.js";

eachBackend("the demo's recorded day", ({ t }) => {
  test("a fresh demo has yesterday's shortage on record, and the advice replays it to exactly what the seat core recorded", async () => {
    const seeded = Date.now();
    const demo = await seedDemo(t().database.db);
    const { day } = demo;
    assert.ok(day.asks.length > 200 && day.refused >= 20 && day.gaveUp >= 1, `a busy day with a shortage: ${JSON.stringify({ ...day, asks: day.asks.length })}`);
    const admin = await t().database.db.selectFrom("users").select("id").where("account_id", "=", demo.accountId).where("email", "=", DEMO_ADMIN_EMAIL).executeTakeFirstOrThrow();
    const token = await t().token(demo.accountId, admin.id);

    const advice = await t().call("GET", "/api/v1/usage/advice?product=remote-support-v5&days=7", { token });
    assert.equal(advice.status, 200, JSON.stringify(advice.body));
    const { body } = advice;
    assert.equal(body.capacity, 10);
    assert.deepEqual(
      [body.recorded.requests, body.recorded.served, body.recorded.refusals, body.recorded.abandoned],
      [day.asks.length, day.served, day.refused, day.gaveUp],
      "every ask, seat, refusal and give-up of the day is on record",
    );
    const asMade = replay(day.asks, 10);
    assert.equal(asMade.refusals, day.refused, "the simulation of the asks refuses what the seat core refused");
    assert.equal(body.current.refusals, day.refused);
    assert.equal(body.current.turnedAway, asMade.turnedAway);
    assert.equal(body.current.served, asMade.served);
    assert.ok(Math.abs(body.current.waitP95Seconds - asMade.waitP95Seconds) <= 0.2, `p95 wait ${body.current.waitP95Seconds} s vs ${asMade.waitP95Seconds} s`);
    // With more seats, the asks refused today would have held seats for holds nobody saw: the
    // advice draws them from the holds it saw, so it is near the simulation, not equal to it.
    const more = body.items.filter((i) => i.capacity > 10);
    for (const item of more) {
      const expected = replay(day.asks, item.capacity).refusals;
      assert.ok(Math.abs(item.refusals - expected) <= Math.max(6, expected / 2), `${item.capacity} seats: ${item.refusals} refusals vs ${expected}`);
    }
    assert.deepEqual(more.map((i) => i.refusals), more.map((i) => i.refusals).sort((a, b) => b - a), "more seats never refuse more");
    assert.ok(more[0].refusals < day.refused);
    assert.ok(body.suggested !== null && body.suggested > 10, `more seats are suggested: ${body.suggested}`);

    const shortages = await t().call("GET", `/api/v1/usage/shortages?product=remote-support-v5&from=${new Date(seeded - 25 * 3600_000).toISOString()}`, { token });
    assert.ok(shortages.body.items.length > 0 && shortages.body.items.every((s) => s.end !== null), "the day ran out of seats, and every run-out ended");

    // The day is over: nobody holds or waits, the agents are signed out, the lease setting is the account's.
    assert.deepEqual((await t().call("GET", "/api/v1/shared-sessions?product=remote-support-v5", { token })).body.items, []);
    assert.equal((await t().call("GET", "/api/v1/account", { token })).body.settings.leaseTtlSeconds, 90);
    const live = await t().database.db.selectFrom("auth_tokens").select("id").where("account_id", "=", demo.accountId).where("revoked_at", "is", null).execute();
    assert.equal(live.length, 1, "only the admin's token of this test");
  });
});
