// Summaries of what the load generator recorded: latency percentiles and, from each grant's
// client-side interval, how many seats were in use at once.

export interface Latency {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles, in milliseconds rounded to 0.1. */
export function latency(samples: number[]): Latency {
  const sorted = Float64Array.from(samples).sort();
  const rank = (p: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return { count: sorted.length, p50: round(rank(0.5)), p95: round(rank(0.95)), p99: round(rank(0.99)), max: round(rank(1)) };
}

export interface Occupancy {
  /** Most intervals open at one instant. */
  max: number;
  /** Time-weighted mean of open intervals over the window. */
  mean: number;
}

/**
 * Seats in use over [from, to], from intervals [start, end] (clipped to the window). An
 * interval that ends exactly when another starts does not overlap it.
 */
export function occupancy(intervals: Array<[number, number]>, from: number, to: number): Occupancy {
  const edges: Array<[number, number]> = [];
  let covered = 0;
  for (const [start, end] of intervals) {
    const a = Math.max(start, from);
    const b = Math.min(end, to);
    if (b <= a) continue;
    covered += b - a;
    edges.push([a, 1], [b, -1]);
  }
  // At equal times, ends before starts.
  edges.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let open = 0;
  let max = 0;
  for (const [, delta] of edges) {
    open += delta;
    if (open > max) max = open;
  }
  return { max, mean: to > from ? Math.round((covered / (to - from)) * 100) / 100 : 0 };
}

export function mean(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, v) => sum + v, 0) / values.length;
}
