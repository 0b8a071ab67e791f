// A seat change writes its audit rows in the change's one statement, however many there are:
// a grant to 8,000 users once failed there with too many bind parameters.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "kysely";
import { BACKENDS, openTestDatabase, type TestDatabase } from "../../test/support/backends.js";
import { auditInsert, listAudit } from "./audit.repository.js";

for (const backend of BACKENDS) {
  describe(`audit rows of one change [${backend}]`, () => {
    let database: TestDatabase;
    before(async () => {
      database = await openTestDatabase(backend);
      await sql`INSERT INTO accounts (id, name) VALUES ('acct_audit', 'Audit')`.execute(database.db);
    });
    after(() => database.close());

    test("10,000 entries go in one statement, each as written", async () => {
      const actor = { type: "user" as const, id: "usr_admin", name: "Ada «admin»" };
      const rows = Array.from({ length: 10_000 }, (_, i) => ({
        actor,
        entry: { action: "seat.granted", target: { type: "user", id: `usr_${i}`, name: i === 0 ? null : `User ${i}` }, details: { product: "p", type: "named", i } },
      }));
      const statement = auditInsert("acct_audit", rows);
      assert.ok(statement);
      await statement.execute(database.db);
      const count = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log WHERE account_id = 'acct_audit'`.execute(database.db);
      assert.equal(count.rows[0].n, 10_000);
      const [first] = await listAudit(database.db, "acct_audit", { target: "usr_0", limit: 1 });
      assert.equal(first.actor_name, "Ada «admin»");
      assert.equal(first.target_name, null);
      assert.deepEqual(first.details, { product: "p", type: "named", i: 0 });
      assert.equal(auditInsert("acct_audit", []), null);
    });
  });
}
