import assert from "node:assert/strict";
import { test } from "node:test";
import { latency, occupancy } from "./stats.js";

test("seats in use: overlaps counted, touching intervals are not, the window clips", () => {
  // 0–10 and 5–15 overlap; 15–20 starts as the second ends; 30–50 is half outside the window.
  const intervals: Array<[number, number]> = [[0, 10], [5, 15], [15, 20], [30, 50]];
  assert.deepEqual(occupancy(intervals, 0, 40), { max: 2, mean: 0.88 }); // (10 + 10 + 5 + 10) / 40, to 2 places
  assert.deepEqual(occupancy(intervals, 21, 29), { max: 0, mean: 0 });
});

test("latency percentiles are nearest-rank", () => {
  const samples = Array.from({ length: 100 }, (_, i) => 100 - i); // 1…100, unsorted
  assert.deepEqual(latency(samples), { count: 100, p50: 50, p95: 95, p99: 99, max: 100 });
  assert.deepEqual(latency([]), { count: 0, p50: 0, p95: 0, p99: 0, max: 0 });
});
