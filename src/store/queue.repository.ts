import { sql } from "kysely";
import type { Db } from "./database.js";
import type { QueueEntry } from "../domain/seat-engine.js";

export async function loadQueue(db: Db, accountId: string, productId: string): Promise<QueueEntry[]> {
  const rows = await db
    .selectFrom("queue_entries")
    .selectAll()
    .where("account_id", "=", accountId)
    .where("product_id", "=", productId)
    .orderBy("seq")
    .execute();
  return rows.map((r) => ({
    userId: r.user_id,
    seq: Number(r.seq),
    enqueuedAt: r.enqueued_at,
    heldUntil: r.held_until,
    waitingUntil: r.waiting_until,
    reservedUntil: r.reserved_until,
  }));
}

/** Joins the queue, or keeps the place already held (the seq never changes). */
export async function joinQueue(db: Db, accountId: string, productId: string, userId: string, now: Date, heldUntil: Date, waitingUntil: Date): Promise<void> {
  await db
    .insertInto("queue_entries")
    .values({ account_id: accountId, product_id: productId, user_id: userId, enqueued_at: now, held_until: heldUntil, waiting_until: waitingUntil })
    .onConflict((oc) =>
      oc.columns(["account_id", "product_id", "user_id"]).doUpdateSet({
        held_until: sql`greatest(queue_entries.held_until, excluded.held_until)`,
        waiting_until: sql`greatest(queue_entries.waiting_until, excluded.waiting_until)`,
      }),
    )
    .execute();
}

/** A waiting request ended without a seat: the place stays while the agent shows life. */
export async function closeWait(db: Db, accountId: string, productId: string, userId: string, heldUntil: Date): Promise<void> {
  await db
    .updateTable("queue_entries")
    .set({ waiting_until: null, held_until: sql`greatest(held_until, ${heldUntil})` })
    .where("account_id", "=", accountId)
    .where("product_id", "=", productId)
    .where("user_id", "=", userId)
    .execute();
}

export async function reserveSeats(db: Db, accountId: string, productId: string, userIds: string[], until: Date): Promise<void> {
  if (userIds.length === 0) return;
  await db
    .updateTable("queue_entries")
    .set({ reserved_until: until })
    .where("account_id", "=", accountId)
    .where("product_id", "=", productId)
    .where("user_id", "in", userIds)
    .execute();
}

export async function leaveQueue(db: Db, accountId: string, productId: string, userIds: string[]): Promise<void> {
  if (userIds.length === 0) return;
  await db
    .deleteFrom("queue_entries")
    .where("account_id", "=", accountId)
    .where("product_id", "=", productId)
    .where("user_id", "in", userIds)
    .execute();
}

/** Heartbeat: every queue place of the agent stays alive a while longer. */
export async function keepQueuePlaces(db: Db, accountId: string, userId: string, heldUntil: Date): Promise<void> {
  await db
    .updateTable("queue_entries")
    .set({ held_until: sql`greatest(held_until, ${heldUntil})` })
    .where("account_id", "=", accountId)
    .where("user_id", "=", userId)
    .execute();
}

export async function setCooldown(db: Db, accountId: string, productId: string, userId: string, until: Date): Promise<void> {
  await db
    .insertInto("seat_cooldowns")
    .values({ account_id: accountId, product_id: productId, user_id: userId, until })
    .onConflict((oc) => oc.columns(["account_id", "product_id", "user_id"]).doUpdateSet({ until }))
    .execute();
}

/** Pools with queue places or reservations that lapsed by `now`: the sweeper serves them. */
export async function poolsWithLapsedPlaces(db: Db, now: Date): Promise<{ account_id: string; product_id: string }[]> {
  return db
    .selectFrom("queue_entries")
    .select(["account_id", "product_id"])
    .distinct()
    .where((eb) =>
      eb.or([
        eb.and([eb("reserved_until", "is not", null), eb("reserved_until", "<=", now)]),
        eb.and([
          eb("reserved_until", "is", null),
          eb("held_until", "<=", now),
          eb.or([eb("waiting_until", "is", null), eb("waiting_until", "<=", now)]),
        ]),
      ]),
    )
    .limit(1000)
    .execute();
}
