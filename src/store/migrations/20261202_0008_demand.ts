import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  // Seat-sizing advice replays recorded demand: a queue place given up without a seat
  // (the wait ended, the agent went silent) is demand too, recorded with how long it waited.
  await sql`ALTER TABLE usage_events DROP CONSTRAINT usage_events_kind_check`.execute(db);
  await sql`ALTER TABLE usage_events ADD CONSTRAINT usage_events_kind_check CHECK (kind IN ('occupancy', 'refusal', 'wait', 'abandon'))`.execute(db);

  // Dormant named seats: after how many days without a support session a named seat counts
  // as dormant, and what the sweeper does with dormant seats on its own (off, convert to
  // concurrent, revoke). A seat's last use is its holder's latest support session of the product.
  await sql`ALTER TABLE accounts ADD COLUMN dormant_days integer NOT NULL DEFAULT 30, ADD COLUMN dormant_reclaim text NOT NULL DEFAULT 'off' CHECK (dormant_reclaim IN ('off', 'convert', 'revoke'))`.execute(db);
  await sql`CREATE INDEX support_sessions_last_use ON support_sessions (account_id, user_id, product_id, created_at)`.execute(db);

  // Webhook endpoints of an account. The signing secret must be readable to sign with, so it
  // is stored sealed (AES-256-GCM under a key kept outside the database, see
  // src/services/webhook-secret.ts); the hint is its first characters, for people to tell
  // secrets apart. claimed_until/claim_id: a delivery worker is sending this endpoint's
  // head delivery until then (one delivery in flight per endpoint keeps them in order).
  await sql`
    CREATE TABLE webhook_endpoints (
      account_id text NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      id text NOT NULL,
      url text NOT NULL,
      description text,
      events text[] NOT NULL,
      queue_threshold integer NOT NULL,
      secret_sealed text NOT NULL,
      secret_hint text NOT NULL,
      enabled boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      claimed_until timestamptz,
      claim_id text,
      PRIMARY KEY (account_id, id)
    )`.execute(db);
  // The outbox: one row per event and endpoint, written in the transaction of the change it
  // tells of; seq orders an endpoint's deliveries. No foreign key to the endpoint: its check
  // would lock the endpoint row from inside seat decisions (deleting an endpoint deletes its
  // deliveries itself).
  await sql`
    CREATE TABLE webhook_deliveries (
      account_id text NOT NULL,
      seq bigserial NOT NULL,
      endpoint_id text NOT NULL,
      event_id text NOT NULL,
      event_type text NOT NULL,
      body text NOT NULL,
      created_at timestamptz NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL,
      give_up_at timestamptz NOT NULL,
      last_attempt_at timestamptz,
      last_status integer,
      last_error text,
      delivered_at timestamptz,
      replay_of bigint,
      PRIMARY KEY (account_id, seq)
    )`.execute(db);
  await sql`CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (account_id, endpoint_id, seq) WHERE status = 'pending'`.execute(db);
  await sql`CREATE INDEX webhook_deliveries_log ON webhook_deliveries (account_id, endpoint_id, seq DESC)`.execute(db);
  // Every attempt of a delivery, for the delivery log.
  await sql`
    CREATE TABLE webhook_attempts (
      account_id text NOT NULL,
      delivery_seq bigint NOT NULL,
      n integer NOT NULL,
      at timestamptz NOT NULL,
      status integer,
      error text,
      duration_ms integer NOT NULL,
      PRIMARY KEY (account_id, delivery_seq, n),
      FOREIGN KEY (account_id, delivery_seq) REFERENCES webhook_deliveries (account_id, seq) ON DELETE CASCADE
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ["webhook_attempts", "webhook_deliveries", "webhook_endpoints"]) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
  }
  await sql`DROP INDEX IF EXISTS support_sessions_last_use`.execute(db);
  await sql`ALTER TABLE accounts DROP COLUMN IF EXISTS dormant_days, DROP COLUMN IF EXISTS dormant_reclaim`.execute(db);
  await sql`DELETE FROM usage_events WHERE kind = 'abandon'`.execute(db);
  await sql`ALTER TABLE usage_events DROP CONSTRAINT usage_events_kind_check`.execute(db);
  await sql`ALTER TABLE usage_events ADD CONSTRAINT usage_events_kind_check CHECK (kind IN ('occupancy', 'refusal', 'wait'))`.execute(db);
}
