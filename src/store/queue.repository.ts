import type { Db } from "./database.js";

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

/**
 * Every queue place of the account (or of one product), in queue order per product, with
 * its agent: who waits, since when, and whose seat is reserved until when.
 */
export async function listQueuePlaces(db: Db, accountId: string, productId: string | undefined) {
  let query = db
    .selectFrom("queue_entries as q")
    .innerJoin("users as u", (join) => join.onRef("u.account_id", "=", "q.account_id").onRef("u.id", "=", "q.user_id"))
    .innerJoin("products as p", "p.id", "q.product_id")
    .select(["q.product_id", "p.slug", "q.user_id", "u.name", "u.email", "q.enqueued_at", "q.held_until", "q.waiting_until", "q.reserved_until", "q.waiting_request_id"])
    .where("q.account_id", "=", accountId)
    .orderBy("p.slug")
    .orderBy("q.seq")
    .limit(5001);
  if (productId) query = query.where("q.product_id", "=", productId);
  return query.execute();
}
