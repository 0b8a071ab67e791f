// One SQL dialect, two back ends: PostgreSQL through `pg`, or the embedded PGlite
// through its node-postgres adapter, so both return the same JavaScript types.
import fs from "node:fs";
import path from "node:path";
import { Kysely, Migrator, PostgresDialect, type MigrationResultSet } from "kysely";
import pg from "pg";
import type { Database } from "./schema.js";
import { migrations } from "./migrations/index.js";
import { pgliteSideChannel, postgresSideChannel, type SideChannel } from "./side-channel.js";

// int8 (counts, bigserial) and numeric come back as strings from `pg`: normalise once.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export const DEFAULT_POOL_SIZE = 10;

export type Db = Kysely<Database>;

export interface DatabaseHandle {
  readonly db: Db;
  readonly kind: "postgres" | "pglite";
  /** The PostgreSQL connection string; undefined on PGlite. */
  readonly url: string | undefined;
  /** LISTEN and the sweeper's leadership, on a connection of their own. */
  readonly side: SideChannel;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl: string | undefined;
  dataDir: string;
  poolSize?: number;
}

export class DataDirLockedError extends Error {
  constructor(readonly dataDir: string, readonly pid: number) {
    super(
      `The embedded database in ${dataDir} is in use by another Seatkeeper process (pid ${pid}). ` +
        `Stop it first, or point SEATKEEPER_DATA_DIR elsewhere. Two processes on one data directory lose data.`,
    );
    this.name = "DataDirLockedError";
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** PGlite does nothing to stop two processes opening one directory; this lock file does. */
function lockDataDir(dataDir: string): () => void {
  const lockPath = path.join(dataDir, "seatkeeper.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: "wx" });
      return () => fs.rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const pid = Number(fs.readFileSync(lockPath, "utf8"));
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid)) {
        throw new DataDirLockedError(dataDir, pid);
      }
      fs.rmSync(lockPath, { force: true }); // left behind by a process that died
    }
  }
  throw new Error(`Could not lock ${lockPath}`);
}

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? DEFAULT_POOL_SIZE });
    // An idle client that loses its server must not crash the process.
    pool.on("error", () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const side = postgresSideChannel(options.databaseUrl);
    return {
      db,
      kind: "postgres",
      url: options.databaseUrl,
      side,
      close: async () => {
        await side.close();
        await db.destroy();
      },
    };
  }

  const dataDir = path.resolve(options.dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  const unlock = lockDataDir(dataDir);
  try {
    const { PGlite } = await import("@electric-sql/pglite");
    const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
    const { createPgConfig } = await import("@electric-sql/pglite/node-postgres");
    const pglite = await PGlite.create(dataDir, { extensions: { pg_trgm } });
    // PGlite is one Postgres session: a pool of one serialises every transaction,
    // which is what makes row locks unnecessary (and harmless) in embedded mode.
    const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1 });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const side = pgliteSideChannel(pglite);
    return {
      db,
      kind: "pglite",
      url: undefined,
      side,
      close: async () => {
        await side.close();
        await db.destroy();
        await pglite.close();
        unlock();
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
}

export function migrator(db: Db): Migrator {
  return new Migrator({ db, provider: { getMigrations: async () => migrations } });
}

export class MigrationError extends Error {
  constructor(readonly migration: string | undefined, cause: unknown) {
    super(`Migration ${migration ?? "(unknown)"} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "MigrationError";
  }
}

function check(result: MigrationResultSet): MigrationResultSet {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === "Error");
    throw new MigrationError(failed?.migrationName, result.error);
  }
  return result;
}

export async function migrateToLatest(db: Db): Promise<MigrationResultSet> {
  return check(await migrator(db).migrateToLatest());
}

export async function migrateDownAll(db: Db): Promise<MigrationResultSet> {
  const { NO_MIGRATIONS } = await import("kysely");
  return check(await migrator(db).migrateTo(NO_MIGRATIONS));
}

/** Readiness: the database answers and every known migration is applied. */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const applied = await migrator(db).getMigrations();
  return applied.filter((m) => !m.executedAt).map((m) => m.name);
}
