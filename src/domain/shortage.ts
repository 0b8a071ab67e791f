// "When did seats run out?" (S11): the periods when every concurrent seat of a product was
// in use, read from the usage history, each with the agents refused and admitted after a
// wait meanwhile. Pure: the usage service loads the rows.

/** Two periods this close are one: the seat freed between them went straight to a waiter. */
export const SHORTAGE_MERGE_MS = 60_000;

export interface UsageRow {
  at: Date;
  kind: "occupancy" | "refusal" | "wait";
  occupied: number;
  total: number;
  waitSeconds: number | null;
  count: number;
}

export interface Shortage {
  start: Date;
  /** null while it lasts. */
  end: Date | null;
  durationSeconds: number;
  /** The licensed total when it began. */
  total: number;
  refusals: number;
  /** Agents admitted after a wait, and the longest of those waits. */
  waits: number;
  waitMaxSeconds: number | null;
}

const isFull = (occupied: number, total: number) => total > 0 && occupied >= total;

/**
 * The shortages of `[from, to)`, oldest first, given the occupancy in force at `from` and
 * the rows of the window in order. A refusal or an admission outside a full period belongs
 * to the period that ended just before it (seats freed went to waiters, still none for
 * others), or, with none, makes one of its own.
 */
export function findShortages(initial: { occupied: number; total: number }, rows: UsageRow[], from: Date, to: Date): Shortage[] {
  const out: Shortage[] = [];
  let { occupied, total } = initial;
  let current: Shortage | null = isFull(occupied, total) ? open(from, total) : null;

  function open(at: Date, totalThen: number): Shortage {
    const last = out.at(-1);
    if (last && last.end && at.getTime() - last.end.getTime() <= SHORTAGE_MERGE_MS) {
      out.pop();
      last.end = null;
      return last;
    }
    return { start: at, end: null, durationSeconds: 0, total: totalThen, refusals: 0, waits: 0, waitMaxSeconds: null };
  }
  function close(s: Shortage, at: Date): void {
    s.end = at;
    s.durationSeconds = Math.round((at.getTime() - s.start.getTime()) / 1000);
    out.push(s);
  }
  /** The period a refusal or an admission at `at` belongs to. */
  function periodAt(at: Date): Shortage {
    if (current) return current;
    const last = out.at(-1);
    if (last && last.end && at.getTime() - last.end.getTime() <= SHORTAGE_MERGE_MS) return last;
    const alone: Shortage = { start: at, end: at, durationSeconds: 0, total, refusals: 0, waits: 0, waitMaxSeconds: null };
    out.push(alone);
    return alone;
  }

  for (const row of rows) {
    if (row.kind === "occupancy") {
      occupied = row.occupied;
      total = row.total;
      const full = isFull(occupied, total);
      if (full && !current) current = open(row.at, total);
      else if (!full && current) {
        close(current, row.at);
        current = null;
      }
    } else if (row.kind === "refusal") {
      periodAt(row.at).refusals += row.count;
    } else if (row.waitSeconds !== null) {
      const s = periodAt(row.at);
      s.waits += 1;
      s.waitMaxSeconds = Math.max(s.waitMaxSeconds ?? 0, Math.round(row.waitSeconds));
    }
  }
  if (current) {
    current.durationSeconds = Math.round((to.getTime() - current.start.getTime()) / 1000);
    out.push(current);
  }
  return out;
}
