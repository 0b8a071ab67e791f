// Seatkeeper servers as real child processes, started from any checkout of the project
// (its own sources, its own node_modules), so that one bench run can measure two versions.
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";

export interface Checkout {
  dir: string;
  /** How tables name it: the folder's name and its commit. */
  label: string;
  commit: string;
}

export function checkoutOf(dir: string): Checkout {
  const resolved = path.resolve(dir);
  const entry = path.join(resolved, "src/cli/seatkeeper.ts");
  if (!fs.existsSync(entry)) throw new Error(`${resolved} is not a Seatkeeper checkout (no src/cli/seatkeeper.ts)`);
  if (!fs.existsSync(path.join(resolved, "node_modules/tsx"))) throw new Error(`${resolved} has no node_modules: run npm ci there first`);
  let commit = "unknown";
  try {
    commit = execFileSync("git", ["-C", resolved, "rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["-C", resolved, "status", "--porcelain", "--", "src"], { encoding: "utf8" }).trim();
    if (dirty) commit += "+changes";
  } catch {
    // not a git checkout: the label says so
  }
  return { dir: resolved, label: `${path.basename(resolved)}@${commit}`, commit };
}

/** The environment a server gets: ours, minus anything that would pick another database. */
function serverEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key === "DATABASE_URL" || key.startsWith("SEATKEEPER_") || key === "PORT" || key === "HOST" || key === "LOG_LEVEL") continue;
    env[key] = value;
  }
  return { ...env, HOST: "127.0.0.1", LOG_LEVEL: "warn", SEATKEEPER_DEMO: "0", ...extra };
}

function nodeArgs(checkout: Checkout, profileDir: string | undefined, command: string[]): string[] {
  // Each thread writes a profile of its own (tsx's loader runs in a worker), so no fixed
  // file name: Node's default names them CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile.
  const prof = profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [];
  // `--import tsx` resolves from the working directory: the checkout's own tsx.
  return [...prof, "--import", "tsx", path.join(checkout.dir, "src/cli/seatkeeper.ts"), ...command];
}

const running = new Set<ChildProcess>();

/** Servers left running when the bench dies are killed with it. */
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

export interface Server {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** The main thread's profile among those a server wrote into its directory. */
export function mainThreadProfile(profileDir: string): string | undefined {
  if (!fs.existsSync(profileDir)) return undefined;
  const file = fs.readdirSync(profileDir).find((f) => f.endsWith(".cpuprofile") && f.split(".")[4] === "0");
  return file && path.join(profileDir, file);
}

export interface ServerOptions {
  /** DATABASE_URL, or SEATKEEPER_DATA_DIR for PGlite. */
  env: Record<string, string>;
  operatorToken: string;
  /** Write CPU profiles (when the server exits) into this directory. */
  profileDir?: string;
}

/** Starts `seatkeeper serve` on a free port and resolves when it listens (after migrating). */
export function startServer(checkout: Checkout, options: ServerOptions): Promise<Server> {
  const child = spawn(process.execPath, nodeArgs(checkout, options.profileDir, ["serve"]), {
    cwd: checkout.dir,
    env: serverEnv({ ...options.env, PORT: "0", SEATKEEPER_OPERATOR_TOKEN: options.operatorToken }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  const tail: string[] = [];
  const keep = (line: string) => {
    tail.push(line);
    if (tail.length > 40) tail.shift();
  };
  readline.createInterface({ input: child.stderr! }).on("line", keep);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => {
    running.delete(child);
    resolve(code);
  }));

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const killer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    await exited;
    clearTimeout(killer);
  };

  return new Promise<Server>((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`server from ${checkout.label} did not start within 90 s:\n${tail.join("\n")}`));
    }, 90_000);
    readline.createInterface({ input: child.stdout! }).on("line", (line) => {
      keep(line);
      // The contract's start-up line (API.md): "Admin center: http://127.0.0.1:PORT/".
      const match = /Admin center: (http:\/\/\S+?)\/?$/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1], pid: child.pid!, stop });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server from ${checkout.label} exited (${code}) before listening:\n${tail.join("\n")}`));
    });
  });
}

/** Runs a one-shot `seatkeeper` command of the checkout (e.g. migrate) to completion. */
export function runCommand(checkout: Checkout, command: string[], env: Record<string, string>): Promise<void> {
  const child = spawn(process.execPath, nodeArgs(checkout, undefined, command), { cwd: checkout.dir, env: serverEnv(env), stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  return new Promise((resolve, reject) => {
    child.once("close", (code) => {
      running.delete(child);
      if (code === 0) resolve();
      else reject(new Error(`seatkeeper ${command.join(" ")} (${checkout.label}) failed (${code}):\n${output}`));
    });
  });
}
