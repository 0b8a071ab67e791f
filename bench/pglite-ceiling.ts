// PGlite's own ceiling for one seat checkout, run by bench/run.ts as a separate process on a
// scratch data directory: the bare transaction (take a seat if one is left, insert the
// lease) in a Node loop at each concurrency, with the PGlite version of the checkout being
// measured. Reads {checkoutDir, dataDir, seconds, clients} on stdin; prints {"result": […]}.
import { createPglite } from "./lib/databases.js";

interface Spec {
  checkoutDir: string;
  dataDir: string;
  seconds: number;
  clients: number[];
}

let text = "";
process.stdin.setEncoding("utf8");
for await (const chunk of process.stdin) text += chunk;
const spec = JSON.parse(text) as Spec;

const db = await createPglite({ dir: spec.checkoutDir }, spec.dataDir);
await db.exec(`
  CREATE TABLE ceiling_pools (id int PRIMARY KEY, in_use int NOT NULL, capacity int NOT NULL);
  CREATE TABLE ceiling_leases (id bigserial PRIMARY KEY, pool_id int NOT NULL, at timestamptz NOT NULL DEFAULT now());
  INSERT INTO ceiling_pools VALUES (1, 0, 2000000000);`);

/** Checkouts per second by `clients` concurrent loops, counted after a short warm-up. */
async function rate(clients: number, seconds: number): Promise<number> {
  let done = 0;
  const from = performance.now() + 500;
  const until = from + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < until) {
        await db.transaction(async (tx) => {
          await tx.query("UPDATE ceiling_pools SET in_use = in_use + 1 WHERE id = $1 AND in_use < capacity", [1]);
          await tx.query("INSERT INTO ceiling_leases (pool_id) VALUES ($1)", [1]);
        });
        if (performance.now() >= from) done++;
      }
    }),
  );
  return Math.round(done / seconds);
}

const result: Array<{ clients: number; perSecond: number }> = [];
for (const clients of spec.clients) result.push({ clients, perSecond: await rate(clients, spec.seconds) });
await db.close();
process.stdout.write(`${JSON.stringify({ result })}\n`);
