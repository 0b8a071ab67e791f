import assert from "node:assert/strict";
import { test } from "node:test";
import { findShortages, type UsageRow } from "./shortage.js";

const at = (minute: number, second = 0) => new Date(Date.UTC(2026, 11, 2, 4, minute, second));
const occupancy = (minute: number, occupied: number, total = 3, second = 0): UsageRow => ({ at: at(minute, second), kind: "occupancy", occupied, total, waitSeconds: null, count: 1 });
const refusal = (minute: number, count = 1): UsageRow => ({ at: at(minute), kind: "refusal", occupied: 3, total: 3, waitSeconds: null, count });
const wait = (minute: number, seconds: number, second = 0): UsageRow => ({ at: at(minute, second), kind: "wait", occupied: 3, total: 3, waitSeconds: seconds, count: 1 });

test("a full period reads as when it began, how long it lasted, who was refused and who waited", () => {
  const rows = [occupancy(40, 2), occupancy(48, 3), refusal(49, 3), refusal(50), occupancy(51, 2), wait(51, 120)];
  const [s, ...rest] = findShortages({ occupied: 1, total: 3 }, rows, at(0), at(59));
  assert.equal(rest.length, 0);
  assert.deepEqual(s, { start: at(48), end: at(51), durationSeconds: 180, total: 3, refusals: 4, waits: 1, waitMaxSeconds: 120 });
});

test("a seat handed straight to a waiter does not split a period; one still running ends at the window's end", () => {
  const rows = [occupancy(10, 3), occupancy(12, 2), occupancy(12, 3, 3, 1), occupancy(20, 2), occupancy(30, 3)];
  const shortages = findShortages({ occupied: 2, total: 3 }, rows, at(0), at(45));
  assert.deepEqual(shortages.map((s) => [s.start, s.end, s.durationSeconds]), [[at(10), at(20), 600], [at(30), null, 900]]);
});

test("added licences end a period; a product without concurrent seats never runs out", () => {
  const rows = [occupancy(5, 3, 4)];
  assert.deepEqual(findShortages({ occupied: 3, total: 3 }, rows, at(0), at(10)).map((s) => s.durationSeconds), [300]);
  assert.deepEqual(findShortages({ occupied: 0, total: 0 }, [], at(0), at(10)), []);
});
