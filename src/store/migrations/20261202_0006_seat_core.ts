import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  // A batch of decisions writes one refusal row for all its refusals.
  await sql`ALTER TABLE usage_events ADD COLUMN count integer NOT NULL DEFAULT 1`.execute(db);
  // When each agent was last heard from (heartbeat + lease TTL): a queue place outlives its
  // waiting request only while the agent is alive.
  await sql`
    CREATE TABLE agent_presence (
      account_id text NOT NULL,
      user_id text NOT NULL,
      seen_until timestamptz NOT NULL,
      PRIMARY KEY (account_id, user_id)
    )`.execute(db);
  // A waiting request, recorded on its queue place, is served by whichever process frees a
  // seat for it: the support session made for it names the request.
  await sql`ALTER TABLE queue_entries ADD COLUMN waiting_request_id text, ADD COLUMN waiting_token_id text`.execute(db);
  // Heartbeats find an agent's leases and queue places by agent, whatever the product.
  await sql`CREATE INDEX shared_sessions_open_by_agent ON shared_sessions (account_id, user_id) WHERE ended_at IS NULL`.execute(db);
  await sql`CREATE INDEX queue_entries_by_agent ON queue_entries (account_id, user_id)`.execute(db);
  await sql`ALTER TABLE support_sessions ADD COLUMN request_id text`.execute(db);
  await sql`CREATE UNIQUE INDEX support_sessions_by_request ON support_sessions (account_id, request_id) WHERE request_id IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS queue_entries_by_agent`.execute(db);
  await sql`DROP INDEX IF EXISTS shared_sessions_open_by_agent`.execute(db);
  await sql`DROP INDEX IF EXISTS support_sessions_by_request`.execute(db);
  await sql`ALTER TABLE support_sessions DROP COLUMN IF EXISTS request_id`.execute(db);
  await sql`ALTER TABLE queue_entries DROP COLUMN IF EXISTS waiting_request_id, DROP COLUMN IF EXISTS waiting_token_id`.execute(db);
  await sql`DROP TABLE IF EXISTS agent_presence`.execute(db);
  await sql`ALTER TABLE usage_events DROP COLUMN IF EXISTS count`.execute(db);
}
