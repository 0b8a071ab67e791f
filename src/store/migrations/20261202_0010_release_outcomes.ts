import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  // How a release request closed: the agent got a seat, gave up (its queue place lapsed or
  // its seat went), or an admin dismissed or resolved it with a note the agent reads.
  await sql`
    ALTER TABLE release_requests
      ADD COLUMN outcome text CHECK (outcome IN ('seat_granted', 'gave_up', 'dismissed', 'resolved')),
      ADD COLUMN note text,
      ADD COLUMN closed_by_id text,
      ADD COLUMN closed_by_name text`.execute(db);
  await sql`CREATE INDEX release_requests_by_agent ON release_requests (account_id, user_id, created_at)`.execute(db);
  // The licensed total before each usage row: a window's first total is known even when
  // the window starts before the first change it holds.
  await sql`ALTER TABLE usage_events ADD COLUMN total_before integer`.execute(db);
  // When each agent's app last sent a heartbeat: admins spot a seat "not really in use" (S6).
  await sql`ALTER TABLE agent_presence ADD COLUMN heard_at timestamptz`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE agent_presence DROP COLUMN IF EXISTS heard_at`.execute(db);
  await sql`ALTER TABLE usage_events DROP COLUMN IF EXISTS total_before`.execute(db);
  await sql`DROP INDEX IF EXISTS release_requests_by_agent`.execute(db);
  await sql`ALTER TABLE release_requests DROP COLUMN IF EXISTS outcome, DROP COLUMN IF EXISTS note, DROP COLUMN IF EXISTS closed_by_id, DROP COLUMN IF EXISTS closed_by_name`.execute(db);
}
