import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "kysely";
import { BACKENDS, openTestDatabase, type TestDatabase } from "../../test/support/backends.js";
import { migrateDownAll, migrateToLatest, pendingMigrations } from "./database.js";
import { migrations } from "./migrations/index.js";

async function tables(db: TestDatabase["db"]): Promise<string[]> {
  const rows = await sql<{ table_name: string }>`
    SELECT table_name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_name NOT LIKE 'kysely_%' ORDER BY table_name`.execute(db);
  return rows.rows.map((r) => r.table_name);
}

for (const backend of BACKENDS) {
  describe(`migrations [${backend}]`, () => {
    let database: TestDatabase;
    before(async () => {
      database = await openTestDatabase(backend);
    });
    after(async () => database.close());

    test("down to an empty database and up again, with every migration applied", async () => {
      await migrateDownAll(database.db);
      assert.deepEqual(await tables(database.db), []);
      assert.deepEqual(await pendingMigrations(database.db), Object.keys(migrations));
      await migrateToLatest(database.db);
      assert.deepEqual(await pendingMigrations(database.db), []);
      const names = await tables(database.db);
      for (const table of ["accounts", "users", "user_logins", "subscriptions", "seat_assignments", "audit_log", "auth_tokens", "scim_groups", "scim_group_members", "group_seat_mappings", "group_seat_warnings"]) {
        assert.ok(names.includes(table), `${table} exists`);
      }
    });

    test("every account-owned table is keyed by account_id first", async () => {
      const global = new Set(["products", "user_logins", "auth_tokens", "login_failures", "accounts", "lease_signing_keys"]);
      const rows = await sql<{ table_name: string; column_name: string }>`
        SELECT kcu.table_name, kcu.column_name
        FROM information_schema.table_constraints tc
        JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name AND kcu.table_name = tc.table_name
        WHERE tc.table_schema = 'public' AND tc.constraint_type = 'PRIMARY KEY' AND kcu.ordinal_position = 1`.execute(database.db);
      for (const { table_name, column_name } of rows.rows) {
        if (global.has(table_name) || table_name.startsWith("kysely_")) continue;
        assert.equal(column_name, "account_id", `${table_name}'s primary key starts with account_id`);
      }
    });
  });
}
