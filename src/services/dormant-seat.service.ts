// Dormant named seats: a named seat whose holder has not started a support session of the
// product for the account's dormantDays (default 30) is listed, and can be converted to a
// concurrent seat (the agent keeps access through the pool, the named seat goes back) or
// revoked — in bulk by an admin, or by the sweeper when the account reclaims automatically.
// Every change goes through the seat-pool service and is audited like any other.
import type { DormantSeat, DormantSeats, DormantSettings, ReclaimResult } from "../domain/shapes.js";
import type { Db } from "../store/database.js";
import { insertAudit } from "../store/audit.repository.js";
import { accountsReclaimingDormant, dormantSettings, findDormantSeats, setDormantSettings, shareUsers, type DormantSeatRow } from "../store/dormant-seat.repository.js";
import { findProductsByIds } from "../store/product.repository.js";
import { auditActor, SYSTEM_ACTOR, type Principal, type UserPrincipal } from "./context.js";
import { requireProduct } from "./product.service.js";
import { withSeats } from "./seat-pool.service.js";

export const DEFAULT_DORMANT_DAYS = 30;
export const MAX_DORMANT_LIST = 1000;
/** At most this many seats are reclaimed automatically per account and sweep. */
export const RECLAIM_BATCH = 200;
const DAY_MS = 24 * 60 * 60 * 1000;

export type ReclaimAction = "convert" | "revoke";

function view(r: DormantSeatRow, now: Date): DormantSeat {
  const since = r.last_used_at ?? r.granted_at;
  return {
    user: { id: r.user_id, name: r.name, email: r.email },
    product: r.slug,
    grantedAt: r.granted_at.toISOString(),
    lastUsedAt: r.last_used_at?.toISOString() ?? null,
    idleDays: Math.floor((now.getTime() - since.getTime()) / DAY_MS),
  };
}

export async function getDormantSettings(db: Db, principal: UserPrincipal): Promise<DormantSettings> {
  const s = await dormantSettings(db, principal.accountId);
  return { days: s.dormant_days, reclaim: s.dormant_reclaim };
}

export async function updateDormantSettings(db: Db, principal: UserPrincipal, input: DormantSettings): Promise<DormantSettings> {
  return db.transaction().execute(async (tx) => {
    const before = await dormantSettings(tx, principal.accountId);
    const s = await setDormantSettings(tx, principal.accountId, input.days, input.reclaim);
    await insertAudit(tx, principal.accountId, auditActor(principal), {
      action: "dormant_seats.settings_changed",
      target: { type: "account", id: principal.accountId },
      details: { days: { from: before.dormant_days, to: s.dormant_days }, reclaim: { from: before.dormant_reclaim, to: s.dormant_reclaim } },
    });
    return { days: s.dormant_days, reclaim: s.dormant_reclaim };
  });
}

export async function listDormantSeats(db: Db, principal: UserPrincipal, query: { product?: string; days?: number }): Promise<DormantSeats> {
  const settings = await dormantSettings(db, principal.accountId);
  const days = query.days ?? settings.dormant_days;
  const product = query.product !== undefined ? await requireProduct(db, query.product) : undefined;
  const now = new Date();
  const rows = await findDormantSeats(db, principal.accountId, new Date(now.getTime() - days * DAY_MS), { productId: product?.id, limit: MAX_DORMANT_LIST });
  return { days, reclaim: settings.dormant_reclaim, items: rows.map((r) => view(r, now)) };
}

/**
 * Converts or revokes the given named seats, each only if it is still dormant when its seat
 * lock is held (a seat used meanwhile is skipped). Returns what was done and what was not.
 */
export async function reclaimDormantSeats(
  db: Db,
  accountId: string,
  principal: Principal | null,
  action: ReclaimAction,
  wanted: { userId: string; productId: string }[],
  days: number,
): Promise<ReclaimResult> {
  const userIds = [...new Set(wanted.map((w) => w.userId))];
  const productIds = [...new Set(wanted.map((w) => w.productId))];
  return db.transaction().execute(async (tx) => {
    const users = new Map((await shareUsers(tx, accountId, userIds)).map((u) => [u.id, u]));
    const products = await findProductsByIds(tx, productIds);
    const slug = new Map(products.map((p) => [p.id, p.slug]));
    const done: { userId: string; product: string }[] = [];
    await withSeats(tx, accountId, principal, productIds, async (seats) => {
      const now = new Date();
      const still = await findDormantSeats(tx, accountId, new Date(now.getTime() - days * DAY_MS), { userIds, limit: wanted.length });
      const dormant = new Set(still.map((r) => `${r.user_id} ${r.product_id}`));
      for (const w of wanted) {
        const user = users.get(w.userId);
        if (!user || !dormant.has(`${w.userId} ${w.productId}`)) continue;
        dormant.delete(`${w.userId} ${w.productId}`);
        if (action === "convert") await seats.grant(user, w.productId, "concurrent", "dormant_reclaim");
        else await seats.revoke(user, w.productId, "dormant_reclaim");
        done.push({ userId: w.userId, product: slug.get(w.productId)! });
      }
    }, { products });
    if (done.length > 0) {
      await insertAudit(tx, accountId, principal ? auditActor(principal) : SYSTEM_ACTOR, {
        action: "dormant_seats.reclaimed",
        target: { type: "account", id: accountId },
        details: { action, days, automatic: principal === null, seats: done },
      });
    }
    const key = (s: { userId: string; product: string }) => `${s.userId} ${s.product}`;
    const doneKeys = new Set(done.map(key));
    return { reclaimed: done, skipped: wanted.map((w) => ({ userId: w.userId, product: slug.get(w.productId) ?? w.productId })).filter((s) => !doneKeys.has(key(s))) };
  });
}

/** POST /dormant-seats/reclaim: an admin's bulk action on seats it picked from the list. */
export async function reclaimByAdmin(db: Db, principal: UserPrincipal, input: { action: ReclaimAction; seats: { userId: string; product: string }[]; days?: number }) {
  const slugs = [...new Set(input.seats.map((s) => s.product))];
  const ids = new Map<string, string>();
  for (const s of slugs) ids.set(s, (await requireProduct(db, s)).id);
  const days = input.days ?? (await dormantSettings(db, principal.accountId)).dormant_days;
  return reclaimDormantSeats(db, principal.accountId, principal, input.action, input.seats.map((s) => ({ userId: s.userId, productId: ids.get(s.product)! })), days);
}

/** The sweeper's pass: accounts that reclaim automatically lose their dormant named seats, a batch at a time. */
export async function reclaimDormantAutomatically(db: Db): Promise<number> {
  let total = 0;
  for (const account of await accountsReclaimingDormant(db)) {
    const before = new Date(Date.now() - account.dormant_days * DAY_MS);
    const rows = await findDormantSeats(db, account.id, before, { limit: RECLAIM_BATCH });
    if (rows.length === 0) continue;
    const result = await reclaimDormantSeats(db, account.id, null, account.dormant_reclaim as ReclaimAction, rows.map((r) => ({ userId: r.user_id, productId: r.product_id })), account.dormant_days);
    total += result.reclaimed.length;
  }
  return total;
}
