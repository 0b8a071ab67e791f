import { sql } from "kysely";
import type { Db } from "./database.js";
import { batches } from "./user.repository.js";
import type { SeatType } from "../domain/seat-rules.js";

export interface SeatAssignment {
  userId: string;
  productId: string;
  product: string;
  type: SeatType;
  source: string;
}

export async function findAssignment(db: Db, accountId: string, userId: string, productId: string) {
  return db
    .selectFrom("seat_assignments")
    .selectAll()
    .where("account_id", "=", accountId)
    .where("user_id", "=", userId)
    .where("product_id", "=", productId)
    .executeTakeFirst();
}

/** Named and concurrent never both: one row per user and product, replaced on change. */
export async function upsertAssignment(db: Db, accountId: string, userId: string, productId: string, type: SeatType, source: string): Promise<void> {
  await db
    .insertInto("seat_assignments")
    .values({ account_id: accountId, user_id: userId, product_id: productId, type, source, granted_at: new Date() })
    .onConflict((oc) => oc.columns(["account_id", "user_id", "product_id"]).doUpdateSet({ type, source, granted_at: new Date() }))
    .execute();
}

export async function deleteAssignment(db: Db, accountId: string, userId: string, productId: string): Promise<boolean> {
  const result = await db
    .deleteFrom("seat_assignments")
    .where("account_id", "=", accountId)
    .where("user_id", "=", userId)
    .where("product_id", "=", productId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Frees every named seat of a user (deactivation); concurrent grants stay as they are. */
export async function deleteNamedAssignments(db: Db, accountId: string, userId: string): Promise<{ product_id: string }[]> {
  return db
    .deleteFrom("seat_assignments")
    .where("account_id", "=", accountId)
    .where("user_id", "=", userId)
    .where("type", "=", "named")
    .returning("product_id")
    .execute();
}

export async function countNamedAssigned(db: Db, accountId: string, productId: string): Promise<number> {
  const row = await db
    .selectFrom("seat_assignments")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("account_id", "=", accountId)
    .where("product_id", "=", productId)
    .where("type", "=", "named")
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function listAssignments(db: Db, accountId: string, userIds: string[]): Promise<SeatAssignment[]> {
  if (userIds.length === 0) return [];
  const rows = await db
    .selectFrom("seat_assignments as sa")
    .innerJoin("products as p", "p.id", "sa.product_id")
    .select(["sa.user_id", "sa.product_id", "p.slug", "sa.type", "sa.source"])
    .where("sa.account_id", "=", accountId)
    .where("sa.user_id", "in", userIds)
    .orderBy("p.slug")
    .execute();
  return rows.map((r) => ({ userId: r.user_id, productId: r.product_id, product: r.slug, type: r.type, source: r.source }));
}

export interface AssignmentChange {
  userId: string;
  productId: string;
  type: SeatType;
}

/** Grants many seats of one account (replacing the other type), a batch per statement. */
export async function upsertAssignments(db: Db, accountId: string, grants: AssignmentChange[], source: string): Promise<void> {
  const now = new Date();
  for (const batch of batches(grants)) {
    await db
      .insertInto("seat_assignments")
      .values(batch.map((g) => ({ account_id: accountId, user_id: g.userId, product_id: g.productId, type: g.type, source, granted_at: now })))
      .onConflict((oc) =>
        oc.columns(["account_id", "user_id", "product_id"]).doUpdateSet((eb) => ({ type: eb.ref("excluded.type"), source: eb.ref("excluded.source"), granted_at: now })),
      )
      .execute();
  }
}

/**
 * Revokes many seats of one account, a batch per statement. The pairs go as two arrays:
 * PGlite deleted nothing, then failed its commit ("bad buffer ID"), given a few hundred
 * row values in an IN list.
 */
export async function deleteAssignments(db: Db, accountId: string, seats: { userId: string; productId: string }[]): Promise<void> {
  for (const batch of batches(seats)) {
    await sql`
      DELETE FROM seat_assignments AS sa
      USING unnest(${batch.map((s) => s.userId)}::text[], ${batch.map((s) => s.productId)}::text[]) AS v(user_id, product_id)
      WHERE sa.account_id = ${accountId} AND sa.user_id = v.user_id AND sa.product_id = v.product_id`.execute(db);
  }
}

/** Named seats assigned per product of the account (read under the subscription locks). */
export async function countNamedAssignedByProduct(db: Db, accountId: string, productIds: string[]): Promise<Map<string, number>> {
  if (productIds.length === 0) return new Map();
  const rows = await db
    .selectFrom("seat_assignments")
    .select(["product_id", (eb) => eb.fn.countAll<number>().as("n")])
    .where("account_id", "=", accountId)
    .where("type", "=", "named")
    .where(sql<boolean>`product_id = ANY(${productIds}::text[])`)
    .groupBy("product_id")
    .execute();
  return new Map(rows.map((r) => [r.product_id, Number(r.n)]));
}

/**
 * "user_id product_id" keys of users with anything running on a product — an open
 * support or shared session, or a queue place — among those given. Only these need the
 * seat engine when their seat is revoked or changes type.
 */
export async function findSeatActivity(db: Db, accountId: string, userIds: string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const { rows } = await sql<{ user_id: string; product_id: string }>`
    SELECT user_id, product_id FROM support_sessions WHERE account_id = ${accountId} AND state <> 'ended' AND user_id = ANY(${userIds}::text[])
    UNION SELECT user_id, product_id FROM shared_sessions WHERE account_id = ${accountId} AND ended_at IS NULL AND user_id = ANY(${userIds}::text[])
    UNION SELECT user_id, product_id FROM queue_entries WHERE account_id = ${accountId} AND user_id = ANY(${userIds}::text[])`.execute(db);
  return new Set(rows.map((r) => `${r.user_id} ${r.product_id}`));
}

/** Who holds a seat of one product in the account, and its type (index seat_assignments_by_seat). */
export async function holdersOfProduct(db: Db, accountId: string, productId: string): Promise<Map<string, SeatType>> {
  const rows = await db
    .selectFrom("seat_assignments")
    .select(["user_id", "type"])
    .where("account_id", "=", accountId)
    .where("product_id", "=", productId)
    .execute();
  return new Map(rows.map((r) => [r.user_id, r.type]));
}
