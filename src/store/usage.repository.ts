import type { Db } from "./database.js";

export type UsageKind = "occupancy" | "refusal" | "wait" | "abandon";

export async function usageEvents(db: Db, accountId: string, productId: string, from: Date, to: Date) {
  return db
    .selectFrom("usage_events")
    .select(["at", "kind", "occupied", "total", "total_before", "wait_seconds", "count"])
    .where("account_id", "=", accountId)
    .where("product_id", "=", productId)
    .where("at", ">=", from)
    .where("at", "<", to)
    .orderBy("at")
    .orderBy("id")
    .execute();
}

/** The occupancy in force at `at`: the last occupancy event before it. */
export async function occupancyBefore(db: Db, accountId: string, productId: string, at: Date) {
  return db
    .selectFrom("usage_events")
    .select(["occupied", "total"])
    .where("account_id", "=", accountId)
    .where("product_id", "=", productId)
    .where("kind", "=", "occupancy")
    .where("at", "<", at)
    .orderBy("at", "desc")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
}

/** The product's shared sessions started in [from, to): when each started and ended (null: still held). */
export async function seatHolds(db: Db, accountId: string, productId: string, from: Date, to: Date) {
  return db
    .selectFrom("shared_sessions")
    .select(["created_at", "ended_at"])
    .where("account_id", "=", accountId)
    .where("product_id", "=", productId)
    .where("created_at", ">=", from)
    .where("created_at", "<", to)
    .orderBy("created_at")
    .execute();
}
