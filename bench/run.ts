// `npm run bench`: Seatkeeper under load, through HTTP, with the servers and the load
// generator in processes of their own. See bench/README.md.
//
//   npm run bench -- [--scenario <name>]… [--seconds N] [--server-root <dir>]…
//                    [--compare <dirA> <dirB>] [--leases N] [--profile]
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { LoadResult, LoadSpec } from "./load.js";
import { formatSummary, summarize } from "./cpuprofile.js";
import { SCENARIOS, variants, type Variant } from "./scenarios.js";
import { pgbenchCeiling, pgliteCeiling } from "./lib/ceilings.js";
import { cpuWindow, type CpuWindow, type Groups } from "./lib/cpu.js";
import {
  ADMIN_URL,
  connectPostgres,
  copyDir,
  createDatabase,
  dropDatabase,
  dropLeftovers,
  openPglite,
  postgresReachable,
  type SqlConnection,
} from "./lib/databases.js";
import { request } from "./lib/http.js";
import { rowNotes, scenarioTable, type Row } from "./lib/report.js";
import { seedAgents, seedPrefix, seedTenant, seedWebhook, type Tenant } from "./lib/seed.js";
import { startDeadReceiver } from "./lib/dead-receiver.js";
import { checkoutOf, mainThreadProfile, runCommand, startServer, type Checkout, type Server } from "./lib/servers.js";
import type { Occupancy } from "./lib/stats.js";

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.dirname(BENCH_DIR);
const WARMUP_SECONDS = 1;
const HEALTHZ_SECONDS = 2;

function usage(): never {
  console.log(`npm run bench -- [options]
  --scenario <name>        ${SCENARIOS.join(", ")}, or one variant such as shared/pglite (repeatable; default: all)
  --seconds <n>            measured seconds per row (default 10; ceilings run half as long, 2–5 s)
  --server-root <dir>      run the servers from this checkout (repeatable: one row per checkout; default: this one)
  --compare <dirA> <dirB>  the same as --server-root dirA --server-root dirB
  --leases <n>             live leases in the heartbeats scenario (default 100000)
  --profile                CPU-profile every server (bench/results/profiles/) and print the top self-time functions
Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres), where scratch databases are made.`);
  process.exit(0);
}

function options() {
  const argv = process.argv.slice(2);
  const compare = argv.indexOf("--compare");
  if (compare !== -1) argv.splice(compare, 3, "--server-root", argv[compare + 1], "--server-root", argv[compare + 2]);
  const { values } = parseArgs({
    args: argv,
    options: {
      scenario: { type: "string", multiple: true },
      seconds: { type: "string", default: "10" },
      "server-root": { type: "string", multiple: true },
      leases: { type: "string", default: "100000" },
      profile: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) usage();
  const seconds = Number(values.seconds);
  const leases = Number(values.leases);
  if (!(seconds > 0)) throw new Error(`--seconds must be a positive number, got ${values.seconds}`);
  if (!Number.isInteger(leases) || leases < 1) throw new Error(`--leases must be a positive integer, got ${values.leases}`);
  const all = variants(leases);
  const wanted = values.scenario ?? [];
  for (const name of wanted) {
    if (!all.some((v) => v.scenario === name || v.name === name)) {
      throw new Error(`unknown scenario "${name}": choose from ${[...SCENARIOS, ...all.map((v) => v.name)].join(", ")}`);
    }
  }
  const chosen = wanted.length === 0 ? all : all.filter((v) => wanted.includes(v.scenario) || wanted.includes(v.name));
  const roots = values["server-root"] ?? [REPO];
  return { seconds, leases, profile: values.profile, variants: chosen, checkouts: roots.map(checkoutOf) };
}

const opts = options();
const stamp = new Date().toISOString().slice(0, 19).replace(/:/g, "-");
const tag = `${Date.now().toString(36)}${randomBytes(2).toString("hex")}`;
const scratch = path.join(REPO, ".tmp/bench", tag);
const profileDir = path.join(BENCH_DIR, "results/profiles", stamp);
const operatorToken = `bench-operator-${randomBytes(16).toString("hex")}`;
const ceilingSeconds = Math.max(2, Math.min(5, opts.seconds / 2));
/** Numbers rows, so that their databases, directories and profiles never collide. */
let rowNumber = 0;

/** One migrated PGlite data directory per checkout, copied for every PGlite row. */
const templates = new Map<string, Promise<string>>();
function pgliteTemplate(checkout: Checkout): Promise<string> {
  let template = templates.get(checkout.dir);
  if (!template) {
    const dir = path.join(scratch, `template-${templates.size}`);
    template = runCommand(checkout, ["migrate"], { SEATKEEPER_DATA_DIR: dir }).then(() => dir);
    templates.set(checkout.dir, template);
  }
  return template;
}

/** The load generator, in its own process; `window` runs between its window events. */
function runLoad(spec: LoadSpec, onWindow: (loadPid: number) => { end(): Promise<void> }): Promise<LoadResult> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(BENCH_DIR, "load.ts")], { cwd: REPO, stdio: ["pipe", "pipe", "inherit"] });
  child.stdin.end(JSON.stringify(spec));
  let window: { end(): Promise<void> } | undefined;
  let result: LoadResult | undefined;
  const pending: Promise<void>[] = [];
  readline.createInterface({ input: child.stdout }).on("line", (line) => {
    const message = JSON.parse(line) as { event?: string; result?: LoadResult };
    if (message.event === "window-start") window = onWindow(child.pid!);
    else if (message.event === "window-end" && window) pending.push(window.end());
    else if (message.result) result = message.result;
  });
  return new Promise((resolve, reject) => {
    // "close", not "exit": by then every line of its output has been read.
    child.once("close", (code) => {
      void Promise.all(pending).then(() => {
        if (code === 0 && result) resolve(result);
        else reject(new Error(`the load generator exited with ${code}`));
      });
    });
  });
}

/** Open shared sessions of the tenant, every 100 ms, over the window (PostgreSQL). */
function sampleSeats(db: SqlConnection, tenant: Tenant): { stop(): Promise<Occupancy> } {
  const counts: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const { rows } = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM shared_sessions WHERE account_id = $1 AND ended_at IS NULL",
        [tenant.accountId],
      );
      counts.push(rows[0].n);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      const mean = counts.reduce((s, n) => s + n, 0) / Math.max(1, counts.length);
      return { max: Math.max(0, ...counts), mean: Math.round(mean * 100) / 100 };
    },
  };
}

/** PostgreSQL backends serving this database (their CPU is the server's database work). */
async function backendPids(db: SqlConnection, database: string): Promise<number[]> {
  const { rows } = await db.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [database]);
  return rows.map((r) => r.pid);
}

async function occupiedAfter(server: Server, tenant: Tenant): Promise<number | undefined> {
  const reply = await request(false, `${server.url}/api/v1/subscription`, "GET", tenant.adminToken);
  if (reply.status !== 200) return undefined;
  const items = (JSON.parse(reply.text) as { items: Array<{ product: string; concurrent: { occupied: number } }> }).items;
  return items.find((i) => i.product === tenant.product)?.concurrent.occupied;
}

async function pendingDeliveries(server: Server, tenant: Tenant): Promise<number | undefined> {
  const reply = await request(false, `${server.url}/api/v1/webhooks`, "GET", tenant.adminToken);
  if (reply.status !== 200) return undefined;
  return (JSON.parse(reply.text) as { items: { pending: number }[] }).items.reduce((sum, e) => sum + e.pending, 0);
}

async function runVariant(variant: Variant, checkout: Checkout): Promise<Row> {
  const n = rowNumber++;
  const label = `${n}-${variant.name.replace("/", "-")}-${path.basename(checkout.dir)}`;
  const profileOf = (i: number) => (opts.profile ? path.join(profileDir, `${label}-${i}`) : undefined);
  const servers: Server[] = [];
  let sampler: SqlConnection | undefined;
  let databaseName: string | undefined;
  let dataDir: string | undefined;
  const window = { fromUs: 0, toUs: 0 };
  const dead = variant.deadWebhook ? await startDeadReceiver() : undefined;
  const hookEnv: Record<string, string> = dead ? { SEATKEEPER_WEBHOOK_ALLOW_PRIVATE: "1", SEATKEEPER_WEBHOOK_ALLOW_HTTP: "1" } : {};
  const startAll = async (env: Record<string, string>) => {
    // Together: on a fresh database one migrates while the others wait on the migration lock.
    const started = await Promise.allSettled(Array.from({ length: variant.processes }, (_, i) => startServer(checkout, { env: { ...env, ...hookEnv }, operatorToken, profileDir: profileOf(i) })));
    for (const s of started) if (s.status === "fulfilled") servers.push(s.value);
    const failed = started.find((s) => s.status === "rejected");
    if (failed) throw failed.reason;
  };
  try {
    const prefix = seedPrefix();
    const openLeases = variant.openLeases ? { seconds: 3600 } : undefined;
    const seedStarted = performance.now();
    let tenant: Tenant;
    let insertSeconds = 0;
    if (variant.backend === "postgres") {
      databaseName = `seatkeeper_bench_${tag}_${n}`;
      const url = await createDatabase(databaseName);
      await startAll({ DATABASE_URL: url });
      tenant = await seedTenant(servers[0].url, operatorToken, variant.seats, variant.leaseTtlSeconds);
      if (dead) await seedWebhook(servers[0].url, tenant, dead.url);
      sampler = await connectPostgres(url);
      insertSeconds = await timed(() => seedAgents(sampler!, { tenant, prefix, agents: variant.agents, openLeases }));
    } else {
      // The server owns its data directory: seed the tenant through it, stop it, insert
      // the agents into the directory, and start it again.
      dataDir = path.join(scratch, `pglite-${n}`);
      copyDir(await pgliteTemplate(checkout), dataDir);
      const first = await startServer(checkout, { env: { SEATKEEPER_DATA_DIR: dataDir, ...hookEnv }, operatorToken });
      tenant = await seedTenant(first.url, operatorToken, variant.seats, variant.leaseTtlSeconds)
        .then(async (t) => {
          if (dead) await seedWebhook(first.url, t, dead.url);
          return t;
        })
        .finally(() => first.stop());
      const db = await openPglite(checkout, dataDir);
      try {
        insertSeconds = await timed(() => seedAgents(db, { tenant, prefix, agents: variant.agents, openLeases }));
      } finally {
        await db.close();
      }
      await startAll({ SEATKEEPER_DATA_DIR: dataDir });
    }
    const seedSeconds = { total: Math.round((performance.now() - seedStarted) / 100) / 10, agents: insertSeconds };

    const concurrency = variant.workload.kind === "heartbeats" ? variant.workload.clients : variant.agents;
    const spec: LoadSpec = {
      urls: servers.map((s) => s.url),
      product: tenant.product,
      tokenPrefix: prefix,
      agents: variant.agents,
      warmupSeconds: WARMUP_SECONDS,
      seconds: opts.seconds,
      workload: variant.workload,
      burst: variant.burst,
      healthz: { clients: concurrency, seconds: HEALTHZ_SECONDS },
    };
    let cpu: CpuWindow | undefined;
    let seatsInDb: Occupancy | undefined;
    const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);
    const load = await runLoad(spec, (loadPid) => {
      window.fromUs = monotonicUs();
      const seats = sampler && variant.workload.kind === "cycles" ? sampleSeats(sampler, tenant) : undefined;
      const started = (async () => {
        const groups: Groups = { servers: servers.map((s) => s.pid), load: [loadPid] };
        if (sampler && databaseName) groups.postgres = await backendPids(sampler, databaseName);
        return cpuWindow(groups);
      })();
      return {
        async end() {
          window.toUs = monotonicUs();
          cpu = (await started)();
          seatsInDb = await seats?.stop();
        },
      };
    });
    const leftOpen = variant.workload.kind === "cycles" ? await occupiedAfter(servers[0], tenant) : undefined;
    const outbox = dead ? await pendingDeliveries(servers[0], tenant) : undefined;
    await Promise.all(servers.map((s) => s.stop()));
    if (dead) process.stdout.write(` (${outbox} deliveries written to the outbox for 11 dead endpoints; they were sent ${dead.connections()}, none answered)`);
    const profiles = opts.profile ? profilesOf(servers.map((_, i) => profileOf(i)!), window) : undefined;

    // A ceiling that cannot be measured (no pgbench) leaves the row without a ratio, not failed.
    let ceiling: Row["ceiling"];
    let ceilingError: string | undefined;
    try {
      if (variant.ceiling?.kind === "pgbench") {
        ceiling = await pgbenchCeiling(`seatkeeper_bench_${tag}_${n}_pgbench`, variant.ceiling.clients, ceilingSeconds);
      } else if (variant.ceiling?.kind === "pglite") {
        const dir = path.join(scratch, `ceiling-${n}`);
        copyDir(await pgliteTemplate(checkout), dir);
        ceiling = await pgliteCeiling(checkout, dir, ceilingSeconds, variant.ceiling.clients);
        fs.rmSync(dir, { recursive: true, force: true });
      }
    } catch (error) {
      ceilingError = error instanceof Error ? error.message : String(error);
    }

    const main = load.main;
    const base = {
      scenario: variant.scenario,
      variant: variant.name,
      checkout: checkout.label,
      backend: variant.backend === "postgres" ? "PostgreSQL" : "PGlite",
      processes: variant.processes,
      agents: variant.agents,
      seats: variant.seats,
      seconds: opts.seconds,
      unit: variant.unit,
      clientCeiling: { clients: load.healthz.clients, perSecond: load.healthz.perSecond },
      cpu,
      seedSeconds,
      burst: load.burst,
      profiles,
      ceilingError,
    };
    if (main.kind === "heartbeats") {
      return { ...base, throughput: main.perSecond, latency: main.latency, errors: main.errors, errorsBy: main.errorsBy };
    }
    const throughput = variant.unit === "cycles/s" ? main.cyclesPerSecond : main.decisionsPerSecond;
    // Without holds a grant's client-side interval is empty: only the database view says something.
    const holds = variant.workload.kind === "cycles" && variant.workload.holdMs[1] > 0;
    const seatLimitedCeiling = holds && main.meanHoldMs > 0 ? Math.round(variant.seats / (main.meanHoldMs / 1000)) : undefined;
    const ratioTo = ceiling?.perSecond ?? seatLimitedCeiling;
    return {
      ...base,
      throughput,
      latency: main.grant,
      endLatency: main.end,
      seatsInUse: holds ? main.seats : undefined,
      seatsInDb,
      meanHoldMs: main.meanHoldMs,
      seatLimitedCeiling,
      ceiling: ceiling ?? (seatLimitedCeiling ? { perSecond: seatLimitedCeiling, by: "seats ÷ mean hold" } : undefined),
      ratio: ratioTo ? Math.round((throughput / ratioTo) * 100) / 100 : undefined,
      errors: main.errors,
      timeouts: main.timeouts,
      unfinished: main.undrained,
      errorsBy: main.errorsBy,
      leftOpen,
    };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await sampler?.close();
    if (databaseName) await dropDatabase(databaseName);
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    await dead?.close();
  }
}

async function timed(run: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await run();
  return Math.round((performance.now() - started) / 100) / 10;
}

function failedRow(variant: Variant, checkout: Checkout, error: unknown): Row {
  return {
    scenario: variant.scenario,
    variant: variant.name,
    checkout: checkout.label,
    backend: variant.backend,
    processes: variant.processes,
    agents: variant.agents,
    seats: variant.seats,
    seconds: opts.seconds,
    unit: variant.unit,
    throughput: 0,
    latency: { count: 0, p50: 0, p95: 0, p99: 0, max: 0 },
    errors: 0,
    errorsBy: {},
    clientCeiling: { clients: 0, perSecond: 0 },
    seedSeconds: { total: 0, agents: 0 },
    failed: error instanceof Error ? error.message : String(error),
  };
}

/** The main-thread profiles a row's servers wrote as they exited, over the measured window only. */
function profilesOf(dirs: string[], window: { fromUs: number; toUs: number }) {
  return dirs.flatMap((dir) => {
    const file = mainThreadProfile(dir);
    return file ? [{ ...summarize(file, { window }), file: path.relative(REPO, file) }] : [];
  });
}

async function main() {
  const postgres = opts.variants.some((v) => v.backend === "postgres") ? await postgresReachable() : false;
  if (opts.variants.some((v) => v.backend === "postgres") && !postgres) console.warn(`PostgreSQL at ${ADMIN_URL} is not reachable: its rows are skipped (set BENCH_DATABASE_URL).`);
  fs.mkdirSync(scratch, { recursive: true });
  console.log(`Seatkeeper bench: ${opts.seconds} s per row after ${WARMUP_SECONDS} s of warm-up; checkouts: ${opts.checkouts.map((c) => c.label).join(", ")}`);
  const rows: Row[] = [];
  for (const variant of opts.variants) {
    if (variant.backend === "postgres" && !postgres) continue;
    // Checkouts side by side, one right after the other: the same minute of a noisy machine.
    for (const checkout of opts.checkouts) {
      process.stdout.write(`  ${variant.name} on ${checkout.label}…`);
      const started = performance.now();
      const row = await runVariant(variant, checkout).catch((error: unknown) => failedRow(variant, checkout, error));
      rows.push(row);
      console.log(row.failed ? ` failed (${row.failed.split("\n")[0]})` : ` ${row.throughput} ${row.unit} (${Math.round((performance.now() - started) / 1000)} s)`);
    }
  }

  for (const scenario of SCENARIOS) {
    const of = rows.filter((r) => r.scenario === scenario);
    if (of.length === 0) continue;
    console.log(`\n${scenario}`);
    console.log(scenarioTable(of));
    for (const r of of) for (const note of rowNotes(r)) console.log(`  ${note}`);
  }
  for (const r of rows) for (const p of r.profiles ?? []) console.log(`\n${formatSummary(p, `${r.variant} on ${r.checkout}: ${p.file}`)}`);

  const out = path.join(BENCH_DIR, "results", `${stamp}.json`);
  const machine = { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, loadAverage: os.loadavg() };
  fs.writeFileSync(out, `${JSON.stringify({ at: new Date().toISOString(), machine, options: { seconds: opts.seconds, leases: opts.leases, profile: opts.profile }, checkouts: opts.checkouts.map(({ label, commit }) => ({ label, commit })), rows }, null, 2)}\n`);
  console.log(`\nWrote ${path.relative(REPO, out)}`);
}

async function cleanUp() {
  await dropLeftovers();
  fs.rmSync(scratch, { recursive: true, force: true });
}

// Ctrl-C: servers die with this process (lib/servers.ts); scratch databases are dropped.
process.once("SIGINT", () => void cleanUp().finally(() => process.exit(130)));
try {
  await main();
} finally {
  await cleanUp();
}
