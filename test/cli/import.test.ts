// `seatkeeper import` as an operator runs it: against the configured database, progress on
// stderr, summary and row errors on stdout, exit code 1 when the file has errors.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import { newId } from "../../src/domain/ids.js";
import { openDatabase, type DatabaseHandle } from "../../src/store/database.js";
import { insertAccount } from "../../src/store/account.repository.js";
import { insertProduct } from "../../src/store/product.repository.js";
import { upsertSubscription } from "../../src/store/subscription.repository.js";
import { BACKENDS, PGLITE_TEMPLATE, TEST_TMP, openTestDatabase } from "../support/backends.js";
import { runCli } from "../support/server.js";

async function run(args: string[], env: Record<string, string>) {
  const child = runCli(args, env);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  return { code, stdout, stderr };
}

async function seed(database: DatabaseHandle) {
  const accountId = newId("acct");
  const slug = `cli-${randomBytes(4).toString("hex")}`;
  await insertAccount(database.db, { id: accountId, name: "CLI Account" });
  const product = (await insertProduct(database.db, { id: newId("prod"), slug, name: "CLI Product" }))!;
  await upsertSubscription(database.db, accountId, product.id, 1, 5);
  return { accountId, slug };
}

async function importUsers(env: Record<string, string>, accountId: string, slug: string, dir: string) {
  const good = path.join(dir, "good.csv");
  const bad = path.join(dir, "bad.csv");
  fs.writeFileSync(good, `email,name,seats\ncli1@cli.test,Cli One,${slug}:named\ncli2@cli.test,Cli Two,${slug}:concurrent\n`);
  fs.writeFileSync(bad, `email,name,seats\ncli3@cli.test,Cli Three,${slug}:named\nnope,No,\n`);

  const dry = await run(["import", good, "--account", accountId, "--dry-run"], env);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /Dry run, nothing was written: 2 created, 0 updated, 0 unchanged/);
  assert.match(dry.stderr, /validating 2\/2/);

  const real = await run(["import", good, "--account", accountId], env);
  assert.equal(real.code, 0, real.stderr);
  assert.match(real.stdout, /Imported: 2 created, 0 updated, 0 unchanged/);
  assert.match(real.stderr, /writing 2\/2 \(100 %\)/);

  const refused = await run(["import", bad, "--account", accountId], env);
  assert.equal(refused.code, 1);
  assert.match(refused.stdout, /Not imported, nothing was written/);
  assert.match(refused.stdout, /row 2, seats: no named seat of .* left/);
  assert.match(refused.stdout, /row 3, email: must be a valid email address/);

  const unknown = await run(["import", good, "--account", "acct_nope"], env);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /no account acct_nope/);
}

async function importedUsers(database: DatabaseHandle, accountId: string) {
  const rows = await database.db.selectFrom("users").select("email").where("account_id", "=", accountId).orderBy("email").execute();
  return rows.map((r) => r.email);
}

describe("seatkeeper import", () => {
  test("on the embedded database", async () => {
    const dataDir = path.join(TEST_TMP, `cli-import-${randomBytes(4).toString("hex")}`);
    fs.cpSync(PGLITE_TEMPLATE, dataDir, { recursive: true });
    fs.rmSync(path.join(dataDir, "seatkeeper.lock"), { force: true });
    try {
      let database = await openDatabase({ databaseUrl: undefined, dataDir });
      const { accountId, slug } = await seed(database);
      await database.close();
      await importUsers({ SEATKEEPER_DATA_DIR: dataDir }, accountId, slug, dataDir);
      database = await openDatabase({ databaseUrl: undefined, dataDir });
      assert.deepEqual(await importedUsers(database, accountId), ["cli1@cli.test", "cli2@cli.test"]);
      const audit = await database.db.selectFrom("audit_log").select(["actor_type", "action"]).where("account_id", "=", accountId).where("action", "=", "users.imported").execute();
      assert.deepEqual(audit, [{ actor_type: "operator", action: "users.imported" }]);
      await database.close();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test("on PostgreSQL with DATABASE_URL", { skip: !BACKENDS.includes("postgres") && "TEST_DATABASE_URL is not set" }, async () => {
    const database = await openTestDatabase("postgres");
    const dir = path.join(TEST_TMP, `cli-import-${randomBytes(4).toString("hex")}`);
    fs.mkdirSync(dir, { recursive: true });
    try {
      const { accountId, slug } = await seed(database);
      await importUsers({ DATABASE_URL: database.url! }, accountId, slug, dir);
      assert.deepEqual(await importedUsers(database, accountId), ["cli1@cli.test", "cli2@cli.test"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      await database.close();
    }
  });
});
