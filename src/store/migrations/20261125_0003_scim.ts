import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  // SCIM's name.givenName / familyName are filterable, so they are columns; the enterprise
  // extension is only stored and returned.
  await sql`ALTER TABLE users ADD COLUMN given_name text, ADD COLUMN family_name text, ADD COLUMN scim_enterprise jsonb`.execute(db);
  // SCIM filters on userName (case-insensitive) and sort by creation.
  await sql`CREATE INDEX users_email_lower ON users (account_id, lower(email))`.execute(db);
  await sql`CREATE INDEX users_by_created ON users (account_id, created_at, id)`.execute(db);
  await sql`ALTER TABLE auth_tokens ADD COLUMN last_used_at timestamptz`.execute(db);
  await sql`CREATE INDEX auth_tokens_scim ON auth_tokens (account_id, created_at) WHERE kind = 'scim' AND revoked_at IS NULL`.execute(db);

  await sql`
    CREATE TABLE scim_groups (
      account_id text NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      id text NOT NULL,
      display_name text NOT NULL,
      external_id text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (account_id, id)
    )`.execute(db);
  await sql`CREATE INDEX scim_groups_by_name ON scim_groups (account_id, lower(display_name))`.execute(db);
  await sql`CREATE UNIQUE INDEX scim_groups_external_id ON scim_groups (account_id, external_id) WHERE external_id IS NOT NULL`.execute(db);

  await sql`
    CREATE TABLE scim_group_members (
      account_id text NOT NULL,
      group_id text NOT NULL,
      user_id text NOT NULL,
      added_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (account_id, group_id, user_id),
      FOREIGN KEY (account_id, group_id) REFERENCES scim_groups (account_id, id) ON DELETE CASCADE,
      FOREIGN KEY (account_id, user_id) REFERENCES users (account_id, id) ON DELETE CASCADE
    )`.execute(db);
  await sql`CREATE INDEX scim_group_members_by_user ON scim_group_members (account_id, user_id)`.execute(db);

  // At most one seat mapping per group: its members get `type` of `product_id`.
  await sql`
    CREATE TABLE group_seat_mappings (
      account_id text NOT NULL,
      group_id text NOT NULL,
      product_id text NOT NULL REFERENCES products(id),
      type text NOT NULL CHECK (type IN ('named', 'concurrent')),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (account_id, group_id),
      FOREIGN KEY (account_id, group_id) REFERENCES scim_groups (account_id, id) ON DELETE CASCADE
    )`.execute(db);
  await sql`CREATE INDEX group_seat_mappings_by_product ON group_seat_mappings (account_id, product_id)`.execute(db);

  // A seat a mapping should have granted but could not (no named seat left, no
  // subscription): shown by GET /api/v1/groups until it is resolved.
  await sql`
    CREATE TABLE group_seat_warnings (
      account_id text NOT NULL,
      user_id text NOT NULL,
      product_id text NOT NULL,
      group_id text NOT NULL,
      code text NOT NULL,
      granted text,
      at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (account_id, user_id, product_id),
      FOREIGN KEY (account_id, user_id) REFERENCES users (account_id, id) ON DELETE CASCADE,
      FOREIGN KEY (account_id, group_id) REFERENCES scim_groups (account_id, id) ON DELETE CASCADE
    )`.execute(db);
  await sql`CREATE INDEX group_seat_warnings_by_group ON group_seat_warnings (account_id, group_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ["group_seat_warnings", "group_seat_mappings", "scim_group_members", "scim_groups"]) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
  }
  await sql`DROP INDEX IF EXISTS auth_tokens_scim`.execute(db);
  await sql`ALTER TABLE auth_tokens DROP COLUMN IF EXISTS last_used_at`.execute(db);
  await sql`DROP INDEX IF EXISTS users_by_created`.execute(db);
  await sql`DROP INDEX IF EXISTS users_email_lower`.execute(db);
  await sql`ALTER TABLE users DROP COLUMN IF EXISTS given_name, DROP COLUMN IF EXISTS family_name, DROP COLUMN IF EXISTS scim_enterprise`.execute(db);
}
