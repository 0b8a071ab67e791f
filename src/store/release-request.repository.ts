import type { Db } from "./database.js";

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
