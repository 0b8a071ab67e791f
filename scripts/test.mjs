// `npm test`: type-check, prepare the database templates, then every test file on every
// back end (PGlite always; PostgreSQL when TEST_DATABASE_URL is set).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const npx = process.platform === "win32" ? "npx.cmd" : "npx";
const run = (cmd, args, env = {}) => execFileSync(cmd, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });

function testFiles(dir) {
  const out = [];
  if (!existsSync(path.join(root, dir))) return out;
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...testFiles(rel));
    else if (entry.name.endsWith(".test.ts")) out.push(rel);
  }
  return out;
}

const only = process.argv.slice(2);
if (only.length === 0) {
  console.log("Type-checking the server and the admin center…");
  run(npx, ["tsc", "--noEmit", "-p", "."]);
  run(npx, ["tsc", "--noEmit", "-p", "web"]);
}
if (!process.env.TEST_DATABASE_URL) {
  console.warn("\n*** TEST_DATABASE_URL is not set: PostgreSQL tests are SKIPPED; only PGlite runs. ***\n*** Set it (e.g. postgres://postgres@127.0.0.1:5432/seatkeeper_test) to run both back ends. ***\n");
}
console.log("Preparing database templates…");
run(process.execPath, ["--import", "tsx", "test/support/prepare.ts"]);

const packages = readdirSync(path.join(root, "packages")).map((name) => path.join("packages", name, "test"));
const files = only.length > 0 ? only : [...testFiles("src"), ...testFiles("test"), ...testFiles("bench"), ...packages.flatMap(testFiles)].sort();
const result = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", "--test-concurrency=2", "--test-timeout=600000", ...files],
  { cwd: root, stdio: "inherit", env: { ...process.env, LOG_LEVEL: "silent" } },
);
process.exit(result.status ?? 1);
