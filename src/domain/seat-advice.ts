// "Need more seats?" answered by replaying recorded demand against other capacities. Each
// request arrives, takes a free seat if one is free and nobody waits (the pool's rules:
// first come, first served, nobody overtakes a waiter), else is refused — and then waits
// in the FIFO queue as long as it was willing to, or leaves. A seat is held for the
// request's hold time. Pure: the usage service reads the records and calls this.

export interface Demand {
  /** Arrival, ms since epoch. */
  at: number;
  /** How long the seat is held once granted, ms. */
  holdMs: number;
  /** How long the request waits for a seat before leaving: 0 = never waits, Infinity = until served. */
  patienceMs: number;
}

export interface ReplayResult {
  capacity: number;
  /** Requests that found no free seat on arrival (what the pool records as refusals). */
  refusals: number;
  /** Requests that never got a seat (refused without waiting, or gave up waiting). */
  turnedAway: number;
  served: number;
  /** 95th percentile of the wait of every request served (0 for one served at once), seconds. */
  waitP95Seconds: number;
  waitMeanSeconds: number;
}

/** A binary min-heap of seat release times. */
class Releases {
  private readonly a: number[] = [];
  get size(): number {
    return this.a.length;
  }
  peek(): number {
    return this.a[0];
  }
  push(x: number): void {
    const a = this.a;
    a.push(x);
    for (let i = a.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (a[p] <= a[i]) break;
      [a[p], a[i]] = [a[i], a[p]];
      i = p;
    }
  }
  pop(): number {
    const a = this.a;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l] < a[m]) m = l;
        if (r < a.length && a[r] < a[m]) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1))];
}

/** Replays `demands` (any order) against `capacity` seats. */
export function replay(demands: readonly Demand[], capacity: number): ReplayResult {
  const sorted = [...demands].sort((x, y) => x.at - y.at);
  const seats = new Releases();
  const queue: Demand[] = [];
  let head = 0;
  let refusals = 0;
  let turnedAway = 0;
  const waits: number[] = [];

  const take = (d: Demand, at: number) => {
    waits.push(at - d.at);
    seats.push(at + d.holdMs);
  };
  // A seat frees at `t`: it goes to the first waiter still waiting.
  const release = (t: number) => {
    while (head < queue.length && queue[head].at + queue[head].patienceMs < t) {
      head++;
      turnedAway++;
    }
    if (head < queue.length) take(queue[head++], t);
  };

  for (const d of sorted) {
    while (seats.size > 0 && seats.peek() <= d.at) release(seats.pop());
    // Waiters whose patience ran out before this arrival have left.
    while (head < queue.length && queue[head].at + queue[head].patienceMs < d.at) {
      head++;
      turnedAway++;
    }
    if (seats.size < capacity && head === queue.length) {
      take(d, d.at);
      continue;
    }
    refusals++;
    if (d.patienceMs > 0 && capacity > 0) queue.push(d);
    else turnedAway++;
  }
  while (head < queue.length && seats.size > 0) release(seats.pop());
  turnedAway += queue.length - head;

  waits.sort((x, y) => x - y);
  const mean = waits.length ? waits.reduce((s, w) => s + w, 0) / waits.length : 0;
  return {
    capacity,
    refusals,
    turnedAway,
    served: waits.length,
    waitP95Seconds: round(percentile(waits, 0.95) / 1000),
    waitMeanSeconds: round(mean / 1000),
  };
}

const round = (x: number) => Math.round(x * 10) / 10;

/** The capacities the advice shows: today's −50 % to +100 %, at most `maxPoints` of them, today's included. */
export function capacitiesAround(current: number, maxPoints = 41): number[] {
  const low = Math.floor(current / 2);
  const high = Math.max(current * 2, current + 4);
  const step = Math.max(1, Math.ceil((high - low) / (maxPoints - 1)));
  const out = new Set<number>([current]);
  for (let c = low; c <= high; c += step) out.add(c);
  out.add(high);
  return [...out].sort((a, b) => a - b);
}

export type Confidence = "none" | "low" | "medium" | "high";

/** How sure the advice is, from how much demand was observed (abandoned waits are demand too). */
export function confidenceOf(requests: number, refusals: number): Confidence {
  if (requests === 0) return "none";
  if (requests < 100 || (refusals > 0 && refusals < 10)) return "low";
  if (requests < 1000) return "medium";
  return "high";
}

/** A deterministic stream of picks (so the same records always give the same advice). */
export function picker(seed: number): (n: number) => number {
  let s = seed >>> 0 || 1;
  return (n) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}
