import { sql } from "kysely";
import type { Db } from "./database.js";
import type { SubscriptionRow } from "./schema.js";

/**
 * Locks the subscription row of one product: every seat decision for that product
 * (named grants, license changes, concurrent checkouts) serialises on it.
 */
export async function lockSubscription(db: Db, accountId: string, productId: string): Promise<SubscriptionRow | undefined> {
  return db
    .selectFrom("subscriptions")
    .selectAll()
    .where("account_id", "=", accountId)
    .where("product_id", "=", productId)
    .forNoKeyUpdate()
    .executeTakeFirst();
}

export async function upsertSubscription(db: Db, accountId: string, productId: string, named: number, concurrent: number): Promise<SubscriptionRow> {
  const now = new Date();
  return db
    .insertInto("subscriptions")
    .values({ account_id: accountId, product_id: productId, named_total: named, concurrent_total: concurrent, updated_at: now })
    .onConflict((oc) => oc.columns(["account_id", "product_id"]).doUpdateSet({ named_total: named, concurrent_total: concurrent, updated_at: now }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface SubscriptionLine {
  productId: string;
  product: string;
  name: string;
  namedTotal: number;
  namedAssigned: number;
  concurrentTotal: number;
  /** Users holding a concurrent grant of the product. */
  concurrentEligible: number;
}

export async function listSubscriptionLines(db: Db, accountId: string): Promise<SubscriptionLine[]> {
  const rows = await db
    .selectFrom("subscriptions as s")
    .innerJoin("products as p", "p.id", "s.product_id")
    .select([
      "s.product_id",
      "p.slug",
      "p.name",
      "s.named_total",
      "s.concurrent_total",
      sql<number>`(SELECT count(*) FROM seat_assignments sa WHERE sa.account_id = s.account_id AND sa.product_id = s.product_id AND sa.type = 'named')`.as("named_assigned"),
      sql<number>`(SELECT count(*) FROM seat_assignments sa WHERE sa.account_id = s.account_id AND sa.product_id = s.product_id AND sa.type = 'concurrent')`.as("concurrent_eligible"),
    ])
    .where("s.account_id", "=", accountId)
    .orderBy("p.slug")
    .execute();
  return rows.map((r) => ({
    productId: r.product_id,
    product: r.slug,
    name: r.name,
    namedTotal: r.named_total,
    namedAssigned: Number(r.named_assigned),
    concurrentTotal: r.concurrent_total,
    concurrentEligible: Number(r.concurrent_eligible),
  }));
}

/**
 * Locks every subscription row of the account (a bulk change may touch any product), in
 * product-id order so that two transactions doing so never wait on each other in a cycle.
 */
export async function lockAccountSubscriptions(db: Db, accountId: string): Promise<SubscriptionRow[]> {
  return db
    .selectFrom("subscriptions")
    .selectAll()
    .where("account_id", "=", accountId)
    .orderBy("product_id")
    .forNoKeyUpdate()
    .execute();
}

export async function listSubscriptions(db: Db, accountId: string): Promise<SubscriptionRow[]> {
  return db.selectFrom("subscriptions").selectAll().where("account_id", "=", accountId).execute();
}
