// `npm run bench`: N simulated agents (default 64) run start-session → end-session cycles
// against one concurrent pool through the HTTP API, on PGlite and on PostgreSQL; in the
// same run, the bare checkout transaction's ceiling on the same database (pgbench when
// installed, else a minimal Node loop). Prints a table, writes bench/results/<date>.json.
//
//   npm run bench -- --agents 64 --seconds 10
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import pg from "pg";
import Table from "cli-table3";
import http from "node:http";
import { loadConfig } from "../src/config.js";
import { buildApp } from "../src/http/app.js";
import { newId } from "../src/domain/ids.js";
import { hashToken, newSecretToken } from "../src/services/crypto.js";
import { migrateToLatest, openDatabase, type DatabaseHandle, type Db } from "../src/store/database.js";
import { insertToken } from "../src/store/token.repository.js";
import { insertUser } from "../src/store/user.repository.js";
import { upsertAssignment } from "../src/store/seat.repository.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
}

const AGENTS = option("agents", 64);
const SECONDS = option("seconds", 10);
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const OPERATOR_TOKEN = `bench-operator-${randomBytes(8).toString("hex")}`;

const keepAlive = new http.Agent({ keepAlive: true, maxSockets: AGENTS });

/** A keep-alive HTTP client, one socket per simulated agent. */
function post(url: string, token: string, body?: unknown): Promise<{ status: number; body: any }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: "POST",
      agent: keepAlive,
      headers: { authorization: `Bearer ${token}`, ...(payload && { "content-type": "application/json", "content-length": Buffer.byteLength(payload) }) },
    }, (res) => {
      let data = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (data += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: data ? JSON.parse(data) : null }));
    });
    req.on("error", reject);
    req.end(payload);
  });
}

interface Result {
  backend: "pglite" | "postgres";
  agents: number;
  seconds: number;
  cycles: number;
  cyclesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  ceilingTxPerSecond: number;
  ceilingMethod: string;
  ratio: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

async function seed(db: Db, agents: number) {
  const accountId = newId("acct");
  const productId = newId("prod");
  await db.insertInto("accounts").values({ id: accountId, name: "Bench" }).execute();
  await db.insertInto("products").values({ id: productId, slug: `bench-${randomBytes(4).toString("hex")}`, name: "Bench" }).execute();
  await db.insertInto("subscriptions").values({ account_id: accountId, product_id: productId, named_total: 0, concurrent_total: agents }).execute();
  const tokens: string[] = [];
  for (let i = 0; i < agents; i++) {
    const userId = newId("usr");
    await insertUser(db, { accountId, id: userId, email: `bench-${userId}@bench.test`, name: `Agent ${i}`, role: "agent", privileges: [], billingContact: false, passwordHash: null });
    await upsertAssignment(db, accountId, userId, productId, "concurrent", "manual");
    const token = newSecretToken("skt");
    await insertToken(db, { tokenHash: hashToken(token), id: newId("tok"), kind: "user", accountId, userId, name: null, app: "desktop" });
    tokens.push(token);
  }
  const product = await db.selectFrom("products").select("slug").where("id", "=", productId).executeTakeFirstOrThrow();
  return { slug: product.slug, tokens };
}

async function cycles(baseUrl: string, slug: string, tokens: string[], seconds: number) {
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + seconds * 1000;
  await Promise.all(
    tokens.map(async (token) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const start = await post(`${baseUrl}/api/v1/me/sessions`, token, { product: slug });
        if (start.status !== 201) {
          errors++;
          continue;
        }
        const end = await post(`${baseUrl}/api/v1/me/sessions/${start.body.id}/end`, token);
        if (end.status !== 200) errors++;
        else latencies.push(performance.now() - t0);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { cycles: latencies.length, errors, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) };
}

const CEILING_SETUP = `
  CREATE TABLE IF NOT EXISTS bench_pools (id int PRIMARY KEY, in_use int NOT NULL, capacity int NOT NULL);
  CREATE TABLE IF NOT EXISTS bench_leases (id bigserial PRIMARY KEY, pool_id int NOT NULL, at timestamptz NOT NULL DEFAULT now());
  INSERT INTO bench_pools VALUES (1, 0, 2000000000) ON CONFLICT (id) DO UPDATE SET in_use = 0;`;
const CHECKOUT = [
  "BEGIN;",
  "UPDATE bench_pools SET in_use = in_use + 1 WHERE id = 1 AND in_use < capacity;",
  "INSERT INTO bench_leases (pool_id) VALUES (1);",
  "COMMIT;",
];

/** The bare checkout transaction, on the same database, from a minimal Node loop. */
async function nodeCeiling(db: Db, clients: number, seconds: number): Promise<number> {
  await sql.raw(CEILING_SETUP).execute(db);
  let count = 0;
  const deadline = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < deadline) {
        await db.transaction().execute(async (tx) => {
          await sql`UPDATE bench_pools SET in_use = in_use + 1 WHERE id = 1 AND in_use < capacity`.execute(tx);
          await sql`INSERT INTO bench_leases (pool_id) VALUES (1)`.execute(tx);
        });
        count++;
      }
    }),
  );
  return count / seconds;
}

function pgbenchCeiling(url: string, clients: number, seconds: number): number | undefined {
  if (spawnSync("pgbench", ["--version"]).status !== 0) return undefined;
  execFileSync("psql", [url, "-qc", CEILING_SETUP], { stdio: "ignore" });
  const script = path.join(os.tmpdir(), `seatkeeper-checkout-${process.pid}.sql`);
  fs.writeFileSync(script, CHECKOUT.join("\n"));
  try {
    const out = execFileSync("pgbench", ["-n", "-c", String(clients), "-j", "2", "-T", String(seconds), "-f", script, url], { encoding: "utf8" });
    const match = /tps = ([\d.]+)/.exec(out);
    return match ? Number(match[1]) : undefined;
  } finally {
    fs.rmSync(script, { force: true });
  }
}

async function benchBackend(backend: "pglite" | "postgres", database: DatabaseHandle, url: string | undefined): Promise<Result> {
  await migrateToLatest(database.db);
  const { slug, tokens } = await seed(database.db, AGENTS);
  const config = loadConfig({ SEATKEEPER_OPERATOR_TOKEN: OPERATOR_TOKEN, LOG_LEVEL: "silent" });
  const app = await buildApp({ config, database, logger: false });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const baseUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  try {
    await cycles(baseUrl, slug, tokens.slice(0, 4), 1); // warm-up
    const run = await cycles(baseUrl, slug, tokens, SECONDS);
    await app.close();
    const clients = backend === "pglite" ? AGENTS : Math.min(AGENTS, 16);
    const fromPgbench = url ? pgbenchCeiling(url, clients, SECONDS) : undefined;
    const ceiling = fromPgbench ?? (await nodeCeiling(database.db, clients, SECONDS));
    const cyclesPerSecond = run.cycles / SECONDS;
    return {
      backend,
      agents: AGENTS,
      seconds: SECONDS,
      cycles: run.cycles,
      cyclesPerSecond: Math.round(cyclesPerSecond),
      p50Ms: Math.round(run.p50 * 10) / 10,
      p99Ms: Math.round(run.p99 * 10) / 10,
      errors: run.errors,
      ceilingTxPerSecond: Math.round(ceiling),
      ceilingMethod: fromPgbench ? `pgbench, ${clients} clients` : `Node loop, ${clients} clients`,
      ratio: Math.round((cyclesPerSecond / ceiling) * 1000) / 1000,
    };
  } finally {
    if (app.server.listening) await app.close();
  }
}

async function main() {
  const results: Result[] = [];
  const dataDir = path.join(os.tmpdir(), `seatkeeper-bench-${process.pid}`);
  const pglite = await openDatabase({ databaseUrl: undefined, dataDir });
  try {
    results.push(await benchBackend("pglite", pglite, undefined));
  } finally {
    await pglite.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }

  const name = `seatkeeper_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  let reachable = true;
  await admin.connect().catch(() => (reachable = false));
  if (reachable) {
    await admin.query(`CREATE DATABASE ${name}`);
    const u = new URL(SERVER_URL);
    u.pathname = `/${name}`;
    const postgres = await openDatabase({ databaseUrl: u.toString(), dataDir: "", poolSize: 16 });
    try {
      results.push(await benchBackend("postgres", postgres, u.toString()));
    } finally {
      await postgres.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  } else {
    console.warn(`PostgreSQL at ${SERVER_URL} is not reachable: skipped (set BENCH_DATABASE_URL).`);
  }

  const table = new Table({ head: ["back end", "agents", "cycles/s", "p50 ms", "p99 ms", "errors", "ceiling tx/s", "ceiling by", "ratio"] });
  for (const r of results) table.push([r.backend, r.agents, r.cyclesPerSecond, r.p50Ms, r.p99Ms, r.errors, r.ceilingTxPerSecond, r.ceilingMethod, r.ratio]);
  console.log(`\nStart → end cycles through HTTP against one pool (${SECONDS} s each). A cycle is two requests and two transactions.`);
  console.log(table.toString());

  const out = path.join(ROOT, "bench/results", `${new Date().toISOString().slice(0, 19).replace(/:/g, "-")}.json`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify({ at: new Date().toISOString(), node: process.version, cpus: os.cpus().length, results }, null, 2)}\n`);
  console.log(`Wrote ${path.relative(ROOT, out)}`);
}

await main();
