// Agent events as they were sent (written with the seat change that made them, in
// pool.repository's writeChange), read back by event streams that reconnect.
import { sql } from "kysely";
import type { Db } from "./database.js";

export interface StoredAgentEvent {
  id: number;
  event: Record<string, unknown>;
}

/**
 * The user's events after `afterId`, oldest first, and those made within the last
 * `recentMs` (a transaction that took an earlier id may commit after a later one: a
 * stream skips the ids it has sent).
 */
export async function agentEventsAfter(db: Db, accountId: string, userId: string, afterId: number, recentMs = 0): Promise<StoredAgentEvent[]> {
  const { rows } = await sql<{ id: string | number; event: unknown }>`
    SELECT id, event FROM agent_events
    WHERE account_id = ${accountId} AND user_id = ${userId}
      AND (id > ${afterId} OR created_at > clock_timestamp() - make_interval(secs => ${recentMs / 1000}))
    ORDER BY id
    LIMIT 1000`.execute(db);
  return rows.map((r) => ({ id: Number(r.id), event: (typeof r.event === "string" ? JSON.parse(r.event) : r.event) as Record<string, unknown> }));
}

/** The id of the user's latest event, 0 when there is none. */
export async function latestAgentEventId(db: Db, accountId: string, userId: string): Promise<number> {
  const { rows } = await sql<{ id: string | number | null }>`
    SELECT max(id) AS id FROM agent_events WHERE account_id = ${accountId} AND user_id = ${userId}`.execute(db);
  return Number(rows[0]?.id ?? 0);
}

/** Deletes the events older than `before`, of every account or of one. */
export async function purgeAgentEvents(db: Db, before: Date, accountId?: string): Promise<void> {
  let query = db.deleteFrom("agent_events").where("created_at", "<", before);
  if (accountId !== undefined) query = query.where("account_id", "=", accountId);
  await query.execute();
}

/** An event for one agent that no seat change made (an admin closed its release request). */
export async function insertAgentEvent(db: Db, accountId: string, userId: string, event: Record<string, unknown>): Promise<void> {
  await sql`INSERT INTO agent_events (account_id, user_id, event, created_at) VALUES (${accountId}, ${userId}, ${JSON.stringify(event)}::jsonb, clock_timestamp())`.execute(db);
}
