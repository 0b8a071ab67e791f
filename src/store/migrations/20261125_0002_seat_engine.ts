import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  // A shared session is one agent's hold on one concurrent seat of one product.
  await sql`
    CREATE TABLE shared_sessions (
      account_id text NOT NULL,
      id text NOT NULL,
      product_id text NOT NULL,
      user_id text NOT NULL,
      created_at timestamptz NOT NULL,
      lease_expires_at timestamptz NOT NULL,
      ended_at timestamptz,
      end_reason text,
      ended_by_id text,
      ended_by_name text,
      -- Admin endings are reported once to the agent's next heartbeat.
      report_pending boolean NOT NULL DEFAULT false,
      PRIMARY KEY (account_id, id),
      FOREIGN KEY (account_id, product_id) REFERENCES subscriptions (account_id, product_id) ON DELETE CASCADE
    )`.execute(db);
  // One agent holds at most one seat of a product: the database enforces it too.
  await sql`CREATE UNIQUE INDEX shared_sessions_one_per_agent ON shared_sessions (account_id, product_id, user_id) WHERE ended_at IS NULL`.execute(db);
  await sql`CREATE INDEX shared_sessions_open_leases ON shared_sessions (lease_expires_at) WHERE ended_at IS NULL`.execute(db);
  await sql`CREATE INDEX shared_sessions_reports ON shared_sessions (account_id, user_id) WHERE report_pending`.execute(db);

  await sql`
    CREATE TABLE support_sessions (
      account_id text NOT NULL,
      id text NOT NULL,
      user_id text NOT NULL,
      product_id text NOT NULL,
      shared_session_id text,
      seat_type text NOT NULL CHECK (seat_type IN ('named', 'concurrent')),
      state text NOT NULL CHECK (state IN ('pending', 'active', 'ended')),
      mode text CHECK (mode IN ('attended', 'unattended')),
      platform text CHECK (platform IN ('windows', 'mac', 'ios', 'android')),
      support_key text NOT NULL,
      token_id text,
      created_at timestamptz NOT NULL,
      connected_at timestamptz,
      ended_at timestamptz,
      end_reason text,
      ended_by_admin boolean NOT NULL DEFAULT false,
      PRIMARY KEY (account_id, id)
    )`.execute(db);
  await sql`CREATE INDEX support_sessions_open ON support_sessions (account_id, user_id, product_id) WHERE state <> 'ended'`.execute(db);
  await sql`CREATE INDEX support_sessions_by_shared ON support_sessions (account_id, shared_session_id) WHERE state <> 'ended'`.execute(db);
  await sql`CREATE INDEX support_sessions_pending ON support_sessions (created_at) WHERE state = 'pending'`.execute(db);

  // The FIFO wait queue of a product; seq orders it.
  await sql`
    CREATE TABLE queue_entries (
      account_id text NOT NULL,
      product_id text NOT NULL,
      user_id text NOT NULL,
      seq bigserial NOT NULL,
      enqueued_at timestamptz NOT NULL,
      -- The place is dropped when the agent shows no sign of life (open wait, heartbeat) until then.
      held_until timestamptz NOT NULL,
      -- A waiting request is open until then.
      waiting_until timestamptz,
      -- A seat is kept for this agent until then.
      reserved_until timestamptz,
      PRIMARY KEY (account_id, product_id, user_id)
    )`.execute(db);
  await sql`CREATE INDEX queue_entries_order ON queue_entries (account_id, product_id, seq)`.execute(db);
  await sql`CREATE INDEX queue_entries_expiry ON queue_entries (held_until)`.execute(db);

  await sql`
    CREATE TABLE seat_cooldowns (
      account_id text NOT NULL,
      product_id text NOT NULL,
      user_id text NOT NULL,
      until timestamptz NOT NULL,
      PRIMARY KEY (account_id, product_id, user_id)
    )`.execute(db);

  await sql`
    CREATE TABLE release_requests (
      account_id text NOT NULL,
      id text NOT NULL,
      user_id text NOT NULL,
      product_id text NOT NULL,
      message text,
      created_at timestamptz NOT NULL,
      resolved_at timestamptz,
      PRIMARY KEY (account_id, id)
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX release_requests_open ON release_requests (account_id, product_id, user_id) WHERE resolved_at IS NULL`.execute(db);

  // Usage history: occupancy after every change, refusals, and admissions after a wait.
  await sql`
    CREATE TABLE usage_events (
      account_id text NOT NULL,
      id bigserial NOT NULL,
      product_id text NOT NULL,
      at timestamptz NOT NULL,
      kind text NOT NULL CHECK (kind IN ('occupancy', 'refusal', 'wait')),
      occupied integer NOT NULL,
      total integer NOT NULL,
      wait_seconds double precision,
      PRIMARY KEY (account_id, id)
    )`.execute(db);
  await sql`CREATE INDEX usage_events_series ON usage_events (account_id, product_id, at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ["usage_events", "release_requests", "seat_cooldowns", "queue_entries", "support_sessions", "shared_sessions"]) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
  }
}
