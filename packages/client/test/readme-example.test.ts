// The example of packages/client/README.md is a working agent: packed as a vendor would
// (npm pack), installed into an empty app, and run against a real server, on each back end.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { TEST_PASSWORD } from "../../../test/support/app.js";
import { pool, until } from "../../../test/support/pool.js";
import { eachBackend } from "../../../test/support/suite.js";

const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

/** The README's "A working agent" code block. */
export function readmeExample(): string {
  const readme = readFileSync(path.join(PACKAGE_DIR, "README.md"), "utf8");
  const match = /## A working agent\s+```js\n([\s\S]*?)```/.exec(readme);
  assert.ok(match, "the README has the example");
  return match[1]!;
}

let app = "";
before(() => {
  app = mkdtempSync(path.join(os.tmpdir(), "seatkeeper-agent-"));
  execFileSync(npm, ["pack", "--pack-destination", app, "--silent"], { cwd: PACKAGE_DIR, stdio: ["ignore", "ignore", "inherit"] });
  const tarball = readdirSync(app).find((f) => f.endsWith(".tgz"))!;
  writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "vendor-agent", private: true, type: "module" }));
  execFileSync(npm, ["install", `./${tarball}`, "--prefer-offline", "--no-audit", "--no-fund", "--silent"], { cwd: app, stdio: ["ignore", "ignore", "inherit"] });
  writeFileSync(path.join(app, "agent.mjs"), readmeExample());
});
after(() => rmSync(app, { recursive: true, force: true }));

test("the README's example is under 30 lines", () => {
  assert.ok(readmeExample().trimEnd().split("\n").length < 30);
});

eachBackend("the README's agent, installed from the packed package", ({ t }) => {
  test("it waits for a seat with its position, prints the support key and its offline-checked lease, connects and ends", async () => {
    const base = await t().listen();
    const p = await pool(t(), 0, 1);
    const [holder, agent] = [await p.agent(), await p.agent("concurrent", "Vendor Agent")];
    const held = await p.start(holder);
    const child = spawn(process.execPath, ["agent.mjs"], {
      cwd: app,
      env: { ...process.env, SEATKEEPER_URL: base, AGENT_EMAIL: agent.email, AGENT_PASSWORD: TEST_PASSWORD, PRODUCT: p.product.slug },
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    await until("the agent queued", async () => /position 1/.test(out) && out, 20_000);
    await t().call("POST", `/api/v1/me/sessions/${held.body.id}/end`, { token: holder.token });
    assert.equal(await exited, 0, out);
    const lines = out.trim().split("\n");
    assert.equal(lines[0], "All shared seats are in use. To start a session, please wait for a seat to become available.");
    assert.equal(lines[1], "Waiting for a seat: position 1");
    assert.match(lines[2]!, /^Support key: \d{3} ?\d{3} ?\d{3}$/);
    assert.match(lines[3]!, /^Seat held until \d{4}-\d\d-\d\dT/);
    assert.equal((await p.line()).occupied, 0, "it ended its session");
  });
});
