// The bare one-transaction checkout, outside Seatkeeper, measured in the same run as the
// server: `UPDATE pools SET in_use = in_use + 1 WHERE id = :id AND in_use < capacity` and
// the INSERT of a lease, one durable transaction each. pgbench on a scratch PostgreSQL
// database; for PGlite, a Node loop in a process of its own (bench/pglite-ceiling.ts).
import { execFile, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { connectPostgres, createDatabase, dropDatabase } from "./databases.js";
import type { Checkout } from "./servers.js";

const run = promisify(execFile);

function pgbenchBinary(): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (dir && fs.existsSync(path.join(dir, "pgbench"))) return path.join(dir, "pgbench");
  }
  const versions = fs.existsSync("/usr/lib/postgresql") ? fs.readdirSync("/usr/lib/postgresql").sort().reverse() : [];
  return versions.map((v) => `/usr/lib/postgresql/${v}/bin/pgbench`).find((file) => fs.existsSync(file));
}

export interface Ceiling {
  perSecond: number;
  by: string;
}

const CHECKOUT_SCRIPT = `\\set id 1
BEGIN;
UPDATE pools SET in_use = in_use + 1 WHERE id = :id AND in_use < capacity;
INSERT INTO leases (pool_id) VALUES (:id);
COMMIT;
`;

export async function pgbenchCeiling(databaseName: string, clients: number, seconds: number): Promise<Ceiling> {
  const binary = pgbenchBinary();
  if (!binary) throw new Error("pgbench not found (on PATH or in /usr/lib/postgresql/*/bin)");
  const url = await createDatabase(databaseName);
  const script = path.join(os.tmpdir(), `seatkeeper-bench-checkout-${process.pid}.sql`);
  try {
    const db = await connectPostgres(url);
    await db.query(`CREATE TABLE pools (id int PRIMARY KEY, in_use int NOT NULL, capacity int NOT NULL);
      CREATE TABLE leases (id bigserial PRIMARY KEY, pool_id int NOT NULL, at timestamptz NOT NULL DEFAULT now());
      INSERT INTO pools VALUES (1, 0, 2000000000);`);
    await db.close();
    fs.writeFileSync(script, CHECKOUT_SCRIPT);
    const { stdout } = await run(binary, ["-n", "-c", String(clients), "-j", "2", "-T", String(Math.max(1, Math.round(seconds))), "-f", script, url]);
    const tps = /tps = ([\d.]+)/.exec(stdout);
    if (!tps) throw new Error(`pgbench printed no tps:\n${stdout}`);
    return { perSecond: Math.round(Number(tps[1])), by: `pgbench, ${clients} clients` };
  } finally {
    fs.rmSync(script, { force: true });
    await dropDatabase(databaseName);
  }
}

const BENCH_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** The best of the bare loop at each concurrency, and each rate. */
export async function pgliteCeiling(checkout: Checkout, dataDir: string, seconds: number, clients: number[]): Promise<Ceiling & { rates: Array<{ clients: number; perSecond: number }> }> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(BENCH_DIR, "pglite-ceiling.ts")], {
    cwd: path.dirname(BENCH_DIR),
    stdio: ["pipe", "pipe", "inherit"],
  });
  child.stdin.end(JSON.stringify({ checkoutDir: checkout.dir, dataDir, seconds, clients }));
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  if (code !== 0) throw new Error(`pglite-ceiling exited with ${code}`);
  const rates = (JSON.parse(output) as { result: Array<{ clients: number; perSecond: number }> }).result;
  const best = rates.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
  return { perSecond: best.perSecond, by: `Node loop on PGlite, ${rates.map((r) => `${r.clients} cl ${r.perSecond}/s`).join(", ")}`, rates };
}
