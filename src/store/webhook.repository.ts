// The SQL of webhooks: endpoints, the outbox (deliveries written in the transaction of the
// change they tell of), claims by delivery workers and the delivery log.
import { sql, type RawBuilder } from "kysely";
import type { Db } from "./database.js";
import type { WebhookDeliveryRow, WebhookEndpointRow } from "./schema.js";
import { eventBody, RETRY_WINDOW_MS, type WebhookEvent } from "../domain/webhooks.js";

export async function insertEndpoint(db: Db, row: Omit<WebhookEndpointRow, "claimed_until" | "claim_id">): Promise<WebhookEndpointRow> {
  return db.insertInto("webhook_endpoints").values({ ...row, claimed_until: null, claim_id: null }).returningAll().executeTakeFirstOrThrow();
}

export async function findEndpoint(db: Db, accountId: string, id: string): Promise<WebhookEndpointRow | undefined> {
  return db.selectFrom("webhook_endpoints").selectAll().where("account_id", "=", accountId).where("id", "=", id).executeTakeFirst();
}

export async function listEndpoints(db: Db, accountId: string): Promise<(WebhookEndpointRow & { pending: number; failed: number })[]> {
  const { rows } = await sql<WebhookEndpointRow & { pending: number; failed: number }>`
    SELECT e.*,
      (SELECT count(*) FROM webhook_deliveries d WHERE d.account_id = e.account_id AND d.endpoint_id = e.id AND d.status = 'pending') AS pending,
      (SELECT count(*) FROM webhook_deliveries d WHERE d.account_id = e.account_id AND d.endpoint_id = e.id AND d.status = 'failed') AS failed
    FROM webhook_endpoints e WHERE e.account_id = ${accountId} ORDER BY e.created_at, e.id`.execute(db);
  return rows.map((r) => ({ ...r, pending: Number(r.pending), failed: Number(r.failed) }));
}

export async function updateEndpoint(
  db: Db,
  accountId: string,
  id: string,
  patch: Partial<Pick<WebhookEndpointRow, "url" | "description" | "events" | "queue_threshold" | "enabled" | "secret_sealed" | "secret_hint">>,
  now: Date,
): Promise<WebhookEndpointRow | undefined> {
  return db
    .updateTable("webhook_endpoints")
    .set({ ...patch, updated_at: now })
    .where("account_id", "=", accountId)
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteEndpoint(db: Db, accountId: string, id: string): Promise<boolean> {
  await db.deleteFrom("webhook_deliveries").where("account_id", "=", accountId).where("endpoint_id", "=", id).execute();
  const r = await db.deleteFrom("webhook_endpoints").where("account_id", "=", accountId).where("id", "=", id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/**
 * One INSERT of the deliveries of `events` to every enabled endpoint of the account that
 * subscribed to them, for a larger statement (a seat change writes it with its other rows):
 * no endpoint, no row, no lock taken. queue.waiting_over goes where the change made the
 * number waiting reach the endpoint's threshold.
 */
export function webhookInsert(accountId: string, events: WebhookEvent[], now: Date): RawBuilder<unknown> | null {
  if (events.length === 0) return null;
  const giveUpAt = new Date(now.getTime() + RETRY_WINDOW_MS);
  // One parameter however many events (a CSV import makes thousands): bind parameters are limited.
  const rows = JSON.stringify(events.map((e, i) => ({ ord: i, event_id: e.id, type: e.type, body: eventBody(accountId, e), waiting_before: e.waiting?.before ?? null, waiting_after: e.waiting?.after ?? null })));
  return sql`
    INSERT INTO webhook_deliveries (account_id, endpoint_id, event_id, event_type, body, created_at, next_attempt_at, give_up_at)
    SELECT e.account_id, e.id, v.event_id, v.type, v.body, ${now}::timestamptz, ${now}::timestamptz, ${giveUpAt}::timestamptz
    FROM jsonb_to_recordset(${rows}::jsonb) AS v(ord int, event_id text, type text, body text, waiting_before int, waiting_after int)
    JOIN webhook_endpoints e ON e.account_id = ${accountId} AND e.enabled AND v.type = ANY(e.events)
    WHERE v.type <> 'queue.waiting_over' OR (e.queue_threshold > v.waiting_before AND e.queue_threshold <= v.waiting_after)
    ORDER BY v.ord, e.id`;
}

/** Events of a change that is not a seat change (a release request), in the caller's transaction. */
export async function enqueueWebhooks(db: Db, accountId: string, events: WebhookEvent[], now = new Date()): Promise<void> {
  const insert = webhookInsert(accountId, events, now);
  if (insert) await insert.execute(db);
}

export interface ClaimedDelivery {
  account_id: string;
  seq: number;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  body: string;
  attempts: number;
  give_up_at: Date;
  url: string;
  secret_sealed: string;
}

/**
 * Claims the head delivery of up to `limit` endpoints whose head is due and that no worker is
 * sending to (SKIP LOCKED: workers in other processes take other endpoints), until
 * `claimUntil`. One delivery in flight per endpoint keeps each endpoint's deliveries in order;
 * a worker that dies leaves its claim to lapse, and the delivery is tried again.
 */
export async function claimDeliveries(db: Db, now: Date, claimUntil: Date, claimId: string, limit: number): Promise<ClaimedDelivery[]> {
  const { rows } = await sql<ClaimedDelivery>`
    WITH due AS (
      SELECT e.account_id, e.id AS endpoint_id, d.seq
      FROM webhook_endpoints e
      CROSS JOIN LATERAL (
        SELECT seq, next_attempt_at FROM webhook_deliveries d
        WHERE d.account_id = e.account_id AND d.endpoint_id = e.id AND d.status = 'pending'
        ORDER BY d.seq LIMIT 1
      ) d
      WHERE e.enabled AND (e.claimed_until IS NULL OR e.claimed_until <= ${now}) AND d.next_attempt_at <= ${now}
      ORDER BY d.next_attempt_at
      LIMIT ${limit}
      FOR NO KEY UPDATE OF e SKIP LOCKED
    ), claimed AS (
      UPDATE webhook_endpoints e SET claimed_until = ${claimUntil}, claim_id = ${claimId}
      FROM due WHERE e.account_id = due.account_id AND e.id = due.endpoint_id
      RETURNING e.account_id, e.id, e.url, e.secret_sealed
    ), tried AS (
      UPDATE webhook_deliveries d SET attempts = d.attempts + 1, last_attempt_at = ${now}
      FROM due WHERE d.account_id = due.account_id AND d.seq = due.seq
      RETURNING d.account_id, d.seq, d.endpoint_id, d.event_id, d.event_type, d.body, d.attempts, d.give_up_at
    )
    SELECT t.*, c.url, c.secret_sealed FROM tried t JOIN claimed c ON c.account_id = t.account_id AND c.id = t.endpoint_id`.execute(db);
  return rows.map((r) => ({ ...r, seq: Number(r.seq), give_up_at: new Date(r.give_up_at) }));
}

export type AttemptOutcome = { kind: "delivered" } | { kind: "retry"; at: Date } | { kind: "failed" };

/** Records an attempt and its outcome, and releases the endpoint's claim if it is still this worker's. */
export async function finishAttempt(
  db: Db,
  d: { accountId: string; seq: number; endpointId: string; claimId: string; n: number; at: Date; status: number | null; error: string | null; durationMs: number; outcome: AttemptOutcome },
): Promise<void> {
  const { outcome } = d;
  await sql`
    WITH d AS (
      UPDATE webhook_deliveries SET
        status = ${outcome.kind === "retry" ? "pending" : outcome.kind},
        next_attempt_at = ${outcome.kind === "retry" ? outcome.at : d.at}::timestamptz,
        last_status = ${d.status}::int, last_error = ${d.error}::text,
        delivered_at = ${outcome.kind === "delivered" ? d.at : null}::timestamptz
      WHERE account_id = ${d.accountId} AND seq = ${d.seq} AND status = 'pending'
      RETURNING seq
    ), a AS (
      INSERT INTO webhook_attempts (account_id, delivery_seq, n, at, status, error, duration_ms)
      VALUES (${d.accountId}, ${d.seq}, ${d.n}, ${d.at}::timestamptz, ${d.status}::int, ${d.error}::text, ${d.durationMs}::int)
      ON CONFLICT DO NOTHING
    )
    UPDATE webhook_endpoints SET claimed_until = NULL, claim_id = NULL
    WHERE account_id = ${d.accountId} AND id = ${d.endpointId} AND claim_id = ${d.claimId}`.execute(db);
}

export async function listDeliveries(db: Db, accountId: string, endpointId: string, filter: { before?: number; limit: number; status?: string }) {
  let q = db
    .selectFrom("webhook_deliveries")
    .selectAll()
    .where("account_id", "=", accountId)
    .where("endpoint_id", "=", endpointId)
    .orderBy("seq", "desc")
    .limit(filter.limit + 1);
  if (filter.before !== undefined) q = q.where("seq", "<", filter.before);
  if (filter.status !== undefined) q = q.where("status", "=", filter.status as WebhookDeliveryRow["status"]);
  return (await q.execute()).map((r) => ({ ...r, seq: Number(r.seq), replay_of: r.replay_of === null ? null : Number(r.replay_of) }));
}

export async function findDelivery(db: Db, accountId: string, endpointId: string, seq: number) {
  const row = await db.selectFrom("webhook_deliveries").selectAll().where("account_id", "=", accountId).where("endpoint_id", "=", endpointId).where("seq", "=", seq).executeTakeFirst();
  return row && { ...row, seq: Number(row.seq), replay_of: row.replay_of === null ? null : Number(row.replay_of) };
}

export async function attemptsOf(db: Db, accountId: string, seqs: number[]) {
  if (seqs.length === 0) return [];
  return (
    await db.selectFrom("webhook_attempts").selectAll().where("account_id", "=", accountId).where("delivery_seq", "in", seqs).orderBy("delivery_seq").orderBy("n").execute()
  ).map((a) => ({ ...a, delivery_seq: Number(a.delivery_seq) }));
}

/** A new delivery of the same event to the same endpoint, at the end of its queue. */
export async function replayDelivery(db: Db, accountId: string, endpointId: string, seq: number, now: Date) {
  const { rows } = await sql<WebhookDeliveryRow>`
    INSERT INTO webhook_deliveries (account_id, endpoint_id, event_id, event_type, body, created_at, next_attempt_at, give_up_at, replay_of)
    SELECT account_id, endpoint_id, event_id, event_type, body, ${now}::timestamptz, ${now}::timestamptz, ${new Date(now.getTime() + RETRY_WINDOW_MS)}::timestamptz, seq
    FROM webhook_deliveries WHERE account_id = ${accountId} AND endpoint_id = ${endpointId} AND seq = ${seq}
    RETURNING *`.execute(db);
  return rows[0] && { ...rows[0], seq: Number(rows[0].seq), replay_of: Number(rows[0].replay_of) };
}

/**
 * Deliveries not sent within their 24 h become failed without another attempt (an endpoint
 * dead for a day does not leave a day of backlog to time out one by one), and the log keeps
 * finished deliveries for `keepMs`.
 */
export async function expireDeliveries(db: Db, now: Date, keepMs: number): Promise<void> {
  await sql`UPDATE webhook_deliveries SET status = 'failed', last_error = coalesce(last_error || ' — ', '') || 'given up: not delivered within 24 h'
    WHERE status = 'pending' AND give_up_at <= ${now}`.execute(db);
  await sql`DELETE FROM webhook_deliveries WHERE status <> 'pending' AND created_at < ${new Date(now.getTime() - keepMs)}`.execute(db);
}
