// `npm start`: builds whatever is missing or older than its sources (server, admin
// center), then serves on the embedded database with the demo account unless told
// otherwise (SEATKEEPER_DEMO=0, DATABASE_URL=…).
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const npx = process.platform === "win32" ? "npx.cmd" : "npx";

function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "dist") continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function stale(output, ...sources) {
  if (!existsSync(output)) return true;
  const built = statSync(output).mtimeMs;
  return sources.some((s) => newestMtime(path.join(root, s)) > built);
}

const serverOut = path.join(root, "dist/src/cli/seatkeeper.js");
if (stale(serverOut, "src")) {
  console.log("Building the server…");
  execFileSync(npx, ["tsc", "-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
}
const webOut = path.join(root, "web/dist/index.html");
if (existsSync(path.join(root, "web/index.html")) && stale(webOut, "web/src", "web/index.html")) {
  console.log("Building the admin center…");
  execFileSync(npx, ["vite", "build", "--config", "web/vite.config.ts", "--logLevel", "warn"], { cwd: root, stdio: "inherit" });
}

const child = spawn(process.execPath, [path.join(root, "bin/seatkeeper.mjs"), "serve"], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, SEATKEEPER_DEMO: process.env.SEATKEEPER_DEMO ?? "1" },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 1));
