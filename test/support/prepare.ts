// Run once per `npm test`, before the test files: migrates the templates they clone.
import fs from "node:fs";
import { migrateToLatest, openDatabase } from "../../src/store/database.js";
import { PGLITE_TEMPLATE, TEST_TMP } from "./backends.js";

fs.rmSync(TEST_TMP, { recursive: true, force: true });
fs.mkdirSync(TEST_TMP, { recursive: true });

const pglite = await openDatabase({ databaseUrl: undefined, dataDir: PGLITE_TEMPLATE });
await migrateToLatest(pglite.db);
await pglite.close();

if (process.env.TEST_DATABASE_URL) {
  const postgres = await openDatabase({ databaseUrl: process.env.TEST_DATABASE_URL, dataDir: "" });
  await migrateToLatest(postgres.db);
  await postgres.close();
}
