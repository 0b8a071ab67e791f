import type { Db } from "./database.js";
import { sql } from "kysely";
import type { SharedSessionRow } from "./schema.js";


export async function findSharedSessions(db: Db, accountId: string, ids: string[]): Promise<SharedSessionRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom("shared_sessions").selectAll().where("account_id", "=", accountId).where("id", "in", ids).execute();
}

export interface SharedSessionListing {
  id: string;
  productId: string;
  product: string;
  userId: string;
  userName: string;
  userEmail: string | null;
  since: Date;
  leaseExpiresAt: Date;
}

export async function listOpenSharedSessions(
  db: Db,
  accountId: string,
  filter: { productId?: string; after?: { since: string; id: string }; limit: number },
): Promise<SharedSessionListing[]> {
  let query = db
    .selectFrom("shared_sessions as s")
    .innerJoin("users as u", (join) => join.onRef("u.account_id", "=", "s.account_id").onRef("u.id", "=", "s.user_id"))
    .innerJoin("products as p", "p.id", "s.product_id")
    .select(["s.id", "s.product_id", "p.slug", "s.user_id", "u.name", "u.email", "s.created_at", "s.lease_expires_at"])
    .where("s.account_id", "=", accountId)
    .where("s.ended_at", "is", null)
    .orderBy("s.created_at")
    .orderBy("s.id")
    .limit(filter.limit + 1);
  if (filter.productId) query = query.where("s.product_id", "=", filter.productId);
  if (filter.after) {
    const since = new Date(filter.after.since);
    const id = filter.after.id;
    query = query.where((eb) => eb.or([eb("s.created_at", ">", since), eb.and([eb("s.created_at", "=", since), eb("s.id", ">", id)])]));
  }
  const rows = await query.execute();
  return rows.map((r) => ({
    id: r.id,
    productId: r.product_id,
    product: r.slug,
    userId: r.user_id,
    userName: r.name,
    userEmail: r.email,
    since: r.created_at,
    leaseExpiresAt: r.lease_expires_at,
  }));
}

/** Pools with a lease that expired by `now`: the sweeper frees them. */
export async function poolsWithExpiredLeases(db: Db, now: Date): Promise<{ account_id: string; product_id: string }[]> {
  return db
    .selectFrom("shared_sessions")
    .select(["account_id", "product_id"])
    .distinct()
    .where("ended_at", "is", null)
    .where("lease_expires_at", "<=", now)
    .limit(1000)
    .execute();
}


export interface HeartbeatResult {
  leases: { accountId: string; userId: string; product: string; expiresAt: Date }[];
  /** Products the agent works on with a named seat (an open support session): their lease tokens are renewed too. */
  named: { accountId: string; userId: string; product: string; until: Date }[];
  /** Admin endings not yet reported to the agent: reported once, then marked. */
  reports: {
    accountId: string; userId: string; id: string; product: string; endedById: string | null; endedByName: string | null;
    reason: string | null; endedAt: Date; sessionIds: string[];
  }[];
}

/**
 * Heartbeats of many agents in one statement: every live lease of each agent restarts its
 * account's TTL (an expired one is not revived: its seat may be someone else's by now), its
 * presence is recorded, its live queue places are kept, and admin endings are reported.
 */
export async function heartbeatMany(db: Db, agents: { accountId: string; userId: string }[], now: Date): Promise<HeartbeatResult> {
  if (agents.length === 0) return { leases: [], named: [], reports: [] };
  const list = sql.join(agents.map((a) => sql`(${a.accountId}::text, ${a.userId}::text)`));
  const { rows } = await sql<{ leases: { a: string; u: string; p: string; e: string }[]; named: { a: string; u: string; p: string; e: string }[]; reports: any[] }>`
    WITH t AS (
      SELECT v.account_id, v.user_id, ${now}::timestamptz + make_interval(secs => a.lease_ttl_seconds) AS until
      FROM (VALUES ${list}) AS v(account_id, user_id) JOIN accounts a ON a.id = v.account_id
    ), leases AS (
      UPDATE shared_sessions s SET lease_expires_at = greatest(s.lease_expires_at, t.until) FROM t
      WHERE s.account_id = t.account_id AND s.user_id = t.user_id AND s.ended_at IS NULL AND s.lease_expires_at > ${now}
      RETURNING s.account_id, s.user_id, s.product_id, s.lease_expires_at
    ), presence AS (
      INSERT INTO agent_presence (account_id, user_id, seen_until) SELECT account_id, user_id, until FROM t
      ON CONFLICT (account_id, user_id) DO UPDATE SET seen_until = greatest(agent_presence.seen_until, excluded.seen_until)
    ), places AS (
      UPDATE queue_entries q SET held_until = greatest(q.held_until, t.until) FROM t
      WHERE q.account_id = t.account_id AND q.user_id = t.user_id AND q.reserved_until IS NULL
        AND (q.held_until > ${now} OR q.waiting_until > ${now})
    ), reports AS (
      UPDATE shared_sessions s SET report_pending = false FROM t
      WHERE s.account_id = t.account_id AND s.user_id = t.user_id AND s.report_pending
      RETURNING s.account_id, s.user_id, s.id, s.product_id, s.ended_by_id, s.ended_by_name, s.end_reason, s.ended_at
    )
    SELECT
      (SELECT coalesce(json_agg(json_build_object('a', l.account_id, 'u', l.user_id, 'p', p.slug, 'e', l.lease_expires_at) ORDER BY p.slug), '[]'::json)
        FROM leases l JOIN products p ON p.id = l.product_id) AS leases,
      (SELECT coalesce(json_agg(json_build_object('a', n.account_id, 'u', n.user_id, 'p', p.slug, 'e', n.until) ORDER BY p.slug), '[]'::json)
        FROM (SELECT DISTINCT s.account_id, s.user_id, s.product_id, t.until FROM t
              JOIN support_sessions s ON s.account_id = t.account_id AND s.user_id = t.user_id AND s.state <> 'ended' AND s.seat_type = 'named') n
        JOIN products p ON p.id = n.product_id) AS named,
      (SELECT coalesce(json_agg(json_build_object('a', r.account_id, 'u', r.user_id, 'id', r.id, 'p', p.slug, 'by_id', r.ended_by_id,
          'by_name', r.ended_by_name, 'reason', r.end_reason, 'at', r.ended_at,
          'sessions', (SELECT coalesce(json_agg(x.id ORDER BY x.created_at), '[]'::json) FROM support_sessions x
                        WHERE x.account_id = r.account_id AND x.shared_session_id = r.id))), '[]'::json)
        FROM reports r JOIN products p ON p.id = r.product_id) AS reports`.execute(db);
  const row = rows[0];
  return {
    leases: row.leases.map((l) => ({ accountId: l.a, userId: l.u, product: l.p, expiresAt: new Date(l.e) })),
    named: row.named.map((n) => ({ accountId: n.a, userId: n.u, product: n.p, until: new Date(n.e) })),
    reports: row.reports.map((r) => ({
      accountId: r.a, userId: r.u, id: r.id, product: r.p, endedById: r.by_id, endedByName: r.by_name, reason: r.reason, endedAt: new Date(r.at), sessionIds: r.sessions,
    })),
  };
}
