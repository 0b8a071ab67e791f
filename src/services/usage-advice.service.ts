// "Need more seats?": the product's recorded demand of the last 7 or 30 days, replayed
// against other capacities (src/domain/seat-advice.ts). What was recorded becomes demand:
// - every shared session started is a request that got a seat: it arrived when it started,
//   less the wait recorded with it (a wait row and the session share the change's instant),
//   and held the seat until it ended (or until now);
// - every queue place given up without a seat (an `abandon` row) is a request that waited
//   that long and left;
// - every other refusal is a request that did not wait at all.
// Requests that never held a seat are given holds drawn from the holds observed, in a fixed
// order (the same records always give the same advice). Requests served at once are taken
// to be willing to wait, in a replay with fewer seats, until served.
import { validationFailed } from "../domain/errors.js";
import { capacitiesAround, confidenceOf, picker, replay, type Demand, type ReplayResult } from "../domain/seat-advice.js";
import type { SeatAdvice } from "../domain/shapes.js";
import type { Db } from "../store/database.js";
import { seatHolds, usageEvents } from "../store/usage.repository.js";
import type { UserPrincipal } from "./context.js";
import { requireProduct } from "./product.service.js";

export const ADVICE_DAYS = [7, 30] as const;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface RecordedDemand {
  demands: Demand[];
  served: number;
  /** Refusals as the pool recorded them (each request refused on its first attempt). */
  refusals: number;
  abandoned: number;
  /** Requests refused that did not wait. */
  lost: number;
}

/** Turns the records into demand (pure given the rows; exported for the tests). */
export function demandFrom(
  holds: { created_at: Date; ended_at: Date | null }[],
  events: { at: Date; kind: string; wait_seconds: number | null; count: number }[],
  now: Date,
): RecordedDemand {
  const waitsAt = new Map<number, number[]>();
  const waiterArrivals = new Map<number, number>();
  const bump = (at: number) => waiterArrivals.set(at, (waiterArrivals.get(at) ?? 0) + 1);
  for (const e of events) {
    if (e.kind !== "wait" || e.wait_seconds === null) continue;
    const at = e.at.getTime();
    (waitsAt.get(at) ?? waitsAt.set(at, []).get(at)!).push(e.wait_seconds * 1000);
  }
  const demands: Demand[] = [];
  const observedHolds: number[] = [];
  for (const h of holds) {
    const start = h.created_at.getTime();
    const wait = waitsAt.get(start)?.pop() ?? 0;
    const holdMs = Math.max(0, (h.ended_at ?? now).getTime() - start);
    observedHolds.push(holdMs);
    const at = Math.round(start - wait);
    if (wait > 0) bump(at);
    demands.push({ at, holdMs, patienceMs: Infinity });
  }
  const pick = picker(observedHolds.length + 1);
  const drawnHold = () => (observedHolds.length ? observedHolds[pick(observedHolds.length)] : 0);
  let abandoned = 0;
  for (const e of events) {
    if (e.kind !== "abandon" || e.wait_seconds === null) continue;
    const at = Math.round(e.at.getTime() - e.wait_seconds * 1000);
    bump(at);
    abandoned++;
    demands.push({ at, holdMs: drawnHold(), patienceMs: e.wait_seconds * 1000 });
  }
  let refusals = 0;
  let lost = 0;
  for (const e of events) {
    if (e.kind !== "refusal") continue;
    refusals += e.count;
    const at = e.at.getTime();
    const waited = Math.min(e.count, waiterArrivals.get(at) ?? 0);
    waiterArrivals.set(at, (waiterArrivals.get(at) ?? 0) - waited);
    for (let i = waited; i < e.count; i++) {
      demands.push({ at, holdMs: drawnHold(), patienceMs: 0 });
      lost++;
    }
  }
  return { demands, served: holds.length, refusals, abandoned, lost };
}

export async function seatAdvice(db: Db, principal: UserPrincipal, query: { product: string; days?: number }): Promise<SeatAdvice> {
  const days = query.days ?? 7;
  if (!(ADVICE_DAYS as readonly number[]).includes(days)) throw validationFailed("days", "enum", { values: ADVICE_DAYS.join(", ") });
  const product = await requireProduct(db, query.product);
  const to = new Date();
  const from = new Date(to.getTime() - days * DAY_MS);
  const subscription = await db
    .selectFrom("subscriptions")
    .select("concurrent_total")
    .where("account_id", "=", principal.accountId)
    .where("product_id", "=", product.id)
    .executeTakeFirst();
  const capacity = subscription?.concurrent_total ?? 0;
  const recorded = demandFrom(
    await seatHolds(db, principal.accountId, product.id, from, to),
    await usageEvents(db, principal.accountId, product.id, from, to),
    to,
  );
  const items = capacitiesAround(capacity).map((c) => replay(recorded.demands, c));
  const requests = recorded.demands.length;
  const allowed = Math.floor(requests * 0.01);
  const level = confidenceOf(requests, recorded.refusals);
  const statement =
    requests === 0
      ? `No demand was recorded in the last ${days} days: there is nothing to replay.`
      : `Replayed ${requests} requests recorded in the last ${days} days (${recorded.served} got a seat, ${recorded.refusals} were refused at first, ` +
        `${recorded.abandoned} gave up waiting and ${recorded.lost} did not wait; waits given up count as demand). ` +
        (level === "high" ? "That is enough demand to trust the curve." : level === "medium" ? "Treat small differences between capacities with care." : "That is little demand: the curve is a rough guide.");
  return {
    product: product.slug,
    days,
    from: from.toISOString(),
    to: to.toISOString(),
    capacity,
    recorded: { requests, served: recorded.served, refusals: recorded.refusals, abandoned: recorded.abandoned, refusedWithoutWaiting: recorded.lost },
    current: items.find((i) => i.capacity === capacity)!,
    suggested: requests === 0 ? null : (items.find((i) => i.refusals <= allowed)?.capacity ?? null),
    confidence: { level, statement },
    items,
  };
}

export const ADVICE_CSV_COLUMNS = ["capacity", "refusals", "turnedAway", "served", "waitP95Seconds", "waitMeanSeconds"] as const;

export function adviceCsv(items: ReplayResult[]): string {
  return `${[ADVICE_CSV_COLUMNS.join(","), ...items.map((i) => ADVICE_CSV_COLUMNS.map((c) => String(i[c])).join(","))].join("\n")}\n`;
}
