// The users list stays fast with 100,000 users in an account: the first page and the
// seat filter walk the (account_id, name, id) index instead of sorting the account, and
// the substring search uses the trigram indexes. Asserted on the query plans.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "kysely";
import { BACKENDS, openTestDatabase, type TestDatabase } from "../../test/support/backends.js";
import { countUsers, userListQuery } from "./user.repository.js";

const USERS = 100_000;

async function plan(database: TestDatabase, query: { compile(): { sql: string; parameters: readonly unknown[] } }): Promise<string> {
  const { sql: text, parameters } = query.compile();
  const rows = await sql<{ "QUERY PLAN": string }>`EXPLAIN ${sql.raw(inline(text, parameters))}`.execute(database.db);
  return rows.rows.map((r) => r["QUERY PLAN"]).join("\n");
}

/** EXPLAIN takes no bind parameters: inline them as literals (test data only). */
function inline(text: string, parameters: readonly unknown[]): string {
  return text.replace(/\$(\d+)/g, (_, n) => {
    const v = parameters[Number(n) - 1];
    return typeof v === "number" ? String(v) : typeof v === "boolean" ? String(v) : `'${String(v).replace(/'/g, "''")}'`;
  });
}

for (const backend of BACKENDS) {
  describe(`users list at ${USERS.toLocaleString("en")} users [${backend}]`, () => {
    let database: TestDatabase;
    before(async () => {
      database = await openTestDatabase(backend);
      const db = database.db;
      await sql`INSERT INTO accounts (id, name) VALUES ('acct_big', 'Big'), ('acct_small', 'Small')`.execute(db);
      await sql`INSERT INTO products (id, slug, name) VALUES ('prod_big', 'big-product', 'Big Product')`.execute(db);
      await sql`
        INSERT INTO users (account_id, id, email, name, role)
        SELECT 'acct_big', 'usr_' || lpad(g::text, 26, '0'), 'user' || g || '@big.test', 'User ' || lpad(g::text, 6, '0'), 'agent'
        FROM generate_series(1, ${sql.lit(USERS)}) g`.execute(db);
      await sql`
        INSERT INTO seat_assignments (account_id, user_id, product_id, type)
        SELECT 'acct_big', 'usr_' || lpad(g::text, 26, '0'), 'prod_big', CASE WHEN g % 10 = 0 THEN 'named' ELSE 'concurrent' END
        FROM generate_series(1, ${sql.lit(USERS)}) g`.execute(db);
      await sql`ANALYZE`.execute(db);
    });
    after(async () => database.close());

    test("the first page and the next page read the index of their sort, both ways, never sorting the account", async () => {
      const sorts = [
        { sort: { key: "name" as const, descending: false }, index: /users_by_sort_name/, last: "user 050000" },
        { sort: { key: "name" as const, descending: true }, index: /users_by_sort_name/, last: "user 050000" },
        { sort: { key: "email" as const, descending: false }, index: /users_by_sort_email/, last: "user50000@big.test" },
      ];
      for (const { sort, index, last } of sorts) {
        for (const after of [undefined, { value: last, id: "usr_x" }]) {
          const text = await plan(database, userListQuery(database.db, "acct_big", { limit: 50, sort, after }));
          assert.match(text, index, text);
          assert.doesNotMatch(text, /Sort/, text);
        }
      }
    });

    test("the no-seat filter finds the users without any seat, and the count agrees", async () => {
      await sql`
        INSERT INTO users (account_id, id, email, name, role)
        VALUES ('acct_big', 'usr_noseat00000000000000000001', 'zoe@big.test', 'Zoé Sans', 'agent'),
               ('acct_big', 'usr_noseat00000000000000000002', 'elodie@big.test', 'Élodie Sans', 'agent')`.execute(database.db);
      const rows = await userListQuery(database.db, "acct_big", { limit: 50, noSeat: true }).execute();
      assert.deepEqual(rows.map((r) => r.name), ["Élodie Sans", "Zoé Sans"]);
      assert.equal(await countUsers(database.db, "acct_big", { noSeat: true }), 2);
      assert.equal(await countUsers(database.db, "acct_big", { seat: { productId: "prod_big", type: "named" } }), USERS / 10);
      await sql`DELETE FROM users WHERE id LIKE 'usr_noseat%'`.execute(database.db);
    });

    test("the seat filter reads the seat index", async () => {
      const text = await plan(database, userListQuery(database.db, "acct_big", { limit: 50, seat: { productId: "prod_big", type: "named" } }));
      assert.match(text, /seat_assignments_by_seat|seat_assignments_pkey/, text);
      assert.doesNotMatch(text, /Seq Scan on seat_assignments/, text);
    });

    test("the substring search uses the trigram indexes", async () => {
      const text = await plan(database, userListQuery(database.db, "acct_big", { limit: 50, q: "user4242" }));
      assert.match(text, /users_(name|email)_trgm/, text);
      const rows = await userListQuery(database.db, "acct_big", { limit: 50, q: "USER4242@" }).execute();
      assert.deepEqual(rows.map((r) => r.email), ["user4242@big.test"]);
    });
  });
}
