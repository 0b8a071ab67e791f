// Named seats whose holder has not used the product for a while: the last use is the
// holder's latest support session of the product (its grant, when it never had one).
import { sql } from "kysely";
import type { Db } from "./database.js";

export interface DormantSeatRow {
  user_id: string;
  name: string;
  email: string | null;
  product_id: string;
  slug: string;
  granted_at: Date;
  last_used_at: Date | null;
}

/** Dormant named seats of the account (of one product if given), longest idle first. */
export async function findDormantSeats(db: Db, accountId: string, before: Date, filter: { productId?: string; userIds?: string[]; limit: number }): Promise<DormantSeatRow[]> {
  const { rows } = await sql<DormantSeatRow>`
    SELECT sa.user_id, u.name, u.email, sa.product_id, p.slug, sa.granted_at, last.at AS last_used_at
    FROM seat_assignments sa
    JOIN users u ON u.account_id = sa.account_id AND u.id = sa.user_id
    JOIN products p ON p.id = sa.product_id
    CROSS JOIN LATERAL (
      SELECT max(s.created_at) AS at FROM support_sessions s
      WHERE s.account_id = sa.account_id AND s.user_id = sa.user_id AND s.product_id = sa.product_id
    ) last
    WHERE sa.account_id = ${accountId} AND sa.type = 'named'
      AND coalesce(last.at, sa.granted_at) < ${before}
      ${filter.productId !== undefined ? sql`AND sa.product_id = ${filter.productId}` : sql``}
      ${filter.userIds !== undefined ? sql`AND sa.user_id = ANY(${filter.userIds}::text[])` : sql``}
    ORDER BY coalesce(last.at, sa.granted_at), sa.user_id, sa.product_id
    LIMIT ${filter.limit}`.execute(db);
  return rows.map((r) => ({ ...r, granted_at: new Date(r.granted_at), last_used_at: r.last_used_at === null ? null : new Date(r.last_used_at) }));
}

/** Accounts that reclaim dormant seats automatically. */
export async function accountsReclaimingDormant(db: Db) {
  return db.selectFrom("accounts").select(["id", "dormant_days", "dormant_reclaim"]).where("dormant_reclaim", "<>", "off").execute();
}

export async function dormantSettings(db: Db, accountId: string) {
  return db.selectFrom("accounts").select(["dormant_days", "dormant_reclaim"]).where("id", "=", accountId).executeTakeFirstOrThrow();
}

export async function setDormantSettings(db: Db, accountId: string, days: number, reclaim: "off" | "convert" | "revoke") {
  return db.updateTable("accounts").set({ dormant_days: days, dormant_reclaim: reclaim }).where("id", "=", accountId).returning(["dormant_days", "dormant_reclaim"]).executeTakeFirstOrThrow();
}

/** Reads users FOR SHARE in id order (the lock order's user rows, before any seat lock). */
export async function shareUsers(db: Db, accountId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom("users").selectAll().where("account_id", "=", accountId).where("id", "in", ids).orderBy("id").forShare().execute();
}
