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
