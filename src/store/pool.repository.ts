// The SQL of a pool change, in as few round trips as the rules allow: one statement locks
// the pools, one loads a pool (ending expired leases on the way), and the writes of a whole
// change (one decision or a batch of them) are set-based — one statement per kind of row.
import { sql, type RawBuilder } from "kysely";
import type { Db } from "./database.js";
import { auditInsert, type AuditActor, type AuditEntry } from "./audit.repository.js";
import { SIGNAL_CHANNEL } from "./side-channel.js";
import { webhookInsert } from "./webhook.repository.js";
import type { WebhookEvent } from "../domain/webhooks.js";
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
function agentsJson(accountId: string, productId: string, users: RawBuilder<unknown>, now: Date, expired: RawBuilder<unknown>) {
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
    )), '[]'::json) FROM (${users}) AS u(id))`;
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
  wanted: { userIds: string[]; sessionIds: string[]; tokenIds: string[]; requestIds: string[]; queueHead: number },
): Promise<LoadedPool> {
  const expiredIds = sql`SELECT id FROM expired`;
  // The first waiting requests of the queue, with their agents and tokens: a seat freed in
  // this change is theirs, and served without another round trip.
  const head = sql`SELECT user_id, waiting_token_id FROM queue_entries
    WHERE account_id = ${accountId} AND product_id = ${productId} AND waiting_request_id IS NOT NULL ORDER BY seq LIMIT ${wanted.queueHead}`;
  const users = sql`SELECT unnest(${wanted.userIds}::text[]) UNION SELECT user_id FROM (${head}) h`;
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
      ${agentsJson(accountId, productId, users, now, expiredIds)} AS agents,
      (SELECT coalesce(json_agg(e), '[]'::json) FROM expired e) AS expired,
      (SELECT coalesce(json_agg(id), '[]'::json) FROM expired_sessions) AS expired_sessions,
      (SELECT coalesce(json_agg(${sessionJson}), '[]'::json) FROM support_sessions s
        WHERE s.account_id = ${accountId} AND (s.id = ANY(${wanted.sessionIds}::text[]) OR s.request_id = ANY(${wanted.requestIds}::text[]))) AS sessions,
      (SELECT coalesce(json_agg(t.id), '[]'::json) FROM auth_tokens t JOIN users u ON u.account_id = t.account_id AND u.id = t.user_id
        WHERE (t.id = ANY(${wanted.tokenIds}::text[]) OR t.id IN (SELECT waiting_token_id FROM (${head}) h))
          AND t.revoked_at IS NULL AND u.active) AS tokens`.execute(db);
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
    SELECT ${agentsJson(accountId, productId, sql`SELECT unnest(${userIds}::text[])`, now, sql`SELECT NULL::text WHERE false`)} AS agents,
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

export interface ChangeWrite {
  accountId: string;
  pools: PoolFlush[];
  audits: { actor: AuditActor; entry: AuditEntry }[];
  /** Events for the account's webhook endpoints: their deliveries are written with the change (the outbox). */
  webhooks: WebhookEvent[];
  /** Notification payloads, sent when the transaction commits. */
  payloads: string[];
}

/** Above this many rows a change is written one statement per kind (bind parameters are limited). */
const ROWS_PER_STATEMENT = 500;

const values = (rows: RawBuilder<unknown>[]) => sql.join(rows);

/** A support session's state at the end of the change: the row to insert, or the update of a row that was there. */
interface SessionChange {
  id: string;
  ended?: { reason: string; byAdmin: boolean };
  connected?: { mode: string; platform: string };
  moved?: { seat: SeatType; sharedSessionId: string | null };
}

/**
 * Writes a change in one statement — every update and delete, every insert, the audit rows
 * and the notifications — or, when an agent's old row and new row of the same kind would
 * meet in it (a shared session ended and another started, a queue place left and taken
 * again), in two: updates and deletes first, so that each unique index holds after each.
 */
export async function writeChange(db: Db, change: ChangeWrite): Promise<void> {
  const first: RawBuilder<unknown>[] = [];
  const second: RawBuilder<unknown>[] = [];
  let rows = change.audits.length;
  let clash = false;
  for (const f of change.pools) {
    const parts = poolParts(f);
    first.push(...parts.updates);
    second.push(...parts.inserts);
    rows += parts.rows;
    clash ||= parts.clash;
  }
  const audit = auditInsert(change.accountId, change.audits);
  if (audit) second.push(audit);
  const hooks = webhookInsert(change.accountId, change.webhooks, new Date());
  if (hooks) second.push(hooks);
  const notify = sql`SELECT count(pg_notify(${SIGNAL_CHANNEL}, p)) FROM unnest(${change.payloads}::text[]) AS p`;
  if (rows > ROWS_PER_STATEMENT) {
    for (const part of [...first, ...second]) await sql`WITH w AS (${part}) SELECT 1`.execute(db);
    if (change.payloads.length > 0) await notify.execute(db);
    return;
  }
  const run = (parts: RawBuilder<unknown>[], tail: RawBuilder<unknown>) =>
    sql`WITH ${sql.join(parts.map((part, i) => sql`${sql.raw(`w${i}`)} AS (${part})`))} ${tail}`.execute(db);
  if (clash && first.length > 0) {
    await run(first, sql`SELECT 1`);
    first.length = 0;
  }
  const all = [...first, ...second];
  if (all.length > 0) await run(all, notify);
  else if (change.payloads.length > 0) await notify.execute(db);
}

function poolParts(f: PoolFlush): { updates: RawBuilder<unknown>[]; inserts: RawBuilder<unknown>[]; rows: number; clash: boolean } {
  const { accountId, productId, now, writes: w } = f;
  const updates: RawBuilder<unknown>[] = [];
  const inserts: RawBuilder<unknown>[] = [];

  // Support sessions: what each ended up as.
  const started = new Map(w.sessionsStarted.map((s) => [s.id, s]));
  const changes = new Map<string, SessionChange>();
  const at = (id: string) => changes.get(id) ?? changes.set(id, { id }).get(id)!;
  for (const e of w.sessionsEnded) at(e.id).ended = { reason: e.reason, byAdmin: e.byAdmin };
  for (const id of w.sessionsConnected) if (f.connections.has(id)) at(id).connected = f.connections.get(id)!;
  for (const m of w.sessionsMoved) for (const id of m.ids) at(id).moved = { seat: m.seat, sharedSessionId: m.sharedSessionId };
  const updated = [...changes.values()].filter((c) => !started.has(c.id));
  if (updated.length > 0) {
    updates.push(sql`
      UPDATE support_sessions s SET
        state = CASE WHEN v.ended THEN 'ended' WHEN v.connect THEN 'active' ELSE s.state END,
        ended_at = CASE WHEN v.ended THEN ${now}::timestamptz ELSE s.ended_at END,
        end_reason = CASE WHEN v.ended THEN v.reason ELSE s.end_reason END,
        ended_by_admin = CASE WHEN v.ended THEN v.admin ELSE s.ended_by_admin END,
        mode = CASE WHEN v.connect THEN v.mode ELSE s.mode END,
        platform = CASE WHEN v.connect THEN v.platform ELSE s.platform END,
        connected_at = CASE WHEN v.connect THEN coalesce(s.connected_at, ${now}::timestamptz) ELSE s.connected_at END,
        seat_type = CASE WHEN v.move THEN v.seat ELSE s.seat_type END,
        shared_session_id = CASE WHEN v.move THEN v.shared ELSE s.shared_session_id END
      FROM (VALUES ${values(updated.map((c) => sql`(${c.id}::text, ${c.ended !== undefined}::boolean, ${c.ended?.reason ?? null}::text,
        ${c.ended?.byAdmin ?? false}::boolean, ${c.connected !== undefined}::boolean, ${c.connected?.mode ?? null}::text,
        ${c.connected?.platform ?? null}::text, ${c.moved !== undefined}::boolean, ${c.moved?.seat ?? null}::text, ${c.moved?.sharedSessionId ?? null}::text)`))})
        AS v(id, ended, reason, admin, connect, mode, platform, move, seat, shared)
      WHERE s.account_id = ${accountId} AND s.id = v.id AND s.state <> 'ended'`);
  }
  if (w.sessionsStarted.length > 0) {
    inserts.push(sql`
      INSERT INTO support_sessions (account_id, id, user_id, product_id, shared_session_id, seat_type, state, mode, platform, support_key,
        token_id, request_id, created_at, connected_at, ended_at, end_reason, ended_by_admin)
      VALUES ${values(w.sessionsStarted.map((s) => {
        const c = changes.get(s.id);
        return sql`(${accountId}, ${s.id}, ${s.userId}, ${productId}, ${c?.moved ? c.moved.sharedSessionId : s.sharedSessionId}, ${c?.moved?.seat ?? s.seat},
          ${c?.ended ? "ended" : c?.connected ? "active" : "pending"}, ${c?.connected?.mode ?? null}, ${c?.connected?.platform ?? null}, ${s.supportKey},
          ${s.tokenId}, ${s.requestId}, ${now}::timestamptz, ${c?.connected ? now : null}::timestamptz, ${c?.ended ? now : null}::timestamptz,
          ${c?.ended?.reason ?? null}, ${c?.ended?.byAdmin ?? false})`;
      }))}`);
  }

  // Shared sessions: ended or renewed if they were there; new ones inserted as they ended up.
  const newShared = new Map(w.sharedStarted.map((s) => [s.id, s]));
  const endedShared = new Map(w.sharedEnded.map((e) => [e.id, e]));
  const renewed = [...w.leasesRenewed].filter((id) => !newShared.has(id) && !endedShared.has(id));
  const oldEnded = w.sharedEnded.filter((e) => !newShared.has(e.id));
  if (oldEnded.length + renewed.length > 0) {
    updates.push(sql`
      UPDATE shared_sessions s SET
        ended_at = CASE WHEN v.ended THEN ${now}::timestamptz ELSE s.ended_at END,
        end_reason = CASE WHEN v.ended THEN v.reason ELSE s.end_reason END,
        ended_by_id = CASE WHEN v.ended THEN v.by_id ELSE s.ended_by_id END,
        ended_by_name = CASE WHEN v.ended THEN v.by_name ELSE s.ended_by_name END,
        report_pending = CASE WHEN v.ended THEN v.report ELSE s.report_pending END,
        lease_expires_at = CASE WHEN v.ended THEN s.lease_expires_at ELSE greatest(s.lease_expires_at, ${f.leaseExpiresAt}::timestamptz) END
      FROM (VALUES ${values([
        ...oldEnded.map((e) => sql`(${e.id}::text, true, ${e.ending.reason}::text, ${e.ending.by?.id ?? null}::text, ${e.ending.by?.name ?? null}::text, ${e.ending.byAdmin}::boolean)`),
        ...renewed.map((id) => sql`(${id}::text, false, null::text, null::text, null::text, false)`),
      ])}) AS v(id, ended, reason, by_id, by_name, report)
      WHERE s.account_id = ${accountId} AND s.id = v.id AND s.ended_at IS NULL`);
  }
  if (w.sharedStarted.length > 0) {
    inserts.push(sql`
      INSERT INTO shared_sessions (account_id, id, product_id, user_id, created_at, lease_expires_at, ended_at, end_reason, ended_by_id, ended_by_name, report_pending)
      VALUES ${values(w.sharedStarted.map((s) => {
        const e = endedShared.get(s.id);
        return sql`(${accountId}, ${s.id}, ${productId}, ${s.userId}, ${now}::timestamptz, ${f.leaseExpiresAt}::timestamptz, ${e ? now : null}::timestamptz,
          ${e?.ending.reason ?? null}, ${e?.ending.by?.id ?? null}, ${e?.ending.by?.name ?? null}, ${e?.ending.byAdmin ?? false})`;
      }))}`);
  }

  // The queue, from its final state: places gone, places new, places changed.
  const kept = new Set(f.queueAfter.filter((e) => e.seq !== null).map((e) => e.userId));
  const gone = f.queueBefore.filter((e) => !kept.has(e.userId)).map((e) => e.userId);
  const fresh = f.queueAfter.filter((e) => e.seq === null);
  const old = new Map(f.queueBefore.map((e) => [e.userId, e]));
  const changedPlaces = f.queueAfter.filter((e) => {
    const o = e.seq !== null ? old.get(e.userId) : undefined;
    return o !== undefined && (o.waitingUntil?.getTime() !== e.waitingUntil?.getTime() || o.reservedUntil?.getTime() !== e.reservedUntil?.getTime() || o.request?.id !== e.request?.id);
  });
  if (gone.length > 0) updates.push(sql`DELETE FROM queue_entries WHERE account_id = ${accountId} AND product_id = ${productId} AND user_id = ANY(${gone}::text[])`);
  if (changedPlaces.length > 0) {
    // held_until is the heartbeats' to move, never written here.
    updates.push(sql`
      UPDATE queue_entries q SET waiting_until = v.waiting_until, reserved_until = v.reserved_until, waiting_request_id = v.request_id, waiting_token_id = v.token_id
      FROM (VALUES ${values(changedPlaces.map((e) => sql`(${e.userId}::text, ${e.waitingUntil}::timestamptz, ${e.reservedUntil}::timestamptz, ${e.request?.id ?? null}::text, ${e.request?.tokenId ?? null}::text)`))})
        AS v(user_id, waiting_until, reserved_until, request_id, token_id)
      WHERE q.account_id = ${accountId} AND q.product_id = ${productId} AND q.user_id = v.user_id`);
  }
  if (fresh.length > 0) {
    // One multi-row INSERT numbers its rows in the order given: queue order.
    inserts.push(sql`
      INSERT INTO queue_entries (account_id, product_id, user_id, enqueued_at, held_until, waiting_until, reserved_until, waiting_request_id, waiting_token_id)
      VALUES ${values(fresh.map((e) => sql`(${accountId}, ${productId}, ${e.userId}, ${e.enqueuedAt}::timestamptz, ${e.heldUntil}::timestamptz,
        ${e.waitingUntil}::timestamptz, ${e.reservedUntil}::timestamptz, ${e.request?.id ?? null}, ${e.request?.tokenId ?? null})`))}`);
  }

  if (w.cooldowns.size > 0) {
    inserts.push(sql`
      INSERT INTO seat_cooldowns (account_id, product_id, user_id, until)
      VALUES ${values([...w.cooldowns].map(([userId, until]) => sql`(${accountId}, ${productId}, ${userId}, ${until}::timestamptz)`))}
      ON CONFLICT (account_id, product_id, user_id) DO UPDATE SET until = excluded.until`);
  }
  if (w.releasesClosed.size > 0) {
    updates.push(sql`UPDATE release_requests r SET resolved_at = ${now}, outcome = v.outcome
      FROM (VALUES ${values([...w.releasesClosed].map(([userId, outcome]) => sql`(${userId}::text, ${outcome}::text)`))}) AS v(user_id, outcome)
      WHERE r.account_id = ${accountId} AND r.product_id = ${productId} AND r.user_id = v.user_id AND r.resolved_at IS NULL`);
  }

  // Usage: occupancy when it moved, the change's refusals in one row, each admitted waiter's
  // wait, and how long each place given up without a seat had waited (demand turned away).
  const u = f.usage;
  const seated = new Set(w.sharedStarted.map((s) => s.userId));
  const abandoned = f.queueBefore.filter((e) => gone.includes(e.userId) && !seated.has(e.userId));
  const usage = [
    ...(u.occupied !== u.occupiedBefore || u.total !== u.totalBefore ? [{ kind: "occupancy", wait: null as number | null, count: 1 }] : []),
    ...(w.refusals > 0 ? [{ kind: "refusal", wait: null, count: w.refusals }] : []),
    ...w.waits.map((seconds) => ({ kind: "wait", wait: seconds, count: 1 })),
    ...abandoned.map((e) => ({ kind: "abandon", wait: Math.max(0, (now.getTime() - e.enqueuedAt.getTime()) / 1000), count: 1 })),
  ];
  if (usage.length > 0) {
    inserts.push(sql`
      INSERT INTO usage_events (account_id, product_id, at, kind, occupied, total, total_before, wait_seconds, count)
      VALUES ${values(usage.map((r) => sql`(${accountId}, ${productId}, ${now}::timestamptz, ${r.kind}, ${u.occupied}::int, ${u.total}::int, ${u.totalBefore}::int, ${r.wait}::float8, ${r.count}::int)`))}`);
  }

  // Agent events, kept for event streams that reconnect (Last-Event-ID).
  if (w.events.length > 0) {
    inserts.push(sql`
      INSERT INTO agent_events (account_id, user_id, event, created_at)
      VALUES ${values(w.events.map((e) => sql`(${accountId}, ${e.userId}, ${JSON.stringify(e.event)}::jsonb, clock_timestamp())`))}`);
  }

  const ended = new Set(oldEnded.map((e) => e.userId));
  const clash = w.sharedStarted.some((s) => ended.has(s.userId)) || fresh.some((e) => old.has(e.userId));
  const rows = updated.length + w.sessionsStarted.length + oldEnded.length + renewed.length + w.sharedStarted.length + gone.length + changedPlaces.length + fresh.length + w.cooldowns.size + usage.length + w.events.length;
  return { updates, inserts, rows, clash };
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
