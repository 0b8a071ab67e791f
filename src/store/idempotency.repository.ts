import { sql } from "kysely";
import type { Db } from "./database.js";

export interface IdempotencyScope {
  accountId: string;
  scope: string;
  key: string;
}

/** Claims the key for this request; returns the existing row when another request had it. */
export async function claimIdempotencyKey(db: Db, id: IdempotencyScope, requestHash: string) {
  const claimed = await db
    .insertInto("idempotency_keys")
    .values({ account_id: id.accountId, scope: id.scope, key: id.key, request_hash: requestHash })
    .onConflict((oc) => oc.columns(["account_id", "scope", "key"]).doNothing())
    .returning("key")
    .executeTakeFirst();
  if (claimed) return { claimed: true as const };
  const existing = await db
    .selectFrom("idempotency_keys")
    .selectAll()
    .where("account_id", "=", id.accountId)
    .where("scope", "=", id.scope)
    .where("key", "=", id.key)
    .executeTakeFirst();
  return { claimed: false as const, existing };
}

/**
 * Takes over an in-flight claim of the same request taken more than `staleMs` ago by the
 * database's clock (one clock for every process). Atomic: of several retries at once, one
 * gets it. Returns whether this request now holds the key.
 */
export async function reclaimIdempotencyKey(db: Db, id: IdempotencyScope, requestHash: string, staleMs: number): Promise<boolean> {
  const reclaimed = await db
    .updateTable("idempotency_keys")
    .set({ created_at: sql`now()` })
    .where("account_id", "=", id.accountId)
    .where("scope", "=", id.scope)
    .where("key", "=", id.key)
    .where("request_hash", "=", requestHash)
    .where("status_code", "is", null)
    .where("created_at", "<", sql<Date>`now() - ${staleMs} * interval '1 millisecond'`)
    .returning("key")
    .executeTakeFirst();
  return reclaimed !== undefined;
}

export async function completeIdempotencyKey(db: Db, id: IdempotencyScope, statusCode: number, response: unknown): Promise<void> {
  await db
    .updateTable("idempotency_keys")
    .set({ status_code: statusCode, response: JSON.stringify(response) })
    .where("account_id", "=", id.accountId)
    .where("scope", "=", id.scope)
    .where("key", "=", id.key)
    .execute();
}

/**
 * A failed request leaves no trace, so the client may retry it with the same key;
 * `expired` also drops a completed key past its lifetime.
 */
export async function releaseIdempotencyKey(db: Db, id: IdempotencyScope, expired = false): Promise<void> {
  let query = db
    .deleteFrom("idempotency_keys")
    .where("account_id", "=", id.accountId)
    .where("scope", "=", id.scope)
    .where("key", "=", id.key);
  if (!expired) query = query.where("status_code", "is", null);
  await query.execute();
}

export async function purgeIdempotencyKeys(db: Db, before: Date): Promise<void> {
  await db.deleteFrom("idempotency_keys").where("created_at", "<", before).execute();
}
