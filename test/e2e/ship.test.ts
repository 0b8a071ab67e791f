// What a newcomer does with the README: in a clean copy of the repository (the files git
// knows: no dist/, no web/dist/), `npm start` builds, migrates, seeds the demo and prints
// the admin center URL and the demo sign-in; the admin center, served by the built server,
// opens at `/` and at a deep link in Chromium and takes the printed sign-in. Stopped and
// started again on the same data, it is ready again without rebuilding or re-seeding.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { CHROMIUM_MISSING, ROOT, chromiumAvailable, launchChromium, watchCspViolations } from "../support/browser.js";
import { assertSecurityHeaders } from "../support/headers.js";

const START_TIMEOUT_MS = 180_000;

/** Copies the files git knows (tracked, and new ones not ignored) into `to`; installed packages are linked, not reinstalled. */
function cleanCopy(to: string): void {
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" });
  for (const file of files.split("\0")) {
    // A file deleted in the work tree is still listed until the deletion is committed.
    if (!file || /^(dist|web\/dist|node_modules)(\/|$)/.test(file) || !fs.existsSync(path.join(ROOT, file))) continue;
    fs.mkdirSync(path.dirname(path.join(to, file)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, file), path.join(to, file));
  }
  // Each installed package is linked, but the workspace's own: its link would lead back to
  // this checkout's packages/client, whose build the copy must make for itself.
  const modules = path.join(to, "node_modules");
  for (const entry of fs.readdirSync(path.join(ROOT, "node_modules"))) {
    if (entry === "@seatkeeper") continue;
    fs.mkdirSync(modules, { recursive: true });
    fs.symlinkSync(path.join(ROOT, "node_modules", entry), path.join(modules, entry), "dir");
  }
  fs.mkdirSync(path.join(modules, "@seatkeeper"));
  fs.symlinkSync(path.join(to, "packages/client"), path.join(modules, "@seatkeeper/client"), "dir");
}

interface Started {
  child: ChildProcess;
  url: string;
  /** Everything printed so far, stdout and stderr, without colours. */
  output(): string;
  stop(): Promise<void>;
}

/** `npm start` in `cwd`, in its own process group; resolves once the admin center URL and the demo line are printed. */
async function npmStart(cwd: string, env: Record<string, string>): Promise<Started> {
  const inherited = { ...process.env };
  // As a newcomer's shell has them: npm start's own defaults decide (SEATKEEPER_DEMO=1, embedded database).
  for (const name of ["SEATKEEPER_DEMO", "DATABASE_URL", "LOG_FORMAT", "PORT", "HOST", "SEATKEEPER_DATA_DIR"]) delete inherited[name];
  const child = spawn(process.platform === "win32" ? "npm.cmd" : "npm", ["start"], {
    cwd,
    env: { ...inherited, LOG_LEVEL: "info", ...env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const output = () => out.replace(/\x1b\[[0-9;]*m/g, "");
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start printed no admin center URL within ${START_TIMEOUT_MS} ms:\n${output()}`)), START_TIMEOUT_MS);
    const check = () => {
      const match = /^Admin center: (http:\/\/\S+)$/m.exec(output());
      if (match && /^Demo sign-in: .+$/m.test(output())) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout!.on("data", check);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${child.exitCode ?? child.signalCode}:\n${output()}`));
    });
  });
  return {
    child,
    url,
    output,
    // As Ctrl-C does: the whole process group (npm, scripts/start.mjs, the server) is signalled.
    stop: async () => {
      signalGroup(child, "SIGTERM");
      const kill = setTimeout(() => signalGroup(child, "SIGKILL"), 15_000);
      await exited;
      while (groupAlive(child)) await new Promise((r) => setTimeout(r, 50));
      clearTimeout(kill);
    },
  };
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // Already gone.
  }
}

function groupAlive(child: ChildProcess): boolean {
  try {
    process.kill(-child.pid!, 0);
    return true;
  } catch {
    return false;
  }
}

async function signInInBrowser(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Manage users", level: 1 }).waitFor();
}

describe("npm start, as the README says, twice", () => {
  const hasChromium = chromiumAvailable();
  const copy = path.join(ROOT, ".tmp/ship", randomBytes(6).toString("hex"));
  const dataDir = path.join(copy, "data");
  let browser: Browser | undefined;
  let running: Started | undefined;
  after(async () => {
    await browser?.close().catch(() => {});
    await running?.stop();
    if (!process.env.KEEP_E2E_DATA) fs.rmSync(copy, { recursive: true, force: true });
  });

  test("a clean copy builds, serves the admin center from the build with the printed demo sign-in, and starts again", { timeout: 2 * START_TIMEOUT_MS + 120_000 }, async (t) => {
    if (!hasChromium) return t.skip(CHROMIUM_MISSING);
    cleanCopy(copy);
    assert.ok(!fs.existsSync(path.join(copy, "dist")) && !fs.existsSync(path.join(copy, "web/dist")), "the copy has no build");
    browser = await launchChromium();

    // First run, as at a terminal (readable logs); PORT=0 takes a free port.
    running = await npmStart(copy, { PORT: "0", LOG_FORMAT: "pretty" });
    const first = running;
    assert.match(first.output(), /^Building the server…$/m);
    assert.match(first.output(), /^Building the admin center…$/m);
    assert.ok(fs.existsSync(path.join(copy, "dist/src/cli/seatkeeper.js")) && fs.existsSync(path.join(copy, "web/dist/index.html")));
    const demo = /^Demo sign-in: (\S+) \/ (\S+)$/m.exec(first.output());
    assert.ok(demo, first.output());
    const [, email, password] = demo;
    assert.equal(email, "admin@demo.seatkeeper.test");

    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    page.setDefaultTimeout(20_000);
    const violations = await watchCspViolations(page);
    await page.goto(first.url);
    await page.getByRole("heading", { name: "Sign in to the admin center" }).waitFor();
    await page.goto(new URL("/users", first.url).href);
    await page.getByRole("heading", { name: "Sign in to the admin center" }).waitFor();
    assert.match(page.url(), /\/sign-in\?next=%2Fusers$/);
    await signInInBrowser(page, email, password);
    await page.getByRole("table", { name: "Manage users" }).getByText("agent1@demo.seatkeeper.test").waitFor();
    assert.deepEqual(violations, [], "the built admin center runs under its Content-Security-Policy");

    const index = await fetch(first.url);
    assertSecurityHeaders(index, "/ from the build");
    const script = fs.readdirSync(path.join(copy, "web/dist/assets")).find((file) => file.endsWith(".js"));
    assert.equal((await fetch(new URL(`/assets/${script}`, first.url))).status, 200);
    assert.equal((await fetch(new URL(`/assets/${script}.map`, first.url))).status, 404);
    assert.equal((await fetch(new URL("/dist/src/cli/seatkeeper.js", first.url))).status, 404);

    // Readable output: the banner on its own lines, one pretty line per request, no JSON.
    const lines = first.output().split("\n");
    assert.ok(lines.includes(`Admin center: ${first.url}`), first.output());
    assert.ok(lines.includes(`Demo sign-in: ${email} / ${password}`), first.output());
    assert.ok(lines.some((line) => /^\[\d\d:\d\d:\d\d\] INFO: GET \/users 200 \d+ ms$/.test(line)), first.output());
    assert.deepEqual(lines.filter((line) => line.startsWith("{")), [], "no JSON log line");
    const stopping = Date.now();
    await first.stop();
    assert.ok(
      !fs.existsSync(path.join(dataDir, "seatkeeper.lock")),
      `the server closed the embedded database before exiting (stopped in ${Date.now() - stopping} ms):\n${first.output().slice(-2000)}`,
    );

    // Second run on the same data, logs to a pipe (JSON): nothing to build, nothing to seed.
    running = await npmStart(copy, { PORT: "0" });
    const second = running;
    assert.doesNotMatch(second.output(), /Building/);
    assert.match(second.output(), /^Demo sign-in: the database already had data, so no demo was seeded/m);
    assert.equal((await fetch(new URL("/readyz", second.url))).status, 200);
    const html = await (await fetch(second.url)).text();
    assert.match(html, /<div id="root"><\/div>/);
    const again = await (await browser.newContext()).newPage();
    again.setDefaultTimeout(20_000);
    await again.goto(new URL("/users", second.url).href);
    await signInInBrowser(again, email, password);
    const requestLog = second
      .output()
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as { msg: string; res?: { statusCode: number } })
      .find((entry) => entry.msg === "request completed");
    assert.ok(requestLog?.res?.statusCode, second.output());
  });
});
