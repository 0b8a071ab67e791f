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
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS agent_presence`.execute(db);
  await sql`ALTER TABLE usage_events DROP COLUMN IF EXISTS count`.execute(db);
}
