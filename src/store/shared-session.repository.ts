import type { Db } from "./database.js";
import type { SharedSessionRow } from "./schema.js";
import type { AuditActor } from "./audit.repository.js";

export async function countOccupied(db: Db, accountId: string, productId: string, now: Date): Promise<number> {
  const row = await db
    .selectFrom("shared_sessions")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("account_id", "=", accountId)
    .where("product_id", "=", productId)
    .where("ended_at", "is", null)
    .where("lease_expires_at", ">", now)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertSharedSession(
  db: Db,
  s: { accountId: string; id: string; productId: string; userId: string; now: Date; leaseExpiresAt: Date },
): Promise<SharedSessionRow> {
  return db
    .insertInto("shared_sessions")
    .values({
      account_id: s.accountId,
      id: s.id,
      product_id: s.productId,
      user_id: s.userId,
      created_at: s.now,
      lease_expires_at: s.leaseExpiresAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function renewLease(db: Db, accountId: string, id: string, leaseExpiresAt: Date): Promise<void> {
  await db
    .updateTable("shared_sessions")
    .set({ lease_expires_at: leaseExpiresAt })
    .where("account_id", "=", accountId)
    .where("id", "=", id)
    .where("ended_at", "is", null)
    .execute();
}

/**
 * Heartbeat: renews every live lease of the agent. A lease that has already expired is
 * not revived: its seat may be someone else's by now.
 */
export async function renewLeasesOf(db: Db, accountId: string, userId: string, now: Date, leaseExpiresAt: Date) {
  return db
    .updateTable("shared_sessions as s")
    .set({ lease_expires_at: leaseExpiresAt })
    .from("products as p")
    .whereRef("p.id", "=", "s.product_id")
    .where("s.account_id", "=", accountId)
    .where("s.user_id", "=", userId)
    .where("s.ended_at", "is", null)
    .where("s.lease_expires_at", ">", now)
    .returning(["p.slug as product", "s.lease_expires_at"])
    .execute();
}

export interface EndedBy {
  actor: AuditActor | null;
  reason: string;
  reportToAgent: boolean;
}

export async function endSharedSessionRows(db: Db, accountId: string, ids: string[], now: Date, by: EndedBy): Promise<SharedSessionRow[]> {
  if (ids.length === 0) return [];
  return db
    .updateTable("shared_sessions")
    .set({
      ended_at: now,
      end_reason: by.reason,
      ended_by_id: by.actor?.id ?? null,
      ended_by_name: by.actor?.name ?? null,
      report_pending: by.reportToAgent,
    })
    .where("account_id", "=", accountId)
    .where("id", "in", ids)
    .where("ended_at", "is", null)
    .returningAll()
    .execute();
}

export async function openSharedSessionsOf(db: Db, accountId: string, userId: string, productId?: string): Promise<SharedSessionRow[]> {
  let query = db
    .selectFrom("shared_sessions")
    .selectAll()
    .where("account_id", "=", accountId)
    .where("user_id", "=", userId)
    .where("ended_at", "is", null);
  if (productId) query = query.where("product_id", "=", productId);
  return query.execute();
}

export async function findSharedSessions(db: Db, accountId: string, ids: string[]): Promise<SharedSessionRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom("shared_sessions").selectAll().where("account_id", "=", accountId).where("id", "in", ids).execute();
}

/** Admin endings not yet reported to the agent; reported once, then marked. */
export async function takeEndingReports(db: Db, accountId: string, userId: string) {
  return db
    .updateTable("shared_sessions as s")
    .set({ report_pending: false })
    .from("products as p")
    .whereRef("p.id", "=", "s.product_id")
    .where("s.account_id", "=", accountId)
    .where("s.user_id", "=", userId)
    .where("s.report_pending", "=", true)
    .returning(["s.id", "p.slug as product", "s.ended_by_id", "s.ended_by_name", "s.end_reason", "s.ended_at"])
    .execute();
}

export interface SharedSessionListing {
  id: string;
  productId: string;
  product: string;
  userId: string;
  userName: string;
  userEmail: string | null;
  since: Date;
  leaseExpiresAt: Date;
}

export async function listOpenSharedSessions(
  db: Db,
  accountId: string,
  filter: { productId?: string; after?: { since: string; id: string }; limit: number },
): Promise<SharedSessionListing[]> {
  let query = db
    .selectFrom("shared_sessions as s")
    .innerJoin("users as u", (join) => join.onRef("u.account_id", "=", "s.account_id").onRef("u.id", "=", "s.user_id"))
    .innerJoin("products as p", "p.id", "s.product_id")
    .select(["s.id", "s.product_id", "p.slug", "s.user_id", "u.name", "u.email", "s.created_at", "s.lease_expires_at"])
    .where("s.account_id", "=", accountId)
    .where("s.ended_at", "is", null)
    .orderBy("s.created_at")
    .orderBy("s.id")
    .limit(filter.limit + 1);
  if (filter.productId) query = query.where("s.product_id", "=", filter.productId);
  if (filter.after) {
    const since = new Date(filter.after.since);
    const id = filter.after.id;
    query = query.where((eb) => eb.or([eb("s.created_at", ">", since), eb.and([eb("s.created_at", "=", since), eb("s.id", ">", id)])]));
  }
  const rows = await query.execute();
  return rows.map((r) => ({
    id: r.id,
    productId: r.product_id,
    product: r.slug,
    userId: r.user_id,
    userName: r.name,
    userEmail: r.email,
    since: r.created_at,
    leaseExpiresAt: r.lease_expires_at,
  }));
}

/** Pools with a lease that expired by `now`: the sweeper frees them. */
export async function poolsWithExpiredLeases(db: Db, now: Date): Promise<{ account_id: string; product_id: string }[]> {
  return db
    .selectFrom("shared_sessions")
    .select(["account_id", "product_id"])
    .distinct()
    .where("ended_at", "is", null)
    .where("lease_expires_at", "<=", now)
    .limit(1000)
    .execute();
}

