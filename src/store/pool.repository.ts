// The few reads a pool decision needs, each in one round trip: the pool lock is held for
// the whole transaction, so every round trip under it limits a hot pool's throughput.
import { sql } from "kysely";
import type { Db } from "./database.js";
import type { AccountRow, SubscriptionRow } from "./schema.js";
import type { QueueEntry } from "../domain/seat-engine.js";
import type { SeatType } from "../domain/seat-rules.js";

/**
 * Locks the product's subscription row — the pool lock every seat decision of the product
 * serialises on — and reads the account's settings with it.
 */
export async function lockPool(
  db: Db,
  accountId: string,
  productId: string,
  skipLocked: boolean,
): Promise<{ subscription: SubscriptionRow; account: AccountRow } | undefined> {
  const { rows } = await sql<SubscriptionRow & { a: AccountRow }>`
    SELECT s.*, row_to_json(a) AS a
    FROM subscriptions s JOIN accounts a ON a.id = s.account_id
    WHERE s.account_id = ${accountId} AND s.product_id = ${productId}
    FOR NO KEY UPDATE OF s ${skipLocked ? sql`SKIP LOCKED` : sql``}`.execute(db);
  const row = rows[0];
  if (!row) return undefined;
  const { a, ...subscription } = row;
  return { subscription, account: { ...a, created_at: new Date(a.created_at) } };
}

export interface PoolSnapshot {
  occupied: number;
  queue: QueueEntry[];
  expiredSharedSessionIds: string[];
}

interface QueueJson {
  user_id: string;
  seq: number;
  enqueued_at: string;
  held_until: string;
  waiting_until: string | null;
  reserved_until: string | null;
}

const date = (s: string | null) => (s === null ? null : new Date(s));

/** Occupancy (live leases), the queue in order, and leases that have expired. */
export async function readPoolSnapshot(db: Db, accountId: string, productId: string, now: Date): Promise<PoolSnapshot> {
  const { rows } = await sql<{ occupied: number; queue: QueueJson[]; expired: string[] }>`
    SELECT
      (SELECT count(*) FROM shared_sessions
        WHERE account_id = ${accountId} AND product_id = ${productId} AND ended_at IS NULL AND lease_expires_at > ${now}) AS occupied,
      (SELECT coalesce(json_agg(q ORDER BY q.seq), '[]'::json) FROM queue_entries q
        WHERE q.account_id = ${accountId} AND q.product_id = ${productId}) AS queue,
      (SELECT coalesce(json_agg(id), '[]'::json) FROM shared_sessions
        WHERE account_id = ${accountId} AND product_id = ${productId} AND ended_at IS NULL AND lease_expires_at <= ${now}) AS expired`.execute(db);
  const row = rows[0];
  return {
    occupied: Number(row.occupied),
    queue: row.queue.map((q) => ({
      userId: q.user_id,
      seq: Number(q.seq),
      enqueuedAt: new Date(q.enqueued_at),
      heldUntil: new Date(q.held_until),
      waitingUntil: date(q.waiting_until),
      reservedUntil: date(q.reserved_until),
    })),
    expiredSharedSessionIds: row.expired,
  };
}

export interface HolderSnapshot {
  seat: SeatType | null;
  sharedSessionId: string | null;
  cooldownUntil: Date | null;
}

/** What a pool decision needs to know of one agent: its seat, shared session and cooldown. */
export async function readHolderSnapshot(db: Db, accountId: string, userId: string, productId: string): Promise<HolderSnapshot> {
  const { rows } = await sql<{ seat: SeatType | null; shared: string | null; cooldown: Date | null }>`
    SELECT
      (SELECT type FROM seat_assignments WHERE account_id = ${accountId} AND user_id = ${userId} AND product_id = ${productId}) AS seat,
      (SELECT id FROM shared_sessions
        WHERE account_id = ${accountId} AND product_id = ${productId} AND user_id = ${userId} AND ended_at IS NULL) AS shared,
      (SELECT until FROM seat_cooldowns WHERE account_id = ${accountId} AND product_id = ${productId} AND user_id = ${userId}) AS cooldown`.execute(db);
  const row = rows[0];
  return { seat: row.seat, sharedSessionId: row.shared, cooldownUntil: row.cooldown };
}
