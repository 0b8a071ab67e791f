// A cheap fingerprint of everything the application stores. Equal fingerprints before and
// after a refused request prove it wrote nothing: per table, the row count and the newest
// row version (xmin: every insert or update makes a new one, a rolled-back one is never
// seen). Left out: when a token was last used (any authenticated SCIM call may note it) and
// failed sign-ins (a wrong password is counted on purpose).
import { sql } from "kysely";
import type { Db } from "../../src/store/database.js";

const LEFT_OUT = new Set(["login_failures", "kysely_migration", "kysely_migration_lock"]);

/** A fingerprint per table, by table name. */
export async function fingerprinter(db: Db): Promise<() => Promise<Map<string, string>>> {
  const tables = await sql<{ name: string }>`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`.execute(db);
  const parts = tables.rows
    .map((t) => t.name)
    .filter((name) => !LEFT_OUT.has(name))
    .map((name) =>
      name === "auth_tokens"
        ? `SELECT '${name}' AS t, (SELECT md5(coalesce(string_agg(md5((to_jsonb(r) - 'last_used_at')::text), ',' ORDER BY r.id), '')) FROM auth_tokens r) AS h`
        : `SELECT '${name}' AS t, (SELECT count(*) || '/' || coalesce(max(xmin::text::bigint), 0) FROM "${name}") AS h`,
    );
  const query = sql.raw<{ t: string; h: string }>(parts.join(" UNION ALL "));
  return async () => new Map((await query.execute(db)).rows.map((r) => [r.t, r.h]));
}
