// Usage history (S11, "Need more seats?"): seats in use over time, refusals and waits.
import { validationFailed } from "../domain/errors.js";
import { findShortages } from "../domain/shortage.js";
import { requireTimestamp } from "../domain/timestamp.js";
import type { Db } from "../store/database.js";
import { occupancyBefore, usageEvents } from "../store/usage.repository.js";
import type { UserPrincipal } from "./context.js";
import { requireProduct } from "./product.service.js";
import type { Shortages, Usage, UsagePoint } from "../domain/shapes.js";

export const DEFAULT_STEP_SECONDS = 60;
export const DEFAULT_WINDOW_MS = 60 * 60 * 1000;
export const MAX_POINTS = 10_000;

function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}

const round = (x: number) => Math.round(x * 1000) / 1000;

function windowOf(query: { from?: string; to?: string }): { from: Date; to: Date } {
  const to = query.to ? requireTimestamp("to", query.to) : new Date();
  const from = query.from ? requireTimestamp("from", query.from) : new Date(to.getTime() - DEFAULT_WINDOW_MS);
  if (from >= to) throw validationFailed("from", "fromBeforeTo");
  return { from, to };
}

/**
 * The occupancy and licensed total in force at `from`, and the usage rows of the window.
 * With no row before the window, its first row says what the total was before it (today's
 * total is only right when nothing in the window changed it).
 */
async function loadWindow(db: Db, accountId: string, productId: string, from: Date, to: Date) {
  const [before, events] = await Promise.all([occupancyBefore(db, accountId, productId, from), usageEvents(db, accountId, productId, from, to)]);
  if (before) return { initial: { occupied: before.occupied, total: before.total }, events };
  const first = events[0];
  if (first) return { initial: { occupied: 0, total: first.total_before ?? first.total }, events };
  const subscription = await db
    .selectFrom("subscriptions")
    .select("concurrent_total")
    .where("account_id", "=", accountId)
    .where("product_id", "=", productId)
    .executeTakeFirst();
  return { initial: { occupied: 0, total: subscription?.concurrent_total ?? 0 }, events };
}

export async function usageSeries(db: Db, principal: UserPrincipal, query: { product: string; from?: string; to?: string; step?: number }): Promise<Usage> {
  const product = await requireProduct(db, query.product);
  const { from, to } = windowOf(query);
  const step = query.step ?? DEFAULT_STEP_SECONDS;
  const points = Math.ceil((to.getTime() - from.getTime()) / (step * 1000));
  if (points > MAX_POINTS) throw validationFailed("step", "tooManyPoints", { points, max: MAX_POINTS });

  const { initial, events } = await loadWindow(db, principal.accountId, product.id, from, to);
  let { occupied, total } = initial;

  const items: UsagePoint[] = [];
  let e = 0;
  for (let i = 0; i < points; i++) {
    const start = from.getTime() + i * step * 1000;
    const end = Math.min(start + step * 1000, to.getTime());
    let occupiedMax = occupied;
    let totalAtPeak = total;
    let totalMax = total;
    let refusals = 0;
    const waits: number[] = [];
    for (; e < events.length && events[e].at.getTime() < end; e++) {
      const ev = events[e];
      if (ev.kind === "occupancy") {
        occupied = ev.occupied;
        total = ev.total;
        if (occupied > occupiedMax) {
          occupiedMax = occupied;
          totalAtPeak = total;
        }
        totalMax = Math.max(totalMax, total);
      } else if (ev.kind === "refusal") refusals += ev.count;
      else if (ev.kind === "wait" && ev.wait_seconds !== null) waits.push(ev.wait_seconds);
    }
    waits.sort((a, b) => a - b);
    items.push({
      t: new Date(start).toISOString(),
      total: totalMax,
      occupiedMax,
      totalAtPeak,
      refusals,
      waits: waits.length,
      waitMeanSeconds: waits.length ? round(waits.reduce((a, b) => a + b, 0) / waits.length) : null,
      waitP95Seconds: waits.length ? round(percentile(waits, 0.95)) : null,
    });
  }
  return { product: product.slug, from: from.toISOString(), to: to.toISOString(), step, items };
}

/** When every seat of the product was in use in the window (default: the last hour), oldest first. */
export async function usageShortages(db: Db, principal: UserPrincipal, query: { product: string; from?: string; to?: string }): Promise<Shortages> {
  const product = await requireProduct(db, query.product);
  const { from, to } = windowOf(query);
  const { initial, events } = await loadWindow(db, principal.accountId, product.id, from, to);
  // A wait given up ("abandon") is demand for the advice, neither a refusal nor an admission here.
  const rows = events.flatMap((e) =>
    e.kind === "abandon" ? [] : [{ at: e.at, kind: e.kind, occupied: e.occupied, total: e.total, waitSeconds: e.wait_seconds, count: e.count }],
  );
  return {
    product: product.slug,
    from: from.toISOString(),
    to: to.toISOString(),
    items: findShortages(initial, rows, from, to).map((s) => ({ ...s, start: s.start.toISOString(), end: s.end?.toISOString() ?? null })),
  };
}

export const USAGE_CSV_COLUMNS = ["t", "total", "occupiedMax", "refusals", "waits", "waitMeanSeconds", "waitP95Seconds"] as const;

export function usageCsv(items: UsagePoint[]): string {
  const lines = [USAGE_CSV_COLUMNS.join(",")];
  for (const p of items) lines.push(USAGE_CSV_COLUMNS.map((c) => (p[c] === null ? "" : String(p[c]))).join(","));
  return `${lines.join("\n")}\n`;
}
