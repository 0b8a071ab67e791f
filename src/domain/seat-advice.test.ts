// The replay against demand whose answer is known: Poisson arrivals with fixed holds and
// nobody waiting is Erlang's loss system (Erlang B holds whatever the hold distribution);
// with everybody waiting and exponential holds it is M/M/c (Erlang C). Fixed holds wait
// less than Erlang C says, which the replay must show too.
import assert from "node:assert/strict";
import { test } from "node:test";
import { capacitiesAround, picker, replay, type Demand } from "./seat-advice.js";

function erlangB(c: number, a: number): number {
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  return b;
}

function erlangC(c: number, a: number): number {
  const b = erlangB(c, a);
  return b / (1 - (a / c) * (1 - b));
}

/** A seeded uniform in (0, 1). */
function uniform(seed: number): () => number {
  const pick = picker(seed);
  return () => (pick(2 ** 31 - 1) + 1) / 2 ** 31;
}

function poisson(count: number, ratePerSecond: number, hold: () => number, patienceMs: number, seed: number): Demand[] {
  const u = uniform(seed);
  const out: Demand[] = [];
  let t = 0;
  for (let i = 0; i < count; i++) {
    t += (-Math.log(u()) / ratePerSecond) * 1000;
    out.push({ at: t, holdMs: hold(), patienceMs });
  }
  return out;
}

const N = 200_000;
const LAMBDA = 1; // per second
const HOLD_S = 8; // offered load 8 erlangs

test("no waiting, fixed holds: refusals per capacity match Erlang B within 1 point", () => {
  const demands = poisson(N, LAMBDA, () => HOLD_S * 1000, 0, 7);
  for (const c of [4, 6, 8, 10, 12, 16]) {
    const r = replay(demands, c);
    const expected = erlangB(c, LAMBDA * HOLD_S);
    assert.ok(Math.abs(r.refusals / N - expected) < 0.01, `c=${c}: replay ${(r.refusals / N).toFixed(4)}, Erlang B ${expected.toFixed(4)}`);
    assert.equal(r.turnedAway, r.refusals, "nobody waits: every refusal is turned away");
    assert.equal(r.waitP95Seconds, 0);
  }
});

test("everybody waits, exponential holds: the chance of waiting, mean and p95 wait match Erlang C", () => {
  const u = uniform(11);
  const demands = poisson(N, LAMBDA, () => -Math.log(u()) * HOLD_S * 1000, Infinity, 13);
  for (const c of [9, 10, 12]) {
    const r = replay(demands, c);
    const a = LAMBDA * HOLD_S;
    const pWait = erlangC(c, a);
    const rate = c / HOLD_S - LAMBDA;
    const meanWait = pWait / rate;
    // P(W > t) = C · e^(−(cμ−λ)t): the 95th percentile over everyone served.
    const p95 = pWait > 0.05 ? Math.log(pWait / 0.05) / rate : 0;
    assert.ok(Math.abs(r.refusals / N - pWait) < 0.02, `c=${c}: P(wait) ${(r.refusals / N).toFixed(4)} vs ${pWait.toFixed(4)}`);
    assert.ok(Math.abs(r.waitMeanSeconds - meanWait) < Math.max(0.15 * meanWait, 0.1), `c=${c}: mean wait ${r.waitMeanSeconds} vs ${meanWait.toFixed(2)}`);
    assert.ok(Math.abs(r.waitP95Seconds - p95) < Math.max(0.15 * p95, 0.3), `c=${c}: p95 wait ${r.waitP95Seconds} vs ${p95.toFixed(2)}`);
    assert.equal(r.turnedAway, 0);
    assert.equal(r.served, N);
  }
});

test("fixed holds wait less than Erlang C's exponential ones; more seats never refuse more", () => {
  const demands = poisson(50_000, LAMBDA, () => HOLD_S * 1000, Infinity, 5);
  const r = replay(demands, 10);
  assert.ok(r.refusals / 50_000 < erlangC(10, 8), "M/D/c waits less often than M/M/c");
  let last = Infinity;
  for (const c of capacitiesAround(10)) {
    const x = replay(demands, c);
    assert.ok(x.refusals <= last, `capacity ${c}`);
    last = x.refusals;
  }
});

test("patience: a waiter leaves when its patience runs out, and counts as turned away", () => {
  // One seat held 10 s; the second request waits 3 s and leaves; the third waits long enough.
  const demands: Demand[] = [
    { at: 0, holdMs: 10_000, patienceMs: 0 },
    { at: 1000, holdMs: 1000, patienceMs: 3000 },
    { at: 2000, holdMs: 1000, patienceMs: 60_000 },
  ];
  const r = replay(demands, 1);
  assert.deepEqual([r.refusals, r.turnedAway, r.served], [2, 1, 2]);
  assert.equal(r.waitP95Seconds, 8);
  const none = replay(demands, 0);
  assert.deepEqual([none.refusals, none.turnedAway, none.served], [3, 3, 0]);
});

test("the capacities shown run from half of today's to twice today's", () => {
  assert.deepEqual(capacitiesAround(10), [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
  assert.deepEqual(capacitiesAround(0), [0, 1, 2, 3, 4]);
  const big = capacitiesAround(500);
  assert.ok(big.length <= 43 && big[0] === 250 && big.at(-1) === 1000 && big.includes(500));
});
