// Beside the pool, each process keeps one dedicated connection for what needs a session
// of its own: LISTEN (signals from every Seatkeeper process) and the sweeper's leadership
// (a session advisory lock, released if the process dies). PGlite is one process and
// one session: its notifications are delivered in-process and it always leads.
import pg from "pg";
import type { PGlite } from "@electric-sql/pglite";

export const SIGNAL_CHANNEL = "seatkeeper";

export interface SideChannel {
  /** Calls `onMessage` with the payload of every NOTIFY on the channel, after commit. */
  listen(onMessage: (payload: string) => void): Promise<void>;
  /** True while this process holds the lock (it keeps it until it closes). */
  tryLead(key: number): Promise<boolean>;
  close(): Promise<void>;
}

export function pgliteSideChannel(pglite: PGlite): SideChannel {
  const unsubscribers: (() => Promise<void>)[] = [];
  return {
    async listen(onMessage) {
      unsubscribers.push(await pglite.listen(SIGNAL_CHANNEL, onMessage));
    },
    async tryLead() {
      return true;
    },
    async close() {
      for (const unsubscribe of unsubscribers) await unsubscribe().catch(() => {});
    },
  };
}

export const RECONNECT_DELAY_MS = 1000;

export function postgresSideChannel(url: string): SideChannel {
  const handlers: ((payload: string) => void)[] = [];
  let client: pg.Client | undefined;
  let connecting: Promise<pg.Client> | undefined;
  let leading = new Set<number>();
  let closed = false;

  const connect = (): Promise<pg.Client> => {
    connecting ??= (async () => {
      const c = new pg.Client({ connectionString: url });
      c.on("notification", (msg) => {
        if (msg.channel === SIGNAL_CHANNEL && msg.payload !== undefined) for (const h of handlers) h(msg.payload);
      });
      c.on("error", () => {
        // The connection is gone: leadership went with it; reconnect and listen again.
        client = undefined;
        connecting = undefined;
        leading = new Set();
        if (!closed) setTimeout(() => void connect().catch(() => {}), RECONNECT_DELAY_MS);
      });
      await c.connect();
      if (handlers.length > 0) await c.query(`LISTEN ${SIGNAL_CHANNEL}`);
      client = c;
      return c;
    })().catch((error) => {
      connecting = undefined;
      throw error;
    });
    return connecting;
  };

  return {
    async listen(onMessage) {
      handlers.push(onMessage);
      const c = await connect();
      if (handlers.length === 1) await c.query(`LISTEN ${SIGNAL_CHANNEL}`);
    },
    async tryLead(key) {
      if (leading.has(key) && client) return true;
      const c = client ?? (await connect());
      const { rows } = await c.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [key]);
      if (rows[0].locked) leading.add(key);
      return rows[0].locked;
    },
    async close() {
      closed = true;
      await client?.end().catch(() => {});
    },
  };
}
