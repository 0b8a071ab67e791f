// Starts a real Seatkeeper process (from the sources) and waits for its printed URL.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { LEASE_KEY_SECRET } from "./app.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface ServerProcess {
  url: string;
  output: () => string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export function runCli(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "src/cli/seatkeeper.ts"), ...args], {
    cwd: ROOT,
    // The test apps' lease key secret: a process beside an in-process test app shares its database, and so its keys.
    env: { ...process.env, LOG_LEVEL: "warn", SEATKEEPER_LEASE_KEY_SECRET: LEASE_KEY_SECRET, ...env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

export async function startServer(env: Record<string, string>, timeoutMs = 60_000): Promise<ServerProcess> {
  const child = runCli(["serve"], { PORT: "0", HOST: "127.0.0.1", ...env });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const check = () => {
      const match = /Admin center: (http:\/\/\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout!.on("data", check);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  child.removeAllListeners("exit");
  return {
    url,
    child,
    output: () => out,
    // Stops the whole process group: SIGTERM, then SIGKILL if it has not exited in 5 s.
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const kill = setTimeout(() => signal(child, "SIGKILL"), 5000);
        child.once("exit", () => {
          clearTimeout(kill);
          resolve();
        });
        signal(child, "SIGTERM");
      }),
  };
}

function signal(child: ChildProcess, name: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, name);
  } catch {
    // Already gone.
  }
}
