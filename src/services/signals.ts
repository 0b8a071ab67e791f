// Signals between Seatkeeper processes. A transaction publishes with pg_notify, which
// PostgreSQL (and PGlite) deliver only once it commits, to every listening process —
// including this one. Each process fans them out to its waiting requests and event
// streams. The database stays the only source of truth: a signal only says "look again".
import { EventEmitter } from "node:events";
import { sql } from "kysely";
import type { Db } from "../store/database.js";
import { SIGNAL_CHANNEL, type SideChannel } from "../store/side-channel.js";

/** Events an agent's app receives (GET /me/events), by user. */
export type AgentEvent =
  | { type: "seat.granted"; product: string; reservedUntil: string }
  | { type: "queue.position"; product: string; position: number }
  | { type: "session.ended"; product: string; sessionIds: string[]; by: { id: string | null; name: string | null } | null; reason: string }
  | { type: "seat.revoked"; product: string };

export type Signal =
  | { t: "pool"; a: string; p: string }
  | { t: "user"; a: string; u: string; e: AgentEvent };

export async function publish(tx: Db, signal: Signal): Promise<void> {
  await sql`SELECT pg_notify(${SIGNAL_CHANNEL}, ${JSON.stringify(signal)})`.execute(tx);
}

const poolKey = (accountId: string, productId: string) => `pool:${accountId}:${productId}`;
const userKey = (accountId: string, userId: string) => `user:${accountId}:${userId}`;

export class SignalBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  static async start(side: SideChannel): Promise<SignalBus> {
    const bus = new SignalBus();
    await side.listen((payload) => bus.deliver(payload));
    return bus;
  }

  deliver(payload: string): void {
    let signal: Signal;
    try {
      signal = JSON.parse(payload) as Signal;
    } catch {
      return;
    }
    if (signal.t === "pool") this.emitter.emit(poolKey(signal.a, signal.p));
    else if (signal.t === "user") this.emitter.emit(userKey(signal.a, signal.u), signal.e);
  }

  onPool(accountId: string, productId: string, listener: () => void): () => void {
    const key = poolKey(accountId, productId);
    this.emitter.on(key, listener);
    return () => this.emitter.off(key, listener);
  }

  /** Long-lived streams end when the process shuts down, so that it can. */
  onShutdown(listener: () => void): () => void {
    this.emitter.once("shutdown", listener);
    return () => this.emitter.off("shutdown", listener);
  }

  shutdown(): void {
    this.emitter.emit("shutdown");
  }

  onUser(accountId: string, userId: string, listener: (event: AgentEvent) => void): () => void {
    const key = userKey(accountId, userId);
    this.emitter.on(key, listener);
    return () => this.emitter.off(key, listener);
  }
}

/**
 * Collects a user's signals from the moment it is made, so that a signal sent between a
 * transaction's commit and the start of the wait is not lost.
 */
export class Waker {
  private pending = false;
  private wake: (() => void) | undefined;
  private readonly unsubscribe: () => void;

  constructor(bus: SignalBus, accountId: string, userId: string) {
    this.unsubscribe = bus.onUser(accountId, userId, () => {
      this.pending = true;
      this.wake?.();
    });
  }

  /** Resolves on the next signal (or one already received), or after `ms`. */
  async wait(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.max(0, ms));
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wake = undefined;
    this.pending = false;
  }

  close(): void {
    this.unsubscribe();
  }
}
