import { sql, type Kysely } from "kysely";

const ENTERPRISE_USER_URN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

export async function up(db: Kysely<unknown>): Promise<void> {
  // A SCIM userName is any string the identity provider chooses; the sign-in email is derived
  // from the user's emails and may be missing (such a user holds seats but cannot sign in).
  // user_name is set once SCIM writes the user; until then its userName is its email.
  await sql`ALTER TABLE users ALTER COLUMN email DROP NOT NULL, ADD COLUMN user_name text, ADD COLUMN scim_attributes jsonb`.execute(db);
  await sql`ALTER TABLE users ADD CONSTRAINT users_named CHECK (email IS NOT NULL OR user_name IS NOT NULL)`.execute(db);
  // userName is unique within the account, case-insensitively; SCIM's `userName eq` uses it.
  await sql`CREATE UNIQUE INDEX users_user_name ON users (account_id, lower(coalesce(user_name, email)))`.execute(db);
  await sql`DROP INDEX users_email_lower`.execute(db);

  // The attributes SCIM keeps without acting on them are one document per user.
  await sql`UPDATE users SET scim_attributes = jsonb_build_object(${ENTERPRISE_USER_URN}::text, scim_enterprise) WHERE scim_enterprise IS NOT NULL`.execute(db);
  await sql`ALTER TABLE users DROP COLUMN scim_enterprise`.execute(db);
  // Providers look users up by an email (Entra: emails[type eq "work"].value eq "…"): the
  // lower-cased values of a user's SCIM emails (its email for a user SCIM never wrote), indexed.
  await sql`
    CREATE FUNCTION scim_email_values(attributes jsonb, own_user_name text, own_email text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT CASE
        WHEN own_user_name IS NULL THEN CASE WHEN own_email IS NULL THEN '{}'::text[] ELSE ARRAY[lower(own_email)] END
        ELSE ARRAY(SELECT lower(e ->> 'value') FROM jsonb_array_elements(coalesce(attributes -> 'emails', '[]'::jsonb)) AS e WHERE e ->> 'value' IS NOT NULL)
      END
    $$`.execute(db);
  await sql`CREATE INDEX users_email_values ON users USING gin (scim_email_values(scim_attributes, user_name, email))`.execute(db);

  // externalId belongs to the provider and is not unique (RFC 7643 §3.1); still looked up.
  await sql`DROP INDEX users_external_id`.execute(db);
  await sql`CREATE INDEX users_external_id ON users (account_id, external_id) WHERE external_id IS NOT NULL`.execute(db);
  await sql`DROP INDEX scim_groups_external_id`.execute(db);
  await sql`CREATE INDEX scim_groups_external_id ON scim_groups (account_id, external_id) WHERE external_id IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // The earlier schema has no room for users without an email, nor for reused externalIds:
  // those users are removed and the later duplicates lose their externalId.
  await sql`DELETE FROM users WHERE email IS NULL`.execute(db);
  for (const table of ["users", "scim_groups"]) {
    await sql`
      UPDATE ${sql.table(table)} AS t SET external_id = NULL
      WHERE t.external_id IS NOT NULL AND EXISTS (
        SELECT 1 FROM ${sql.table(table)} AS o
        WHERE o.account_id = t.account_id AND o.external_id = t.external_id AND (o.created_at, o.id) < (t.created_at, t.id))`.execute(db);
  }
  await sql`DROP INDEX scim_groups_external_id`.execute(db);
  await sql`CREATE UNIQUE INDEX scim_groups_external_id ON scim_groups (account_id, external_id) WHERE external_id IS NOT NULL`.execute(db);
  await sql`DROP INDEX users_external_id`.execute(db);
  await sql`CREATE UNIQUE INDEX users_external_id ON users (account_id, external_id) WHERE external_id IS NOT NULL`.execute(db);

  await sql`DROP INDEX users_email_values`.execute(db);
  await sql`DROP FUNCTION scim_email_values(jsonb, text, text)`.execute(db);
  await sql`ALTER TABLE users ADD COLUMN scim_enterprise jsonb`.execute(db);
  await sql`UPDATE users SET scim_enterprise = scim_attributes -> ${ENTERPRISE_USER_URN}::text`.execute(db);
  await sql`CREATE INDEX users_email_lower ON users (account_id, lower(email))`.execute(db);
  await sql`DROP INDEX users_user_name`.execute(db);
  await sql`ALTER TABLE users DROP CONSTRAINT users_named`.execute(db);
  await sql`ALTER TABLE users DROP COLUMN user_name, DROP COLUMN scim_attributes, ALTER COLUMN email SET NOT NULL`.execute(db);
}
