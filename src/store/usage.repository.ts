import type { Db } from "./database.js";

export type UsageKind = "occupancy" | "refusal" | "wait";

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
