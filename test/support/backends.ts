// Every store and API test runs on both back ends: PGlite always, PostgreSQL when
// TEST_DATABASE_URL is set (CI always sets it). Per test file, PGlite copies a migrated
// template directory and PostgreSQL clones a migrated template database: both take
// about a second instead of migrating afresh.
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDatabase, type DatabaseHandle } from "../../src/store/database.js";

export type Backend = "pglite" | "postgres";

export const TEST_TMP = path.resolve(process.env.SEATKEEPER_TEST_TMP ?? ".tmp/test");
export const PGLITE_TEMPLATE = path.join(TEST_TMP, "pglite-template");

export const BACKENDS: Backend[] = process.env.TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(process.env.TEST_DATABASE_URL!, "postgres") });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase extends DatabaseHandle {
  backend: Backend;
  /** A connection string when the back end is PostgreSQL (for a second server process). */
  url: string | undefined;
}

export async function openTestDatabase(backend: Backend, options: { poolSize?: number } = {}): Promise<TestDatabase> {
  const name = `sk_test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  if (backend === "pglite") {
    if (!fs.existsSync(PGLITE_TEMPLATE)) throw new Error(`No PGlite template at ${PGLITE_TEMPLATE}: run the tests with npm test`);
    const dataDir = path.join(TEST_TMP, "pglite", name);
    fs.cpSync(PGLITE_TEMPLATE, dataDir, { recursive: true });
    fs.rmSync(path.join(dataDir, "seatkeeper.lock"), { force: true });
    const handle = await openDatabase({ databaseUrl: undefined, dataDir });
    return {
      ...handle,
      backend,
      close: async () => {
        await handle.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const template = new URL(process.env.TEST_DATABASE_URL!).pathname.slice(1);
  for (let attempt = 0; ; attempt++) {
    try {
      await admin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
      break;
    } catch (error) {
      // Two files cloning the template at the same moment: one waits and retries.
      if (attempt >= 20 || !/being accessed by other users/.test(String(error))) throw error;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  const url = withDatabase(process.env.TEST_DATABASE_URL!, name);
  const handle = await openDatabase({ databaseUrl: url, dataDir: "", poolSize: options.poolSize });
  return {
    ...handle,
    backend,
    url,
    close: async () => {
      await handle.close();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
