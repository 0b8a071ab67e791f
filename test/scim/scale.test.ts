// Filters run in the database, on its indexes: with 100,000 users in an account, a
// provider's lookups, counts and pages are right. How long each took is reported as a
// diagnostic, not asserted: a shared CI machine makes any budget either loose or flaky.
import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "kysely";
import { eachBackend } from "../support/suite.js";
import { scimClient } from "../support/scim.js";

const USERS = 100_000;

eachBackend("SCIM at scale", ({ t }) => {
  test(`filters, counts and pages over ${USERS.toLocaleString("en")} users`, async (context) => {
    const scim = await scimClient(t());
    const accountId = scim.account.id;
    await sql`
      INSERT INTO users (account_id, id, email, name, role, given_name, family_name, external_id, active)
      SELECT ${accountId}, 'usr_scale' || lpad(i::text, 21, '0'), 'user' || i || '@scale.test', 'Person ' || i, 'agent',
             'Given' || i, CASE WHEN i % 10 = 0 THEN 'Tenth' ELSE 'Family' || i END, 'ext-' || i, i % 3 <> 0
      FROM generate_series(1, ${USERS}) AS i`.execute(t().database.db);
    await sql`ANALYZE users`.execute(t().database.db);

    const timed = async (query: string) => {
      const started = Date.now();
      const r = await scim.get(`/Users?${query}`);
      const elapsed = Date.now() - started;
      assert.equal(r.status, 200, JSON.stringify(r.body));
      context.diagnostic(`${query}: ${elapsed} ms`);
      return r.body;
    };
    const exact = await timed(`filter=${encodeURIComponent('userName eq "USER77777@scale.test"')}`);
    assert.deepEqual(exact.Resources.map((u: any) => u.externalId), ["ext-77777"]);
    const byExternal = await timed(`filter=${encodeURIComponent('externalId eq "ext-4242"')}`);
    assert.equal(byExternal.totalResults, 1);
    const byWorkEmail = await timed(`filter=${encodeURIComponent('emails[type eq "work"].value eq "user4242@SCALE.test"')}`);
    assert.deepEqual(byWorkEmail.Resources.map((u: any) => u.externalId), ["ext-4242"]);
    const substring = await timed(`filter=${encodeURIComponent('userName co "r9999"')}&count=5`);
    assert.equal(substring.totalResults, 11);
    const tenth = await timed(`filter=${encodeURIComponent('name.familyName eq "Tenth" and active eq true')}&count=10&startIndex=101&sortBy=userName`);
    assert.equal(tenth.totalResults, 6667);
    assert.equal(tenth.itemsPerPage, 10);
    const page = await timed("startIndex=50000&count=100");
    assert.equal(page.totalResults, USERS + 1);
    assert.equal(page.itemsPerPage, 100);
  });
});
