import type { Db } from "./database.js";
import type { ReleaseOutcome } from "./schema.js";

/** One open request per agent and product: asking again refreshes it. */
export async function upsertReleaseRequest(db: Db, r: { accountId: string; id: string; userId: string; productId: string; message: string | null; now: Date }) {
  return db
    .insertInto("release_requests")
    .values({ account_id: r.accountId, id: r.id, user_id: r.userId, product_id: r.productId, message: r.message, created_at: r.now })
    .onConflict((oc) =>
      oc.columns(["account_id", "product_id", "user_id"]).where("resolved_at", "is", null).doUpdateSet({ message: r.message, created_at: r.now }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function listOpenReleaseRequests(db: Db, accountId: string, filter: { after?: { at: string; id: string }; limit: number }) {
  let query = db
    .selectFrom("release_requests as r")
    .innerJoin("users as u", (join) => join.onRef("u.account_id", "=", "r.account_id").onRef("u.id", "=", "r.user_id"))
    .innerJoin("products as p", "p.id", "r.product_id")
    .select(["r.id", "p.slug", "p.name as product_name", "r.user_id", "u.name", "u.email", "r.message", "r.created_at"])
    .where("r.account_id", "=", accountId)
    .where("r.resolved_at", "is", null)
    .orderBy("r.created_at", "desc")
    .orderBy("r.id", "desc")
    .limit(filter.limit + 1);
  if (filter.after) {
    const at = new Date(filter.after.at);
    const id = filter.after.id;
    query = query.where((eb) => eb.or([eb("r.created_at", "<", at), eb.and([eb("r.created_at", "=", at), eb("r.id", "<", id)])]));
  }
  return query.execute();
}

/** An admin closes an open request with a note the agent reads; undefined when it is not open (or not this account's). */
export async function closeReleaseRequest(
  db: Db,
  r: { accountId: string; id: string; outcome: Extract<ReleaseOutcome, "dismissed" | "resolved">; note: string | null; by: { id: string | null; name: string | null }; now: Date },
) {
  return db
    .updateTable("release_requests")
    .set({ resolved_at: r.now, outcome: r.outcome, note: r.note, closed_by_id: r.by.id, closed_by_name: r.by.name })
    .where("account_id", "=", r.accountId)
    .where("id", "=", r.id)
    .where("resolved_at", "is", null)
    .returningAll()
    .executeTakeFirst();
}

/** The agent's own requests since `since`, open or closed, newest first. */
export async function listReleaseRequestsOfAgent(db: Db, accountId: string, userId: string, since: Date) {
  return db
    .selectFrom("release_requests as r")
    .innerJoin("products as p", "p.id", "r.product_id")
    .select(["r.id", "p.slug", "p.name as product_name", "r.message", "r.created_at", "r.resolved_at", "r.outcome", "r.note", "r.closed_by_name"])
    .where("r.account_id", "=", accountId)
    .where("r.user_id", "=", userId)
    .where((eb) => eb.or([eb("r.resolved_at", "is", null), eb("r.created_at", ">=", since)]))
    .orderBy("r.created_at", "desc")
    .orderBy("r.id", "desc")
    .limit(100)
    .execute();
}
