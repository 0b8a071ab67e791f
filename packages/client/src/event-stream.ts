// The agent's event stream (GET /api/v1/me/events, Server-Sent Events) over fetch, kept
// open: when it drops it reconnects with backoff and jitter and sends Last-Event-ID, so that
// the server replays what it missed. A stream silent for longer than the server's keepalive
// allows is taken for dead and reopened.

export interface StreamOptions {
  url: string;
  headers: () => Record<string, string>;
  fetch: typeof fetch;
  onEvent: (event: Record<string, unknown>) => void;
  /** Each time the stream opens (true) or drops (false). */
  onState: (open: boolean) => void;
  /** The server refused the token: the stream stops for good. */
  onUnauthenticated: () => void;
  /** Reconnect delays: from `minDelayMs` (or the server's `retry:`), doubling to `maxDelayMs`. */
  minDelayMs?: number;
  maxDelayMs?: number;
  /** The server sends a keepalive every 15 s: silence this long means the connection is gone. */
  silenceMs?: number;
}

export class EventStream {
  private lastEventId: string | undefined;
  private controller: AbortController | undefined;
  private stopped = false;
  private retryMs: number;
  private readonly loop: Promise<void>;

  constructor(private readonly options: StreamOptions) {
    this.retryMs = options.minDelayMs ?? 500;
    this.loop = this.run();
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.controller?.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      const opened = await this.once().catch(() => false);
      if (this.stopped) break;
      this.options.onState(false);
      failures = opened ? 0 : failures + 1;
      const base = Math.min(this.retryMs * 2 ** failures, this.options.maxDelayMs ?? 10_000);
      await sleep(base / 2 + Math.random() * (base / 2));
    }
  }

  /** One connection, until it ends; resolves whether it had opened. */
  private async once(): Promise<boolean> {
    const controller = new AbortController();
    this.controller = controller;
    const headers: Record<string, string> = { ...this.options.headers(), accept: "text/event-stream" };
    if (this.lastEventId !== undefined) headers["last-event-id"] = this.lastEventId;
    const response = await this.options.fetch(this.options.url, { headers, signal: controller.signal });
    if (response.status === 401) {
      this.stopped = true;
      this.options.onUnauthenticated();
      return false;
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      return false;
    }
    this.options.onState(true);
    const silence = this.options.silenceMs ?? 40_000;
    let watchdog = setTimeout(() => controller.abort(), silence);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        clearTimeout(watchdog);
        watchdog = setTimeout(() => controller.abort(), silence);
        buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, "\n");
        for (let cut; (cut = buffer.indexOf("\n\n")) !== -1; ) {
          this.dispatch(buffer.slice(0, cut));
          buffer = buffer.slice(cut + 2);
        }
      }
    } catch {
      // dropped, aborted or silent too long: reconnect
    } finally {
      clearTimeout(watchdog);
    }
    return true;
  }

  private dispatch(block: string): void {
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "data") data.push(value);
      else if (field === "id") this.lastEventId = value;
      else if (field === "retry" && /^\d+$/.test(value)) this.retryMs = Number(value);
    }
    if (data.length === 0) return;
    try {
      const event = JSON.parse(data.join("\n")) as unknown;
      if (typeof event === "object" && event !== null) this.options.onEvent(event as Record<string, unknown>);
    } catch {
      // not JSON: not one of ours
    }
  }
}

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
