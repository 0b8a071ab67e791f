// `seatkeeper agent`: the agent app in a terminal, built on @seatkeeper/client. It signs in,
// shows the S5 notice, waits for a seat with a live position and a spinner, shows the support
// key and the lease (checked offline), then follows the keys the person presses — c: the
// customer connected, e: end the session, q: sign out — and prints an admin's end when it
// comes. Without a terminal it reads the same letters, one a line, from standard input.
import { createInterface } from "node:readline";
import { isSeatkeeperError, SeatkeeperClient, type SupportSession } from "@seatkeeper/client";

export interface AgentOptions {
  url: string;
  email: string;
  password?: string;
  product: string;
  app: "desktop" | "mobile";
  lang?: string;
  /** Seconds to wait for a seat. */
  wait: number;
  mode: "attended" | "unattended";
  platform: "windows" | "mac" | "ios" | "android";
}

const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const SPIN_MS = 100;

/** Reads a password without echoing it (on a terminal); a line of standard input otherwise. */
async function askPassword(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stdout.write(prompt);
  if (!stdin.isTTY) {
    const rl = createInterface({ input: stdin });
    const line = await new Promise<string>((resolve) => rl.once("line", resolve));
    rl.close();
    return line;
  }
  stdin.setRawMode(true);
  stdin.resume();
  let typed = "";
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString("utf8")) {
        if (ch === "\r" || ch === "\n") {
          stdin.off("data", onData);
          stdin.setRawMode(false);
          stdin.pause();
          process.stdout.write("\n");
          return resolve(typed);
        }
        if (ch === "\u0003") {
          stdin.setRawMode(false);
          return reject(new Error("cancelled"));
        }
        if (ch === "\u007f") typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    stdin.on("data", onData);
  });
}

/** One status line that redraws in place on a terminal, with a spinner; plain lines otherwise. */
class StatusLine {
  private frame = 0;
  private text = "";
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly tty = process.stdout.isTTY === true;

  show(text: string): void {
    if (text === this.text) return;
    this.text = text;
    if (!this.tty) return void console.log(text);
    this.draw();
    this.timer ??= setInterval(() => this.draw(), SPIN_MS);
  }

  clear(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    if (this.tty && this.text) process.stdout.write("\r\x1b[2K");
    this.text = "";
  }

  private draw(): void {
    process.stdout.write(`\r\x1b[2K${SPINNER[this.frame++ % SPINNER.length]} ${this.text}`);
  }
}

export async function runAgent(options: AgentOptions): Promise<number> {
  const print = (line: string) => console.log(line);
  const client = new SeatkeeperClient({ baseUrl: options.url, app: options.app, ...(options.lang !== undefined && { language: options.lang }) });
  const password = options.password ?? (await askPassword(`Password for ${options.email}: `));
  const signedIn = await client.signIn({ email: options.email, password });
  print(`Signed in as ${signedIn.user.name} <${signedIn.user.email}>`);
  for (const notice of client.seatNotices) print(`${notice.message} (${notice.product})`);

  const status = new StatusLine();
  let session: SupportSession | undefined;
  let finished: (code: number) => void = () => {};
  const done = new Promise<number>((resolve) => (finished = resolve));

  client.on("queue.position", ({ product, position }) => {
    if (product === options.product && !session) status.show(`Waiting for a seat of ${product}: position ${position}`);
  });
  client.on("connection", ({ online }) => {
    if (session) print(online ? "Back online." : "Offline: the seat is kept until its lease ends.");
  });
  client.on("session.ended", ({ product, by, reason }) => {
    if (product !== options.product) return;
    status.clear();
    print(`Session ended by ${by?.name ?? "an admin"}${reason ? `: ${reason}` : ""}`);
    finished(0);
  });
  client.on("lease.lost", ({ product, reason }) => {
    if (product === options.product && reason !== "ended") {
      print(`The seat of ${product} is lost (${reason}).`);
      finished(1);
    }
  });
  client.on("signed.out", () => {
    print("Signed out by the server.");
    finished(1);
  });

  status.show(`Starting a support session of ${options.product}…`);
  try {
    session = await client.startSession({ product: options.product, wait: options.wait });
  } catch (error) {
    status.clear();
    await client.signOut().catch(() => undefined);
    if (isSeatkeeperError(error)) {
      print(`No seat: ${error.message}${error.retryAfter !== undefined ? ` (again in ${error.retryAfter} s)` : ""}`);
      return 1;
    }
    throw error;
  }
  status.clear();
  print(`Support key: ${session.supportKey}`);
  const lease = await client.lease(options.product);
  if (lease) print(`Lease: ${lease.seat} seat of ${lease.product} until ${new Date(lease.exp * 1000).toLocaleTimeString()} (signature checked offline)`);
  print("Keys: c = the customer connected, e = end the session, q = sign out");

  const onKey = async (key: string) => {
    try {
      if (key === "c") {
        const connected = await client.connect(session!, { mode: options.mode, platform: options.platform });
        print(`Customer connected (${connected.mode}, ${connected.platform}).`);
      } else if (key === "e") {
        await client.end(session!);
        print("Session ended.");
        finished(0);
      } else if (key === "q" || key === "\u0003") {
        finished(0);
      }
    } catch (error) {
      print(isSeatkeeperError(error) ? `${error.code}: ${error.message}` : String(error));
      if (isSeatkeeperError(error, "SESSION_ENDED_BY_ADMIN") || isSeatkeeperError(error, "SESSION_ENDED")) finished(1);
    }
  };
  const stdin = process.stdin;
  let rl: ReturnType<typeof createInterface> | undefined;
  const onData = (chunk: Buffer) => void onKey(chunk.toString("utf8").toLowerCase());
  if (stdin.isTTY) {
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on("data", onData);
  } else {
    rl = createInterface({ input: stdin });
    rl.on("line", (line) => void onKey(line.trim().toLowerCase()));
  }
  const code = await done;
  if (stdin.isTTY) {
    stdin.off("data", onData);
    stdin.setRawMode(false);
    stdin.pause();
  }
  rl?.close();
  await client.signOut().catch(() => undefined);
  print("Signed out.");
  return code;
}
