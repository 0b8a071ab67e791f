// The `seatkeeper` command: serve, migrate, operator-token, demo, import, agent.
import { readFileSync } from "node:fs";
import { Command } from "commander";
import { ConfigError, loadConfig, type Config } from "../config.js";
import { DataDirLockedError, migrateDownAll, migrateToLatest, openDatabase } from "../store/database.js";
import { createOperatorToken } from "../services/auth.service.js";
import { isDatabaseEmpty, seedDemo } from "../services/demo.service.js";
import { serve } from "./serve.js";
import { runImport } from "./import.js";
import { runAgent, type AgentOptions } from "./agent.js";

function config(): Config {
  return loadConfig();
}

async function withDatabase<T>(run: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  const database = await openDatabase(config());
  try {
    return await run(database);
  } finally {
    await database.close();
  }
}

const program = new Command()
  .name("seatkeeper")
  .description("Seatkeeper: named and concurrent seats, shared sessions and a fair wait queue")
  .showHelpAfterError();

program
  .command("serve")
  .description("migrate, seed the demo when SEATKEEPER_DEMO=1 on an empty database, and serve the API and admin center")
  .action(async () => {
    const server = await serve(config());
    // Under `npm start` one Ctrl-C arrives several times (from the terminal, and forwarded
    // by npm and scripts/start.mjs): the first one closes, the others wait for it.
    let closing: Promise<void> | undefined;
    const stop = () => (closing ??= server.close().then(() => process.exit(0)));
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });

program
  .command("migrate")
  .description("apply every pending migration (exits non-zero on failure)")
  .option("--down", "revert every migration (drops all data)")
  .action(async (options: { down?: boolean }) => {
    await withDatabase(async ({ db }) => {
      const result = options.down ? await migrateDownAll(db) : await migrateToLatest(db);
      const done = result.results ?? [];
      if (done.length === 0) console.log("Nothing to migrate: the database is up to date.");
      for (const r of done) console.log(`${r.direction === "Up" ? "applied" : "reverted"} ${r.migrationName}`);
    });
  });

program
  .command("operator-token")
  .description("create an operator token (stored hashed; printed once)")
  .option("--name <name>", "a label for the token", "operator")
  .action(async (options: { name: string }) => {
    await withDatabase(async ({ db }) => {
      await migrateToLatest(db);
      const { id, token } = await createOperatorToken(db, options.name);
      console.log(`Operator token ${id} (shown only now; keep it safe):`);
      console.log(token);
    });
  });

program
  .command("demo")
  .description("seed the demo account on an empty database")
  .action(async () => {
    await withDatabase(async ({ db }) => {
      await migrateToLatest(db);
      if (!(await isDatabaseEmpty(db))) {
        console.log("The database already has accounts; the demo is seeded only on an empty database.");
        return;
      }
      const demo = await seedDemo(db);
      console.log(`Demo sign-in: ${demo.email} / ${demo.password}`);
    });
  });

program
  .command("import")
  .description("import users from a CSV file (email,name,role,seats,password) into an account, as the operator; all or nothing")
  .argument("<file>", "the CSV file (UTF-8)")
  .requiredOption("--account <accountId>", "the account to import into")
  .option("--dry-run", "check the file and report what would change, without writing")
  .action(async (file: string, options: { account: string; dryRun?: boolean }) => {
    const text = readFileSync(file, "utf8");
    await withDatabase(async ({ db }) => {
      await migrateToLatest(db);
      process.exitCode = await runImport(db, text, options.account, options.dryRun ?? false);
    });
  });

program
  .command("agent")
  .description("play the agent app in a terminal: sign in, wait for a seat, show the support key, connect, end")
  .requiredOption("--email <email>", "the agent's sign-in email")
  .requiredOption("--product <slug>", "the product to start a support session of")
  .option("--url <url>", "the Seatkeeper server", "http://127.0.0.1:3000")
  .option("--password <password>", "the password (else it is asked, without echo)")
  .option("--app <app>", "desktop or mobile", "desktop")
  .option("--lang <lang>", "the language of messages: en or fr")
  .option("--wait <seconds>", "how long to wait for a seat", "600")
  .option("--mode <mode>", "attended or unattended, when the customer connects", "attended")
  .option("--platform <platform>", "windows, mac, ios or android, when the customer connects", "windows")
  .action(async (options: Omit<AgentOptions, "wait"> & { wait: string }) => {
    const wait = Number(options.wait);
    if (!Number.isInteger(wait) || wait < 1) throw new Error(`--wait must be a whole number of seconds, got "${options.wait}"`);
    if (!["desktop", "mobile"].includes(options.app)) throw new Error(`--app must be desktop or mobile, got "${options.app}"`);
    process.exitCode = await runAgent({ ...options, wait });
    // Heartbeat timers and the event stream are stopped; whatever else is open does not keep the agent.
    process.exit();
  });

program.parseAsync().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DataDirLockedError) console.error(error.message);
  else console.error(error instanceof Error ? `seatkeeper: ${error.message}` : error);
  process.exit(1);
});
