// Signals between Seatkeeper processes. A transaction publishes with pg_notify, which
// PostgreSQL (and PGlite) deliver only once it commits, to every listening process —
// including this one. Each process fans them out to its waiting requests and event
// streams. The database stays the only source of truth: a signal only says "look again".
import { EventEmitter } from "node:events";
import { sql } from "kysely";
import type { AgentEvent } from "../domain/seat-pool.js";
import type { Db } from "../store/database.js";
import { SIGNAL_CHANNEL, type SideChannel } from "../store/side-channel.js";

export type { AgentEvent };

export type Signal =
  /** A pool changed: queue positions may have moved. */
  | { t: "pool"; a: string; p: string }
  /** An event for one agent's app. */
  | { t: "user"; a: string; u: string; e: AgentEvent }
  /** The user's tokens may have stopped being valid (sign-out, revocation, deactivation…). */
  | { t: "auth"; a: string; u: string }
  /** A waiting request of the user was served (its support session is made). */
  | { t: "served"; a: string; u: string; r: string };

/** pg_notify refuses payloads of 8000 bytes or more; stay well under. */
export const MAX_PAYLOAD_BYTES = 7000;

/**
 * Packs signals into as few payloads as fit under the limit (each a JSON array). A single
 * event too large to send (it cannot be, while an agent has at most 50 sessions) goes
 * without its session list: listeners re-read the database anyway.
 */
export function packSignals(signals: Signal[]): string[] {
  const payloads: string[] = [];
  let current: string[] = [];
  let size = 2;
  for (const signal of signals) {
    let json = JSON.stringify(signal);
    if (Buffer.byteLength(json) > MAX_PAYLOAD_BYTES - 2 && signal.t === "user" && signal.e.type === "session.ended") {
      json = JSON.stringify({ ...signal, e: { ...signal.e, sessionIds: [] } });
    }
    const bytes = Buffer.byteLength(json) + 1;
    if (current.length > 0 && size + bytes > MAX_PAYLOAD_BYTES) {
      payloads.push(`[${current.join(",")}]`);
      current = [];
      size = 2;
    }
    current.push(json);
    size += bytes;
  }
  if (current.length > 0) payloads.push(`[${current.join(",")}]`);
  return payloads;
}

/** Sends signals when the transaction commits (one notification per payload). */
export async function publish(tx: Db, ...signals: Signal[]): Promise<void> {
  for (const payload of packSignals(signals)) {
    await sql`SELECT pg_notify(${SIGNAL_CHANNEL}, ${payload})`.execute(tx);
  }
}

const poolKey = (accountId: string, productId: string) => `pool:${accountId}:${productId}`;
const userKey = (accountId: string, userId: string) => `user:${accountId}:${userId}`;
const authKey = (accountId: string, userId: string) => `auth:${accountId}:${userId}`;

export class SignalBus {
  private readonly emitter = new EventEmitter();
  private closing = false;

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  static async start(side: SideChannel): Promise<SignalBus> {
    const bus = new SignalBus();
    await side.listen((payload) => bus.deliver(payload));
    return bus;
  }

  deliver(payload: string): void {
    let signals: Signal[];
    try {
      signals = JSON.parse(payload) as Signal[];
    } catch {
      return;
    }
    if (!Array.isArray(signals)) return;
    for (const signal of signals) {
      if (signal.t === "pool") this.emitter.emit(poolKey(signal.a, signal.p));
      else if (signal.t === "user") this.emitter.emit(userKey(signal.a, signal.u), signal.e);
      else if (signal.t === "auth" || signal.t === "served") this.emitter.emit(authKey(signal.a, signal.u));
    }
  }

  onPool(accountId: string, productId: string, listener: () => void): () => void {
    return this.on(poolKey(accountId, productId), listener);
  }

  onUser(accountId: string, userId: string, listener: (event: AgentEvent) => void): () => void {
    return this.on(userKey(accountId, userId), listener);
  }

  /** The user's tokens changed, or one of its waiting requests was served. */
  onAuth(accountId: string, userId: string, listener: () => void): () => void {
    return this.on(authKey(accountId, userId), listener);
  }

  /** True once the process has begun shutting down. */
  get isClosing(): boolean {
    return this.closing;
  }

  /** Long-lived requests (waits, event streams) end when the process shuts down, so that it can. */
  onShutdown(listener: () => void): () => void {
    if (this.closing) {
      queueMicrotask(listener);
      return () => {};
    }
    return this.on("shutdown", listener);
  }

  shutdown(): void {
    this.closing = true;
    this.emitter.emit("shutdown");
  }

  private on<A extends unknown[]>(key: string, listener: (...args: A) => void): () => void {
    const handler = listener as (...args: unknown[]) => void;
    this.emitter.on(key, handler);
    return () => this.emitter.off(key, handler);
  }
}

/**
 * Collects a user's wake-ups from the moment it is made — its own events, a change to its
 * tokens, the process shutting down — so that one sent between a transaction's commit and
 * the start of the wait is not lost.
 */
export class Waker {
  private pending = false;
  private wake: (() => void) | undefined;
  private readonly unsubscribers: (() => void)[];

  constructor(bus: SignalBus, accountId: string, userId: string) {
    const ring = () => {
      this.pending = true;
      this.wake?.();
    };
    this.unsubscribers = [bus.onUser(accountId, userId, ring), bus.onAuth(accountId, userId, ring), bus.onShutdown(ring)];
  }

  /** Resolves on the next wake-up (or one already received), or after `ms`. */
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

  /** Wakes the waiter now (from this process). */
  ring(): void {
    this.pending = true;
    this.wake?.();
  }

  close(): void {
    for (const off of this.unsubscribers) off();
  }
}
