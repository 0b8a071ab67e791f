// `npm start`: builds whatever is missing or older than its sources (server, admin
// center), then serves on the embedded database with the demo account unless told
// otherwise (SEATKEEPER_DEMO=0, DATABASE_URL=…).
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** The newest modification time of a file, or of anything inside a folder. */
function newestMtime(target) {
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

/** Whether `output` is missing or older than any of `sources` (files or folders, relative to the root). */
function stale(output, sources) {
  if (!existsSync(output)) return true;
  const built = statSync(output).mtimeMs;
  return sources.map((s) => path.join(root, s)).some((s) => existsSync(s) && newestMtime(s) > built);
}

function build(what, tool, args) {
  console.log(`Building ${what}…`);
  execFileSync(process.execPath, [path.join(root, "node_modules", tool), ...args], { cwd: root, stdio: "inherit" });
}

// tsc rewrites every output file, so one of them dates the whole build. The server's CLI
// uses the client package (seatkeeper agent): the client is built first.
if (stale(path.join(root, "packages/client/dist/index.js"), ["packages/client/src", "packages/client/tsconfig.json"])) {
  build("the client package", "typescript/bin/tsc", ["-p", "packages/client/tsconfig.build.json"]);
}
if (stale(path.join(root, "dist/src/cli/seatkeeper.js"), ["src", "tsconfig.json", "tsconfig.build.json", "packages/client/src"])) {
  build("the server", "typescript/bin/tsc", ["-p", "tsconfig.build.json"]);
}
if (stale(path.join(root, "web/dist/index.html"), ["web/src", "web/index.html", "web/vite.config.ts", "web/tsconfig.json"])) {
  build("the admin center", "vite/bin/vite.js", ["build", "--config", "web/vite.config.ts", "--logLevel", "warn"]);
}

const child = spawn(process.execPath, [path.join(root, "bin/seatkeeper.mjs"), "serve"], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, SEATKEEPER_DEMO: process.env.SEATKEEPER_DEMO ?? "1" },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 1));
