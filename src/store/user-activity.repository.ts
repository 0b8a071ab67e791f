// What a user's detail page shows beside its seats: when it last signed in and used a
// seat, and the support sessions it has open now.
import { sql } from "kysely";
import type { Db } from "./database.js";

/** The user's newest sign-in (a user token is made by each sign-in), on index auth_tokens_sign_ins. */
export async function lastSignIn(db: Db, accountId: string, userId: string): Promise<Date | null> {
  const row = await db
    .selectFrom("auth_tokens")
    .select(sql<Date | null>`max(created_at)`.as("at"))
    .where("account_id", "=", accountId)
    .where("user_id", "=", userId)
    .where("kind", "=", "user")
    .executeTakeFirst();
  return row?.at ? new Date(row.at) : null;
}

/** The user's newest support session, open or ended, on index support_sessions_by_user. */
export async function lastSupportSession(db: Db, accountId: string, userId: string): Promise<{ at: Date; product: string } | null> {
  const row = await db
    .selectFrom("support_sessions as s")
    .innerJoin("products as p", "p.id", "s.product_id")
    .select(["s.created_at", "p.slug"])
    .where("s.account_id", "=", accountId)
    .where("s.user_id", "=", userId)
    .orderBy("s.created_at", "desc")
    .limit(1)
    .executeTakeFirst();
  return row ? { at: row.created_at, product: row.slug } : null;
}

export interface OpenSupportSession {
  id: string;
  product: string;
  seatType: "named" | "concurrent";
  sharedSessionId: string | null;
  state: "pending" | "active";
  createdAt: Date;
}

/** The user's open support sessions, oldest first (index support_sessions_open). */
export async function openSupportSessionsOfUser(db: Db, accountId: string, userId: string): Promise<OpenSupportSession[]> {
  const rows = await db
    .selectFrom("support_sessions as s")
    .innerJoin("products as p", "p.id", "s.product_id")
    .select(["s.id", "p.slug", "s.seat_type", "s.shared_session_id", "s.state", "s.created_at"])
    .where("s.account_id", "=", accountId)
    .where("s.user_id", "=", userId)
    .where("s.state", "<>", "ended")
    .orderBy("s.created_at")
    .orderBy("s.id")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    product: r.slug,
    seatType: r.seat_type,
    sharedSessionId: r.shared_session_id,
    state: r.state as "pending" | "active",
    createdAt: r.created_at,
  }));
}

/** Open support sessions per user and product, among these users (a CSV import's dry run says which would end). */
export async function countOpenSessions(db: Db, accountId: string, userIds: string[]): Promise<{ userId: string; productId: string; count: number }[]> {
  if (userIds.length === 0) return [];
  const rows = await db
    .selectFrom("support_sessions")
    .select(["user_id", "product_id", (eb) => eb.fn.countAll<number>().as("n")])
    .where("account_id", "=", accountId)
    .where("state", "<>", "ended")
    .where(sql<boolean>`user_id = ANY(${userIds}::text[])`)
    .groupBy(["user_id", "product_id"])
    .execute();
  return rows.map((r) => ({ userId: r.user_id, productId: r.product_id, count: Number(r.n) }));
}
