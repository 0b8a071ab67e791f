import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);

  await sql`
    CREATE TABLE products (
      id text PRIMARY KEY,
      slug text NOT NULL UNIQUE,
      name text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);

  await sql`
    CREATE TABLE accounts (
      id text PRIMARY KEY,
      name text NOT NULL,
      lease_ttl_seconds integer NOT NULL DEFAULT 90,
      pending_timeout_seconds integer NOT NULL DEFAULT 900,
      ended_cooldown_seconds integer NOT NULL DEFAULT 120,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);

  await sql`
    CREATE TABLE users (
      account_id text NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      id text NOT NULL,
      email text NOT NULL,
      name text NOT NULL,
      role text NOT NULL CHECK (role IN ('admin', 'manager', 'agent')),
      privileges text[] NOT NULL DEFAULT '{}',
      billing_contact boolean NOT NULL DEFAULT false,
      active boolean NOT NULL DEFAULT true,
      password_hash text,
      external_id text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (account_id, id)
    )`.execute(db);
  // Keyset pagination by (name, id) and substring search on name or email.
  await sql`CREATE INDEX users_by_name ON users (account_id, name, id)`.execute(db);
  await sql`CREATE INDEX users_name_trgm ON users USING gin (lower(name) gin_trgm_ops)`.execute(db);
  await sql`CREATE INDEX users_email_trgm ON users USING gin (lower(email) gin_trgm_ops)`.execute(db);
  await sql`CREATE UNIQUE INDEX users_external_id ON users (account_id, external_id) WHERE external_id IS NOT NULL`.execute(db);

  await sql`
    CREATE TABLE user_logins (
      email_lower text PRIMARY KEY,
      account_id text NOT NULL,
      user_id text NOT NULL
    )`.execute(db);

  await sql`
    CREATE TABLE auth_tokens (
      token_hash text PRIMARY KEY,
      id text NOT NULL UNIQUE,
      kind text NOT NULL CHECK (kind IN ('user', 'operator', 'scim')),
      account_id text,
      user_id text,
      name text,
      app text,
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz
    )`.execute(db);
  await sql`CREATE INDEX auth_tokens_by_user ON auth_tokens (account_id, user_id) WHERE revoked_at IS NULL`.execute(db);

  await sql`
    CREATE TABLE login_failures (
      id bigserial PRIMARY KEY,
      email_lower text NOT NULL,
      client_ip text NOT NULL,
      at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX login_failures_by_email ON login_failures (email_lower, at)`.execute(db);
  await sql`CREATE INDEX login_failures_by_ip ON login_failures (client_ip, at)`.execute(db);

  await sql`
    CREATE TABLE subscriptions (
      account_id text NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      product_id text NOT NULL REFERENCES products(id),
      named_total integer NOT NULL CHECK (named_total >= 0),
      concurrent_total integer NOT NULL CHECK (concurrent_total >= 0),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (account_id, product_id)
    )`.execute(db);

  await sql`
    CREATE TABLE seat_assignments (
      account_id text NOT NULL,
      user_id text NOT NULL,
      product_id text NOT NULL,
      type text NOT NULL CHECK (type IN ('named', 'concurrent')),
      source text NOT NULL DEFAULT 'manual',
      granted_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (account_id, user_id, product_id),
      FOREIGN KEY (account_id, user_id) REFERENCES users (account_id, id) ON DELETE CASCADE
    )`.execute(db);
  await sql`CREATE INDEX seat_assignments_by_seat ON seat_assignments (account_id, product_id, type, user_id)`.execute(db);

  await sql`
    CREATE TABLE audit_log (
      account_id text NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      id text NOT NULL,
      at timestamptz NOT NULL DEFAULT now(),
      actor_type text NOT NULL,
      actor_id text,
      actor_name text,
      action text NOT NULL,
      target_type text NOT NULL,
      target_id text NOT NULL,
      target_name text,
      details jsonb NOT NULL DEFAULT '{}',
      PRIMARY KEY (account_id, id)
    )`.execute(db);
  await sql`CREATE INDEX audit_log_newest ON audit_log (account_id, at DESC, id DESC)`.execute(db);

  await sql`
    CREATE TABLE idempotency_keys (
      account_id text NOT NULL,
      scope text NOT NULL,
      key text NOT NULL,
      request_hash text NOT NULL,
      status_code integer,
      response jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (account_id, scope, key)
    )`.execute(db);
  await sql`CREATE INDEX idempotency_keys_age ON idempotency_keys (created_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    "idempotency_keys", "audit_log", "seat_assignments", "subscriptions", "login_failures",
    "auth_tokens", "user_logins", "users", "accounts", "products",
  ]) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
  }
}
