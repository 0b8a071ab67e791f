import type { Db } from "./database.js";
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
