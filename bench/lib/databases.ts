// Scratch databases for one bench run: a fresh PostgreSQL database per scenario (created on
// BENCH_DATABASE_URL's server, dropped after) or a fresh PGlite data directory.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import type { Checkout } from "./servers.js";

export const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** What seeding and sampling need of a connection: pg's Client and PGlite both have it. */
export interface SqlConnection {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: R[] }>;
  close(): Promise<void>;
}

export function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export async function postgresReachable(): Promise<boolean> {
  return admin(async () => true).catch(() => false);
}

const created = new Set<string>();

export async function createDatabase(name: string): Promise<string> {
  await admin((client) => client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`));
  created.add(name);
  return databaseUrl(name);
}

export async function dropDatabase(name: string): Promise<void> {
  await admin((client) => client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`));
  created.delete(name);
}

/** Drops whatever this run created and has not dropped yet (after a failure). */
export async function dropLeftovers(): Promise<void> {
  for (const name of [...created]) await dropDatabase(name).catch(() => undefined);
}

export async function connectPostgres(url: string): Promise<SqlConnection> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    query: async <R>(text: string, params?: unknown[]) => ({ rows: (await client.query(text, params)).rows as R[] }),
    close: () => client.end(),
  };
}

/**
 * A module as the checkout would load it, from its own node_modules: a data directory is
 * opened by the PGlite version that the checkout's server uses.
 */
export async function importFrom<T>(checkout: Pick<Checkout, "dir">, specifier: string): Promise<T> {
  const file = createRequire(path.join(checkout.dir, "package.json")).resolve(specifier);
  return (await import(pathToFileURL(file).href)) as T;
}

/** The part of PGlite's API the bench uses. */
export interface PGlite {
  query<R>(text: string, params?: unknown[]): Promise<{ rows: R[] }>;
  exec(text: string): Promise<unknown>;
  transaction<T>(run: (tx: Pick<PGlite, "query">) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Opens a PGlite data directory (with pg_trgm, which Seatkeeper's schema uses). */
export async function createPglite(checkout: Pick<Checkout, "dir">, dataDir: string): Promise<PGlite> {
  const { PGlite } = await importFrom<{ PGlite: { create(dataDir: string, options: object): Promise<PGlite> } }>(checkout, "@electric-sql/pglite");
  const { pg_trgm } = await importFrom<{ pg_trgm: object }>(checkout, "@electric-sql/pglite/contrib/pg_trgm");
  return PGlite.create(dataDir, { extensions: { pg_trgm } });
}

export async function openPglite(checkout: Pick<Checkout, "dir">, dataDir: string): Promise<SqlConnection> {
  const db = await createPglite(checkout, dataDir);
  return { query: (text, params) => db.query(text, params), close: () => db.close() };
}

export function copyDir(from: string, to: string): void {
  fs.rmSync(to, { recursive: true, force: true });
  fs.cpSync(from, to, { recursive: true });
}
