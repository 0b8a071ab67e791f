// End-to-end helpers: build the admin center when its sources changed, start a real
// Seatkeeper (demo account) as a child process, and drive Debian's Chromium through
// playwright-core. Never downloads a browser: without /usr/bin/chromium, tests skip.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, type TestContext } from "node:test";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { startServer } from "./server.js";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const CHROMIUM_PATH = "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
export const DEMO_PASSWORD = "seatkeeper-demo";
export const DEMO_ADMIN = "admin@demo.seatkeeper.test";
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };
export const SCREENSHOTS = path.join(ROOT, "test-results/screenshots");

/** Whether Debian's Chromium is installed; when not, says so loudly. */
export function chromiumAvailable(): boolean {
  const available = fs.existsSync(CHROMIUM_PATH);
  if (!available) {
    console.warn(
      `\n*** ${CHROMIUM_PATH} is missing: the admin center end-to-end tests are SKIPPED. ***\n` +
        "*** Install it with: apt-get install -y chromium fonts-liberation ***\n",
    );
  }
  return available;
}

export const CHROMIUM_MISSING = `Chromium not installed: ${CHROMIUM_PATH} is missing (apt-get install -y chromium fonts-liberation)`;

function newestMtime(target: string): number {
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

/** Builds web/dist when index.html is missing or older than the admin center's sources. */
export function ensureWebBuilt(): void {
  const built = path.join(ROOT, "web/dist/index.html");
  const sources = ["web/src", "web/index.html", "web/vite.config.ts"].map((p) => path.join(ROOT, p)).filter((p) => fs.existsSync(p));
  const newestSource = Math.max(...sources.map(newestMtime));
  if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= newestSource) return;
  execFileSync(process.execPath, [path.join(ROOT, "node_modules/vite/bin/vite.js"), "build", "--config", "web/vite.config.ts", "--logLevel", "warn"], {
    cwd: ROOT,
    stdio: "inherit",
  });
}

export interface RunningServer {
  url: string;
  dataDir: string;
  output: () => string;
  stop: () => Promise<void>;
}

/** Starts `seatkeeper serve` on a free port with a fresh demo database under .tmp/e2e/. */
export async function startSeatkeeper(env: Record<string, string> = {}): Promise<RunningServer> {
  const dataDir = path.join(ROOT, ".tmp/e2e", randomBytes(6).toString("hex"));
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  const server = await startServer({ SEATKEEPER_DEMO: "1", SEATKEEPER_DATA_DIR: dataDir, ...env }, 90_000);
  return {
    url: server.url.replace(/\/$/, ""),
    dataDir,
    output: server.output,
    // Removes the database too (set KEEP_E2E_DATA=1 to keep it).
    stop: async () => {
      await server.stop();
      if (!process.env.KEEP_E2E_DATA) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Records every Content-Security-Policy violation the page reports (events and console), from its first script on. */
export async function watchCspViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction("reportCspViolation", (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { reportCspViolation(text: string): void }).reportCspViolation(
        `${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`,
      );
    });
  });
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** A tiny API client for test set-up: the same HTTP API the admin center uses. */
export class ApiClient {
  constructor(
    readonly base: string,
    readonly token?: string,
  ) {}

  static async signIn(base: string, email: string, password = DEMO_PASSWORD, app?: "desktop" | "mobile"): Promise<ApiClient> {
    const answer = await new ApiClient(base).request<{ token: string }>("POST", "/auth/login", { email, password, ...(app ? { app } : {}) });
    return new ApiClient(base, answer.token);
  }

  async request<T = unknown>(method: string, apiPath: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.base}/api/v1${apiPath}`, {
      method,
      headers: {
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${apiPath} → ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

export interface BrowserSuite {
  /** The server's base URL, without a trailing slash. */
  readonly url: string;
  /** The demo account's admin (also its billing contact), signed in through the API. */
  readonly admin: ApiClient;
  /** Call first in every test: without Chromium the test skips with the reason. */
  skipWithoutChromium(t: TestContext): boolean;
  newPage(options?: { viewport?: { width: number; height: number }; locale?: string }): Promise<Page>;
  /** Opens `path` (default "/"), signs in with the demo password, waits for the app. */
  signIn(email: string, options?: { viewport?: { width: number; height: number }; locale?: string; path?: string }): Promise<Page>;
  /** Saves test-results/screenshots/<name>.png of what the page shows. */
  shot(page: Page, name: string): Promise<void>;
}

/**
 * Registers, in the calling describe(), hooks that start one Seatkeeper on a fresh demo
 * database and one Chromium for its tests (`setup` runs once after them), and close every
 * browser context, the browser and the server at the end.
 */
export function browserSuite(setup?: (admin: ApiClient) => Promise<unknown>, env: Record<string, string> = {}): BrowserSuite {
  const hasChromium = chromiumAvailable();
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let admin: ApiClient | undefined;
  const contexts: BrowserContext[] = [];

  before(
    async () => {
      if (!hasChromium) return;
      ensureWebBuilt();
      [server, browser] = await Promise.all([startSeatkeeper(env), launchChromium()]);
      admin = await ApiClient.signIn(server.url, DEMO_ADMIN);
      await setup?.(admin);
      fs.mkdirSync(SCREENSHOTS, { recursive: true });
    },
    { timeout: 180_000 },
  );

  after(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  const suite: BrowserSuite = {
    get url() {
      return server!.url;
    },
    get admin() {
      return admin!;
    },
    skipWithoutChromium(t) {
      if (hasChromium) return false;
      t.skip(CHROMIUM_MISSING);
      return true;
    },
    async newPage({ viewport = DESKTOP, locale = "en-US" } = {}) {
      const context = await browser!.newContext({ viewport, locale, acceptDownloads: true });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      return page;
    },
    async signIn(email, options = {}) {
      const page = await suite.newPage(options);
      await page.goto(`${server!.url}${options.path ?? "/"}`);
      await page.getByLabel(/^(Email|Adresse e-mail)$/).fill(email);
      await page.getByLabel(/^(Password|Mot de passe)$/).fill(DEMO_PASSWORD);
      await page.getByRole("button", { name: /^(Sign in|Se connecter)$/ }).click();
      await page.getByRole("main").or(page.getByRole("heading", { name: /for admins and managers|réservé aux administrateurs/ })).waitFor();
      return page;
    },
    async shot(page, name) {
      await page.waitForTimeout(150);
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
    },
  };
  return suite;
}
