import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  // The keys that sign lease tokens (global: one key pair signs for every account). The
  // private key is stored encrypted (AES-256-GCM) under a secret that is not in the
  // database: SEATKEEPER_LEASE_KEY_SECRET, or a key file in the data directory.
  await sql`
    CREATE TABLE lease_signing_keys (
      kid text PRIMARY KEY,
      public_jwk jsonb NOT NULL,
      private_key_encrypted text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  // Agent events as they were sent, so that an event stream that reconnects with
  // Last-Event-ID gets what it missed. Kept for an hour.
  await sql`
    CREATE TABLE agent_events (
      account_id text NOT NULL,
      user_id text NOT NULL,
      id bigserial NOT NULL,
      event jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (account_id, user_id, id)
    )`.execute(db);
  await sql`CREATE INDEX agent_events_created_at ON agent_events (created_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS agent_events`.execute(db);
  await sql`DROP TABLE IF EXISTS lease_signing_keys`.execute(db);
}
