import type { Db } from "./database.js";
import type { SupportSessionRow } from "./schema.js";
import { sql } from "kysely";


export async function openSupportSessionsOfShared(db: Db, accountId: string, sharedIds: string[]): Promise<SupportSessionRow[]> {
  if (sharedIds.length === 0) return [];
  return db
    .selectFrom("support_sessions")
    .selectAll()
    .where("account_id", "=", accountId)
    .where("shared_session_id", "in", sharedIds)
    .where("state", "<>", "ended")
    .orderBy("created_at")
    .execute();
}

/** Pending sessions never connected within their account's timeout (the sweeper's work list). */
export async function timedOutPendingSessions(db: Db, now: Date): Promise<{ account_id: string; product_id: string; id: string; user_id: string }[]> {
  return db
    .selectFrom("support_sessions as s")
    .innerJoin("accounts as a", "a.id", "s.account_id")
    .select(["s.account_id", "s.product_id", "s.id", "s.user_id"])
    .where("s.state", "=", "pending")
    .where(sql<boolean>`s.created_at <= ${now}::timestamptz - make_interval(secs => a.pending_timeout_seconds)`)
    .limit(1000)
    .execute();
}

/** An agent signs out of its app: its pending support sessions end (S4 a). */
export async function pendingSessionsOf(db: Db, accountId: string, userId: string): Promise<SupportSessionRow[]> {
  return db
    .selectFrom("support_sessions")
    .selectAll()
    .where("account_id", "=", accountId)
    .where("user_id", "=", userId)
    .where("state", "=", "pending")
    .execute();
}

/** The product of one of the user's support sessions (to find its pool), or undefined. */
export async function findSessionProduct(db: Db, accountId: string, userId: string, id: string): Promise<string | undefined> {
  const row = await db
    .selectFrom("support_sessions")
    .select("product_id")
    .where("account_id", "=", accountId)
    .where("id", "=", id)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return row?.product_id;
}
