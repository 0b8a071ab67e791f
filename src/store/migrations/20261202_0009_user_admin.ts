import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  // The users list sorts by name as people read it (Élodie before Zoé, Øyvind among the
  // Os), on both back ends whatever the database collation: ligatures spelt out, accents
  // stripped after canonical decomposition, the letters with a stroke read as their base,
  // then lower-cased (on ASCII letters, which lower() folds under any collation).
  await sql`
    ALTER TABLE users ADD COLUMN sort_name text NOT NULL
      GENERATED ALWAYS AS (lower(translate(regexp_replace(normalize(
        replace(replace(replace(replace(replace(name, 'ß', 'ss'), 'æ', 'ae'), 'Æ', 'AE'), 'œ', 'oe'), 'Œ', 'OE'),
        NFD), '[\u0300-\u036f]', '', 'g'), 'øØłŁđĐ', 'oOlLdD'))) STORED`.execute(db);
  await sql`DROP INDEX IF EXISTS users_by_name`.execute(db);
  await sql`CREATE INDEX users_by_sort_name ON users (account_id, sort_name, id)`.execute(db);
  await sql`CREATE INDEX users_by_sort_email ON users (account_id, (lower(coalesce(email, user_name))), id)`.execute(db);
  // A user's detail: its last sign-in, last seat use and the audit entries about it.
  await sql`CREATE INDEX auth_tokens_sign_ins ON auth_tokens (account_id, user_id, created_at) WHERE kind = 'user'`.execute(db);
  await sql`CREATE INDEX support_sessions_by_user ON support_sessions (account_id, user_id, created_at)`.execute(db);
  await sql`CREATE INDEX audit_log_by_target ON audit_log (account_id, target_id, at DESC, id DESC)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS audit_log_by_target`.execute(db);
  await sql`DROP INDEX IF EXISTS support_sessions_by_user`.execute(db);
  await sql`DROP INDEX IF EXISTS auth_tokens_sign_ins`.execute(db);
  await sql`DROP INDEX IF EXISTS users_by_sort_email`.execute(db);
  await sql`DROP INDEX IF EXISTS users_by_sort_name`.execute(db);
  await sql`ALTER TABLE users DROP COLUMN IF EXISTS sort_name`.execute(db);
  await sql`CREATE INDEX users_by_name ON users (account_id, name, id)`.execute(db);
}
