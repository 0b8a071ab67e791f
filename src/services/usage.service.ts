// Usage history (S11, "Need more seats?"): seats in use over time, refusals and waits.
import { validationFailed } from "../domain/errors.js";
import { parseTimestamp } from "../domain/timestamp.js";
import type { Db } from "../store/database.js";
import { occupancyBefore, usageEvents } from "../store/usage.repository.js";
import type { UserPrincipal } from "./context.js";
import { requireProduct } from "./product.service.js";
import type { Usage, UsagePoint } from "../domain/shapes.js";

export const DEFAULT_STEP_SECONDS = 60;
export const DEFAULT_WINDOW_MS = 60 * 60 * 1000;
export const MAX_POINTS = 10_000;

function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** The route's schema already checked the format; this reads it the same way. */
function instant(field: string, text: string): Date {
  const at = parseTimestamp(text);
  if (!at) throw validationFailed(field, "format", { format: "date-time" });
  return at;
}

export async function usageSeries(db: Db, principal: UserPrincipal, query: { product: string; from?: string; to?: string; step?: number }): Promise<Usage> {
  const product = await requireProduct(db, query.product);
  const to = query.to ? instant("to", query.to) : new Date();
  const from = query.from ? instant("from", query.from) : new Date(to.getTime() - DEFAULT_WINDOW_MS);
  const step = query.step ?? DEFAULT_STEP_SECONDS;
  if (from >= to) throw validationFailed("from", "fromBeforeTo");
  const points = Math.ceil((to.getTime() - from.getTime()) / (step * 1000));
  if (points > MAX_POINTS) throw validationFailed("step", "tooManyPoints", { points, max: MAX_POINTS });

  const subscription = await db
    .selectFrom("subscriptions")
    .select("concurrent_total")
    .where("account_id", "=", principal.accountId)
    .where("product_id", "=", product.id)
    .executeTakeFirst();
  const before = await occupancyBefore(db, principal.accountId, product.id, from);
  let occupied = before?.occupied ?? 0;
  let total = before?.total ?? subscription?.concurrent_total ?? 0;
  const events = await usageEvents(db, principal.accountId, product.id, from, to);

  const items: UsagePoint[] = [];
  let e = 0;
  for (let i = 0; i < points; i++) {
    const start = from.getTime() + i * step * 1000;
    const end = Math.min(start + step * 1000, to.getTime());
    let occupiedMax = occupied;
    let totalMax = total;
    let refusals = 0;
    const waits: number[] = [];
    for (; e < events.length && events[e].at.getTime() < end; e++) {
      const ev = events[e];
      if (ev.kind === "occupancy") {
        occupied = ev.occupied;
        total = ev.total;
        occupiedMax = Math.max(occupiedMax, occupied);
        totalMax = Math.max(totalMax, total);
      } else if (ev.kind === "refusal") refusals += ev.count;
      else if (ev.kind === "wait" && ev.wait_seconds !== null) waits.push(ev.wait_seconds);
    }
    waits.sort((a, b) => a - b);
    items.push({
      t: new Date(start).toISOString(),
      total: totalMax,
      occupiedMax,
      refusals,
      waits: waits.length,
      waitMeanSeconds: waits.length ? round(waits.reduce((a, b) => a + b, 0) / waits.length) : null,
      waitP95Seconds: waits.length ? round(percentile(waits, 0.95)) : null,
    });
  }
  return { product: product.slug, from: from.toISOString(), to: to.toISOString(), step, items };
}

export const USAGE_CSV_COLUMNS = ["t", "total", "occupiedMax", "refusals", "waits", "waitMeanSeconds", "waitP95Seconds"] as const;

export function usageCsv(items: UsagePoint[]): string {
  const lines = [USAGE_CSV_COLUMNS.join(",")];
  for (const p of items) lines.push(USAGE_CSV_COLUMNS.map((c) => (p[c] === null ? "" : String(p[c]))).join(","));
  return `${lines.join("\n")}\n`;
}
