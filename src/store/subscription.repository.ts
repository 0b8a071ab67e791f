import { sql } from "kysely";
import type { Db } from "./database.js";
import type { SubscriptionRow } from "./schema.js";
import type { QueueEntry } from "../domain/seat-pool.js";
import { toQueueEntry } from "./pool.repository.js";

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
  /** Open shared sessions with a live lease. */
  occupied: number;
  queue: QueueEntry[];
}

/** The account's lines with their pools as they are now, in one statement (one snapshot, no lock). */
export async function listSubscriptionLines(db: Db, accountId: string, now: Date): Promise<SubscriptionLine[]> {
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
      sql<number>`(SELECT count(*) FROM shared_sessions ss WHERE ss.account_id = s.account_id AND ss.product_id = s.product_id AND ss.ended_at IS NULL AND ss.lease_expires_at > ${now})`.as("occupied"),
      sql<Parameters<typeof toQueueEntry>[0][]>`(SELECT coalesce(json_agg(q ORDER BY q.seq), '[]'::json) FROM queue_entries q WHERE q.account_id = s.account_id AND q.product_id = s.product_id)`.as("queue"),
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
    occupied: Number(r.occupied),
    queue: r.queue.map(toQueueEntry),
  }));
}

export async function listSubscriptions(db: Db, accountId: string): Promise<SubscriptionRow[]> {
  return db.selectFrom("subscriptions").selectAll().where("account_id", "=", accountId).execute();
}
