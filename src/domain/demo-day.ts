// The demo's recorded day: when the agents sharing a pool ask for a seat over a day, how long
// they hold it, and how long they are willing to wait when none is free. Busy mornings and
// afternoons, a quiet lunch and night. Pure and seeded: the same seed gives the same day.
// The demo service plays these asks through the real seat core (src/services/demo-history.service.ts).

/** A seeded stream of uniform numbers in [0, 1) (mulberry32). */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const MINUTE = 60_000;

/** Asks per idle agent per hour at a local time of day (hours, 0–24). */
export function asksPerHour(hour: number): number {
  if (hour < 7.5 || hour >= 19) return 0.05;
  if (hour < 8.5) return 2;
  if (hour < 12) return 7;
  if (hour < 13.5) return 1.5;
  if (hour < 17) return 8;
  return 2;
}

const PEAK_ASKS_PER_HOUR = 8;

/** Two agents in three wait for a seat when none is free; the others try again later. */
export function waitsForSeat(index: number): boolean {
  return index % 3 !== 2;
}

/**
 * When an idle agent next asks, at or after `after` (ms since epoch): a Poisson process whose
 * rate follows the time of day (thinning), never sooner than two minutes after its last
 * seat or ask. Null when the next ask would fall after `until`.
 */
export function nextAsk(random: () => number, after: number, until: number, hourOf: (ms: number) => number): number | null {
  let t = after + 2 * MINUTE;
  for (;;) {
    t += (-Math.log(1 - random()) / PEAK_ASKS_PER_HOUR) * 60 * MINUTE;
    if (t >= until) return null;
    if (random() * PEAK_ASKS_PER_HOUR < asksPerHour(hourOf(t))) return Math.round(t);
  }
}

/** How long a support session holds its seat: log-normal, median 11 min, between 1 and 75 min. */
export function holdMs(random: () => number): number {
  const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Math.round(Math.min(75, Math.max(1, 11 * Math.exp(0.6 * normal))) * MINUTE);
}

/** How long an agent who waits waits before giving up: 30 s to 12 min. */
export function patienceMs(random: () => number): number {
  return Math.round((0.5 + 11.5 * random() ** 1.5) * MINUTE);
}
