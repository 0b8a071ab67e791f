// The SQL of a pool change, in as few round trips as the rules allow: one statement locks
// the pools, one loads a pool (ending expired leases on the way), and the writes of a whole
// change (one decision or a batch of them) are set-based — one statement per kind of row.
import { sql, type RawBuilder } from "kysely";
import type { Db } from "./database.js";
import type { AccountRow, SubscriptionRow, SupportSessionRow } from "./schema.js";
import type { AgentSeat, PoolWrites, QueueEntry } from "../domain/seat-pool.js";
import type { SeatType } from "../domain/seat-rules.js";

export interface LockedPool {
  subscription: SubscriptionRow;
  account: AccountRow;
}

/**
 * Locks the subscription rows of `productIds` — the seat locks — in product-id order (the
 * ORDER BY sits below the row locking, so rows lock in that order) and reads the account's
 * settings with them. With skipLocked, pools another transaction holds are left out.
 */
export async function lockPools(db: Db, accountId: string, productIds: string[], skipLocked = false): Promise<Map<string, LockedPool>> {
  if (productIds.length === 0) return new Map();
  const { rows } = await sql<SubscriptionRow & { a: AccountRow }>`
    SELECT s.*, row_to_json(a) AS a
    FROM subscriptions s JOIN accounts a ON a.id = s.account_id
    WHERE s.account_id = ${accountId} AND s.product_id = ANY(${productIds}::text[])
    ORDER BY s.product_id
    FOR NO KEY UPDATE OF s ${skipLocked ? sql`SKIP LOCKED` : sql``}`.execute(db);
  return new Map(
    rows.map(({ a, ...subscription }) => [subscription.product_id, { subscription, account: { ...a, created_at: new Date(a.created_at) } }]),
  );
}

interface QueueJson {
  user_id: string;
  seq: number;
  enqueued_at: string;
  held_until: string;
  waiting_until: string | null;
  reserved_until: string | null;
  waiting_request_id: string | null;
  waiting_token_id: string | null;
}

interface AgentJson {
  user_id: string;
  seat: SeatType | null;
  shared: string | null;
  sessions: { id: string; state: "pending" | "active"; shared: string | null }[];
  cooldown: string | null;
  seen: string | null;
}

interface SessionJson extends Omit<SupportSessionRow, "created_at" | "connected_at" | "ended_at"> {
  created_at: string;
  connected_at: string | null;
  ended_at: string | null;
  lease_expires_at: string | null;
}

/** A support session with the lease of the shared session it holds its seat through, if open. */
export type SessionWithLease = SupportSessionRow & { leaseExpiresAt: Date | null };

const date = (s: string | null) => (s === null ? null : new Date(s));

export function toQueueEntry(q: QueueJson): QueueEntry {
  return {
    userId: q.user_id,
    seq: Number(q.seq),
    enqueuedAt: new Date(q.enqueued_at),
    heldUntil: new Date(q.held_until),
    waitingUntil: date(q.waiting_until),
    reservedUntil: date(q.reserved_until),
    request: q.waiting_request_id !== null && q.waiting_token_id !== null ? { id: q.waiting_request_id, tokenId: q.waiting_token_id } : null,
  };
}

function toAgent(a: AgentJson): AgentSeat {
  return {
    userId: a.user_id,
    seat: a.seat,
    sharedSessionId: a.shared,
    sessions: a.sessions.map((s) => ({ id: s.id, state: s.state, sharedSessionId: s.shared })),
    cooldownUntil: date(a.cooldown),
    seenUntil: date(a.seen),
  };
}

function toSession({ lease_expires_at, ...s }: SessionJson): SessionWithLease {
  return { ...s, created_at: new Date(s.created_at), connected_at: date(s.connected_at), ended_at: date(s.ended_at), leaseExpiresAt: date(lease_expires_at) };
}

const sessionJson = sql`to_jsonb(s) || jsonb_build_object('lease_expires_at',
  (SELECT lease_expires_at FROM shared_sessions ss WHERE ss.account_id = s.account_id AND ss.id = s.shared_session_id AND ss.ended_at IS NULL))`;

/** The agents' seat of the product, open shared session (its lease live at `now`), open sessions, cooldown and presence. */
function agentsJson(accountId: string, productId: string, userIds: string[], now: Date, expired: RawBuilder<unknown>) {
  return sql<AgentJson[]>`(SELECT coalesce(json_agg(json_build_object(
      'user_id', u.id,
      'seat', (SELECT type FROM seat_assignments WHERE account_id = ${accountId} AND user_id = u.id AND product_id = ${productId}),
      'shared', (SELECT id FROM shared_sessions WHERE account_id = ${accountId} AND product_id = ${productId} AND user_id = u.id
                   AND ended_at IS NULL AND lease_expires_at > ${now}),
      'sessions', (SELECT coalesce(json_agg(json_build_object('id', s.id, 'state', s.state, 'shared', s.shared_session_id) ORDER BY s.created_at, s.id), '[]'::json)
                   FROM support_sessions s
                   WHERE s.account_id = ${accountId} AND s.user_id = u.id AND s.product_id = ${productId} AND s.state <> 'ended'
                     AND (s.shared_session_id IS NULL OR s.shared_session_id NOT IN (${expired}))),
      'cooldown', (SELECT until FROM seat_cooldowns WHERE account_id = ${accountId} AND product_id = ${productId} AND user_id = u.id),
      'seen', (SELECT seen_until FROM agent_presence WHERE account_id = ${accountId} AND user_id = u.id)
    )), '[]'::json) FROM unnest(${userIds}::text[]) AS u(id))`;
}

export interface LoadedPool {
  occupied: number;
  queue: QueueEntry[];
  agents: AgentSeat[];
  /** Shared sessions whose lease had expired: ended by this load. */
  expired: { id: string; userId: string; leaseExpiredAt: Date }[];
  /** Support sessions ended with them. */
  expiredSessions: string[];
  /** The support sessions asked for (by id, or made for a waiting request), as they were before this load. */
  sessions: SessionWithLease[];
  /** Of the tokens asked for, those still valid (not revoked, user active). */
  validTokens: Set<string>;
}

/**
 * Loads a pool the caller has locked, in one statement: ends the shared sessions whose lease
 * expired by `now` (and their support sessions), then reads occupancy, the queue and what
 * the change needs of the agents, sessions and tokens it names. The reads see the rows as
 * they were when the statement began, after the lock was taken: expired rows are left out
 * of them explicitly.
 */
export async function loadPool(
  db: Db,
  accountId: string,
  productId: string,
  now: Date,
  wanted: { userIds: string[]; sessionIds: string[]; tokenIds: string[]; requestIds: string[] },
): Promise<LoadedPool> {
  const expiredIds = sql`SELECT id FROM expired`;
  const { rows } = await sql<{
    occupied: number;
    queue: QueueJson[];
    agents: AgentJson[];
    expired: { id: string; user_id: string; lease_expires_at: string }[];
    expired_sessions: string[];
    sessions: SessionJson[];
    tokens: string[];
  }>`
    WITH expired AS (
      UPDATE shared_sessions SET ended_at = ${now}, end_reason = 'lease_expired'
      WHERE account_id = ${accountId} AND product_id = ${productId} AND ended_at IS NULL AND lease_expires_at <= ${now}
      RETURNING id, user_id, lease_expires_at
    ), expired_sessions AS (
      UPDATE support_sessions SET state = 'ended', ended_at = ${now}, end_reason = 'lease_expired'
      WHERE account_id = ${accountId} AND shared_session_id IN (SELECT id FROM expired) AND state <> 'ended'
      RETURNING id
    )
    SELECT
      (SELECT count(*) FROM shared_sessions WHERE account_id = ${accountId} AND product_id = ${productId} AND ended_at IS NULL)
        - (SELECT count(*) FROM expired) AS occupied,
      (SELECT coalesce(json_agg(q ORDER BY q.seq), '[]'::json) FROM queue_entries q
        WHERE q.account_id = ${accountId} AND q.product_id = ${productId}) AS queue,
      ${agentsJson(accountId, productId, wanted.userIds, now, expiredIds)} AS agents,
      (SELECT coalesce(json_agg(e), '[]'::json) FROM expired e) AS expired,
      (SELECT coalesce(json_agg(id), '[]'::json) FROM expired_sessions) AS expired_sessions,
      (SELECT coalesce(json_agg(${sessionJson}), '[]'::json) FROM support_sessions s
        WHERE s.account_id = ${accountId} AND (s.id = ANY(${wanted.sessionIds}::text[]) OR s.request_id = ANY(${wanted.requestIds}::text[]))) AS sessions,
      (SELECT coalesce(json_agg(t.id), '[]'::json) FROM auth_tokens t JOIN users u ON u.account_id = t.account_id AND u.id = t.user_id
        WHERE t.id = ANY(${wanted.tokenIds}::text[]) AND t.revoked_at IS NULL AND u.active) AS tokens`.execute(db);
  const row = rows[0];
  return {
    occupied: Number(row.occupied),
    queue: row.queue.map(toQueueEntry),
    agents: row.agents.map(toAgent),
    expired: row.expired.map((e) => ({ id: e.id, userId: e.user_id, leaseExpiredAt: new Date(e.lease_expires_at) })),
    expiredSessions: row.expired_sessions,
    sessions: row.sessions.map(toSession),
    validTokens: new Set(row.tokens),
  };
}

/** More agents (and tokens) for a pool already loaded in this transaction. */
export async function loadAgents(db: Db, accountId: string, productId: string, now: Date, userIds: string[], tokenIds: string[] = []) {
  const { rows } = await sql<{ agents: AgentJson[]; tokens: string[] }>`
    SELECT ${agentsJson(accountId, productId, userIds, now, sql`SELECT NULL::text WHERE false`)} AS agents,
      (SELECT coalesce(json_agg(t.id), '[]'::json) FROM auth_tokens t JOIN users u ON u.account_id = t.account_id AND u.id = t.user_id
        WHERE t.id = ANY(${tokenIds}::text[]) AND t.revoked_at IS NULL AND u.active) AS tokens`.execute(db);
  return { agents: rows[0].agents.map(toAgent), validTokens: new Set(rows[0].tokens) };
}

/** What the store needs beside the pool's own writes to carry out a change. */
export interface PoolFlush {
  accountId: string;
  productId: string;
  now: Date;
  leaseExpiresAt: Date;
  writes: PoolWrites;
  /** Mode and platform of the sessions connected. */
  connections: Map<string, { mode: string; platform: string }>;
  queueBefore: QueueEntry[];
  queueAfter: QueueEntry[];
  usage: { occupiedBefore: number; totalBefore: number; occupied: number; total: number };
}

const values = (rows: RawBuilder<unknown>[]) => sql.join(rows);

/**
 * Writes a change, one statement per kind of row and only the kinds that changed, in an
 * order that keeps the "one open shared session per agent" index true after each
 * statement: endings before new sessions.
 */
export async function writePool(db: Db, f: PoolFlush): Promise<void> {
  const { accountId, productId, now, writes: w } = f;

  if (w.sessionsEnded.length > 0) {
    await sql`
      UPDATE support_sessions s SET state = 'ended', ended_at = ${now}, end_reason = v.reason, ended_by_admin = v.admin
      FROM (VALUES ${values(w.sessionsEnded.map((e) => sql`(${e.id}::text, ${e.reason}::text, ${e.byAdmin}::boolean)`))}) AS v(id, reason, admin)
      WHERE s.account_id = ${accountId} AND s.id = v.id AND s.state <> 'ended'`.execute(db);
  }
  if (w.sharedEnded.length > 0) {
    await sql`
      UPDATE shared_sessions s SET ended_at = ${now}, end_reason = v.reason, ended_by_id = v.by_id, ended_by_name = v.by_name, report_pending = v.report
      FROM (VALUES ${values(w.sharedEnded.map((e) => sql`(${e.id}::text, ${e.ending.reason}::text, ${e.ending.by?.id ?? null}::text, ${e.ending.by?.name ?? null}::text, ${e.ending.byAdmin}::boolean)`))})
        AS v(id, reason, by_id, by_name, report)
      WHERE s.account_id = ${accountId} AND s.id = v.id AND s.ended_at IS NULL`.execute(db);
  }
  for (const move of w.sessionsMoved) {
    await db
      .updateTable("support_sessions")
      .set({ seat_type: move.seat, shared_session_id: move.sharedSessionId })
      .where("account_id", "=", accountId)
      .where("id", "in", move.ids)
      .execute();
  }
  if (w.sharedStarted.length > 0) {
    await db
      .insertInto("shared_sessions")
      .values(w.sharedStarted.map((s) => ({ account_id: accountId, id: s.id, product_id: productId, user_id: s.userId, created_at: now, lease_expires_at: f.leaseExpiresAt })))
      .execute();
  }
  const started = new Set(w.sharedStarted.map((s) => s.id));
  const renewed = [...w.leasesRenewed].filter((id) => !started.has(id));
  if (renewed.length > 0) {
    await sql`UPDATE shared_sessions SET lease_expires_at = greatest(lease_expires_at, ${f.leaseExpiresAt})
      WHERE account_id = ${accountId} AND id = ANY(${renewed}::text[]) AND ended_at IS NULL`.execute(db);
  }
  if (w.sessionsStarted.length > 0) {
    await db
      .insertInto("support_sessions")
      .values(
        w.sessionsStarted.map((s) => ({
          account_id: accountId, id: s.id, user_id: s.userId, product_id: productId, shared_session_id: s.sharedSessionId, seat_type: s.seat,
          state: "pending" as const, support_key: s.supportKey, token_id: s.tokenId, request_id: s.requestId, created_at: now,
        })),
      )
      .execute();
  }
  const connected = w.sessionsConnected.filter((id) => f.connections.has(id));
  if (connected.length > 0) {
    await sql`
      UPDATE support_sessions s SET state = 'active', mode = v.mode, platform = v.platform, connected_at = coalesce(s.connected_at, ${now})
      FROM (VALUES ${values(connected.map((id) => sql`(${id}::text, ${f.connections.get(id)!.mode}::text, ${f.connections.get(id)!.platform}::text)`))}) AS v(id, mode, platform)
      WHERE s.account_id = ${accountId} AND s.id = v.id AND s.state <> 'ended'`.execute(db);
  }
  await writeQueue(db, accountId, productId, f.queueBefore, f.queueAfter);
  if (w.cooldowns.size > 0) {
    await db
      .insertInto("seat_cooldowns")
      .values([...w.cooldowns].map(([userId, until]) => ({ account_id: accountId, product_id: productId, user_id: userId, until })))
      .onConflict((oc) => oc.columns(["account_id", "product_id", "user_id"]).doUpdateSet((eb) => ({ until: eb.ref("excluded.until") })))
      .execute();
  }
  if (w.releasesResolved.size > 0) {
    await sql`UPDATE release_requests SET resolved_at = ${now}
      WHERE account_id = ${accountId} AND product_id = ${productId} AND user_id = ANY(${[...w.releasesResolved]}::text[]) AND resolved_at IS NULL`.execute(db);
  }
  await writeUsage(db, f);
}

/** The queue is written from its final state: places gone, places new, places changed. */
async function writeQueue(db: Db, accountId: string, productId: string, before: QueueEntry[], after: QueueEntry[]): Promise<void> {
  const kept = new Set(after.filter((e) => e.seq !== null).map((e) => e.userId));
  const gone = before.filter((e) => !kept.has(e.userId)).map((e) => e.userId);
  if (gone.length > 0) {
    await sql`DELETE FROM queue_entries WHERE account_id = ${accountId} AND product_id = ${productId} AND user_id = ANY(${gone}::text[])`.execute(db);
  }
  const fresh = after.filter((e) => e.seq === null);
  if (fresh.length > 0) {
    // One multi-row INSERT numbers its rows in the order given: queue order.
    await db
      .insertInto("queue_entries")
      .values(fresh.map((e) => ({
        account_id: accountId, product_id: productId, user_id: e.userId, enqueued_at: e.enqueuedAt, held_until: e.heldUntil,
        waiting_until: e.waitingUntil, reserved_until: e.reservedUntil, waiting_request_id: e.request?.id ?? null, waiting_token_id: e.request?.tokenId ?? null,
      })))
      .execute();
  }
  const old = new Map(before.map((e) => [e.userId, e]));
  const changed = after.filter((e) => {
    const o = e.seq !== null ? old.get(e.userId) : undefined;
    return o !== undefined && (o.waitingUntil?.getTime() !== e.waitingUntil?.getTime() || o.reservedUntil?.getTime() !== e.reservedUntil?.getTime() || o.request?.id !== e.request?.id);
  });
  if (changed.length > 0) {
    // held_until is the heartbeats' to move, never written here.
    await sql`
      UPDATE queue_entries q SET waiting_until = v.waiting_until, reserved_until = v.reserved_until, waiting_request_id = v.request_id, waiting_token_id = v.token_id
      FROM (VALUES ${values(changed.map((e) => sql`(${e.userId}::text, ${e.waitingUntil}::timestamptz, ${e.reservedUntil}::timestamptz, ${e.request?.id ?? null}::text, ${e.request?.tokenId ?? null}::text)`))})
        AS v(user_id, waiting_until, reserved_until, request_id, token_id)
      WHERE q.account_id = ${accountId} AND q.product_id = ${productId} AND q.user_id = v.user_id`.execute(db);
  }
}

/** One statement: occupancy when it moved, the change's refusals in one row, each admitted waiter's wait. */
async function writeUsage(db: Db, f: PoolFlush): Promise<void> {
  const { usage, writes: w } = f;
  const base = { account_id: f.accountId, product_id: f.productId, at: f.now, occupied: usage.occupied, total: usage.total };
  const rows = [
    ...(usage.occupied !== usage.occupiedBefore || usage.total !== usage.totalBefore ? [{ ...base, kind: "occupancy" as const, wait_seconds: null, count: 1 }] : []),
    ...(w.refusals > 0 ? [{ ...base, kind: "refusal" as const, wait_seconds: null, count: w.refusals }] : []),
    ...w.waits.map((seconds) => ({ ...base, kind: "wait" as const, wait_seconds: seconds, count: 1 })),
  ];
  if (rows.length > 0) await db.insertInto("usage_events").values(rows).execute();
}

// ---------------------------------------------------------------------------------------
// Reads without the seat lock: one statement each, so one consistent snapshot.

export interface SeatReading {
  productId: string;
  product: string;
  type: SeatType;
  total: number;
  occupied: number;
  queue: QueueEntry[];
  agent: AgentSeat;
}

/** Every seat of the user, with its pool as it is now (GET /me/seats, sign-in notices, event streams). */
export async function readSeatsOf(db: Db, accountId: string, userId: string, now: Date): Promise<SeatReading[]> {
  const { rows } = await sql<{
    product_id: string; slug: string; type: SeatType; total: number | null; occupied: number; queue: QueueJson[];
    shared: string | null; cooldown: string | null;
  }>`
    SELECT sa.product_id, p.slug, sa.type, s.concurrent_total AS total,
      (SELECT count(*) FROM shared_sessions WHERE account_id = sa.account_id AND product_id = sa.product_id AND ended_at IS NULL AND lease_expires_at > ${now}) AS occupied,
      CASE WHEN sa.type = 'concurrent' THEN (SELECT coalesce(json_agg(q ORDER BY q.seq), '[]'::json) FROM queue_entries q
        WHERE q.account_id = sa.account_id AND q.product_id = sa.product_id) ELSE '[]'::json END AS queue,
      (SELECT id FROM shared_sessions WHERE account_id = sa.account_id AND product_id = sa.product_id AND user_id = sa.user_id
        AND ended_at IS NULL AND lease_expires_at > ${now}) AS shared,
      (SELECT until FROM seat_cooldowns WHERE account_id = sa.account_id AND product_id = sa.product_id AND user_id = sa.user_id) AS cooldown
    FROM seat_assignments sa
    JOIN products p ON p.id = sa.product_id
    LEFT JOIN subscriptions s ON s.account_id = sa.account_id AND s.product_id = sa.product_id
    WHERE sa.account_id = ${accountId} AND sa.user_id = ${userId}
    ORDER BY p.slug`.execute(db);
  return rows.map((r) => ({
    productId: r.product_id,
    product: r.slug,
    type: r.type,
    total: r.total ?? 0,
    occupied: Number(r.occupied),
    queue: r.queue.map(toQueueEntry),
    agent: { userId, seat: r.type, sharedSessionId: r.shared, sessions: [], cooldownUntil: r.cooldown === null ? null : new Date(r.cooldown), seenUntil: null },
  }));
}

/** The support session another process made for the user's waiting request, if one has. */
export async function findServedRequest(db: Db, accountId: string, userId: string, requestId: string): Promise<SessionWithLease | undefined> {
  const { rows } = await sql<{ s: SessionJson }>`
    SELECT ${sessionJson} AS s FROM support_sessions s
    WHERE s.account_id = ${accountId} AND s.request_id = ${requestId} AND s.user_id = ${userId}`.execute(db);
  return rows[0] && toSession(rows[0].s);
}
