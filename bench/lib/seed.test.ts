// The bench seeds agents with raw SQL, bypassing the services: the server must take them
// for real agents (their tokens authenticate, their seats and leases count), or every
// benchmark number would be about errors.
import assert from "node:assert/strict";
import { test } from "node:test";
import { CompiledQuery, type Kysely } from "kysely";
import { eachBackend } from "../../test/support/suite.js";
import { OPERATOR_TOKEN } from "../../test/support/app.js";
import { agentToken } from "./agents.js";
import type { SqlConnection } from "./databases.js";
import { seedAgents, seedPrefix, seedTenant } from "./seed.js";

/** One connection of the app's database for the whole seed (it runs BEGIN … COMMIT). */
function onOneConnection<T>(db: Kysely<unknown>, run: (connection: SqlConnection) => Promise<T>): Promise<T> {
  return db.connection().execute((c) =>
    run({
      query: async <R>(text: string, params: unknown[] = []) => ({ rows: (await c.executeQuery(CompiledQuery.raw(text, params))).rows as R[] }),
      close: async () => {},
    }),
  );
}

eachBackend("bench seeding", ({ t }) => {
  test("seeded agents sign in with their tokens and start sessions; seeded leases are held and renewed", async () => {
    const url = await t().listen();
    const tenant = await seedTenant(url, OPERATOR_TOKEN, 5, 3600);
    const idle = seedPrefix();
    const holding = seedPrefix();
    await onOneConnection(t().database.db as unknown as Kysely<unknown>, async (c) => {
      await seedAgents(c, { tenant, prefix: idle, agents: 3 });
      await seedAgents(c, { tenant, prefix: holding, agents: 2, openLeases: { seconds: 3600 } });
    });

    const line = async () => (await t().call("GET", "/api/v1/subscription", { token: tenant.adminToken })).body.items[0].concurrent;
    assert.equal((await line()).occupied, 2, "the seeded leases hold seats");

    const beat = await t().call("POST", "/api/v1/me/heartbeat", { token: agentToken(holding, 1) });
    assert.equal(beat.status, 200);
    assert.deepEqual(beat.body.leases.map((l: { product: string }) => l.product), [tenant.product]);
    assert.ok(Date.parse(beat.body.leases[0].expiresAt) > Date.now() + 3000_000, "renewed by the account's lease TTL");

    const start = await t().call("POST", "/api/v1/me/sessions", { token: agentToken(idle, 2), body: { product: tenant.product } });
    assert.equal(start.status, 201);
    const end = await t().call("POST", `/api/v1/me/sessions/${start.body.id}/end`, { token: agentToken(idle, 2) });
    assert.equal(end.status, 200);
    assert.equal((await line()).occupied, 2);

    const users = await t().call("GET", `/api/v1/users?seat=${tenant.product}:concurrent&limit=500`, { token: tenant.adminToken });
    assert.equal(users.status, 200);
    assert.equal(users.body.items.length, 5, "the agents are users of the account with concurrent seats");
  });
});
