import type { Db } from "./database.js";
import type { SupportSessionRow, SupportSessionTable } from "./schema.js";
import { sql, type Insertable } from "kysely";

export async function insertSupportSession(db: Db, row: Insertable<SupportSessionTable>): Promise<SupportSessionRow> {
  return db.insertInto("support_sessions").values(row).returningAll().executeTakeFirstOrThrow();
}

export async function lockSupportSession(db: Db, accountId: string, id: string): Promise<SupportSessionRow | undefined> {
  return db.selectFrom("support_sessions").selectAll().where("account_id", "=", accountId).where("id", "=", id).forNoKeyUpdate().executeTakeFirst();
}

export async function connectSupportSession(
  db: Db,
  accountId: string,
  id: string,
  connection: { mode: "attended" | "unattended"; platform: "windows" | "mac" | "ios" | "android"; now: Date },
): Promise<SupportSessionRow> {
  return db
    .updateTable("support_sessions")
    .set((eb) => ({
      state: "active",
      mode: connection.mode,
      platform: connection.platform,
      connected_at: eb.fn.coalesce("connected_at", eb.val(connection.now)),
    }))
    .where("account_id", "=", accountId)
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface SupportEnding {
  now: Date;
  reason: string;
  byAdmin: boolean;
}

/** Ends open support sessions, named by their ids or by their shared sessions' ids. */
export async function endSupportSessions(
  db: Db,
  accountId: string,
  which: { ids: string[] } | { sharedIds: string[] },
  ending: SupportEnding,
): Promise<SupportSessionRow[]> {
  const [column, values] = "ids" in which ? (["id", which.ids] as const) : (["shared_session_id", which.sharedIds] as const);
  if (values.length === 0) return [];
  return db
    .updateTable("support_sessions")
    .set({ state: "ended", ended_at: ending.now, end_reason: ending.reason, ended_by_admin: ending.byAdmin })
    .where("account_id", "=", accountId)
    .where(column, "in", values)
    .where("state", "<>", "ended")
    .returningAll()
    .execute();
}

export async function openSupportSessionsOf(db: Db, accountId: string, userId: string, productId?: string): Promise<SupportSessionRow[]> {
  let query = db
    .selectFrom("support_sessions")
    .selectAll()
    .where("account_id", "=", accountId)
    .where("user_id", "=", userId)
    .where("state", "<>", "ended");
  if (productId) query = query.where("product_id", "=", productId);
  return query.orderBy("created_at").execute();
}

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

/** Moves open support sessions to another seat (a changed seat type). */
export async function moveSupportSessions(db: Db, accountId: string, ids: string[], seat: { type: "named" | "concurrent"; sharedSessionId: string | null }) {
  if (ids.length === 0) return;
  await db
    .updateTable("support_sessions")
    .set({ seat_type: seat.type, shared_session_id: seat.sharedSessionId })
    .where("account_id", "=", accountId)
    .where("id", "in", ids)
    .execute();
}

/** Pending sessions never connected within their account's timeout (the sweeper's work list). */
export async function timedOutPendingSessions(db: Db, now: Date): Promise<{ account_id: string; product_id: string; id: string }[]> {
  return db
    .selectFrom("support_sessions as s")
    .innerJoin("accounts as a", "a.id", "s.account_id")
    .select(["s.account_id", "s.product_id", "s.id"])
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
