// The concurrent-seat rules, pure: given a pool's state, a holder and the time, decide.
// The service loads the state under the product's subscription-row lock, asks here, and
// writes the result in the same transaction.
//
// Invariants the rules keep:
// - seats taken = open shared sessions + live reservations, and never exceeds the total
//   when a seat is handed out (lowering the total below occupancy cuts nobody off);
// - one agent holds at most one seat of a product (it joins its own shared session);
// - the queue is first come, first served: a freed seat goes to the head of the queue
//   (as a reservation) before anyone else may take it, and nobody takes a free seat
//   while someone is waiting.
import { DomainError } from "./errors.js";
import type { SeatType } from "./seat-rules.js";

export interface QueueEntry {
  userId: string;
  seq: number;
  enqueuedAt: Date;
  /** The place is dropped after this unless the agent shows a sign of life. */
  heldUntil: Date;
  /** A waiting request is open until then. */
  waitingUntil: Date | null;
  /** A seat is kept for the agent until then. */
  reservedUntil: Date | null;
}

export interface PoolState {
  product: string;
  /** Concurrent seats bought. */
  total: number;
  /** Open shared sessions with a live lease. */
  occupied: number;
  /** Every queue entry of the product, in seq order. */
  queue: QueueEntry[];
}

export interface Holder {
  userId: string;
  seat: SeatType | null;
  holdsSharedSession: boolean;
  cooldownUntil: Date | null;
}

const isReserved = (e: QueueEntry, now: Date) => e.reservedUntil !== null && e.reservedUntil > now;

/** A place is live while reserved, or (never reserved) while the agent is alive. */
export function isLive(entry: QueueEntry, now: Date): boolean {
  if (entry.reservedUntil !== null) return entry.reservedUntil > now;
  return entry.heldUntil > now || (entry.waitingUntil !== null && entry.waitingUntil > now);
}

/** Agents still waiting for a seat, first come first served. */
export function waitingEntries(pool: PoolState, now: Date): QueueEntry[] {
  return pool.queue.filter((e) => isLive(e, now) && !isReserved(e, now));
}

export function reservedEntries(pool: PoolState, now: Date): QueueEntry[] {
  return pool.queue.filter((e) => isReserved(e, now));
}

export function freeSeats(pool: PoolState, now: Date): number {
  return Math.max(0, pool.total - pool.occupied - reservedEntries(pool, now).length);
}

/** Entries that are dead now (lapsed reservation, or an agent gone silent): drop them. */
export function deadEntries(pool: PoolState, now: Date): QueueEntry[] {
  return pool.queue.filter((e) => !isLive(e, now));
}

/** The waiters that get a freed seat now, in queue order: one per free seat. */
export function planPromotions(pool: PoolState, now: Date): QueueEntry[] {
  return waitingEntries(pool, now).slice(0, freeSeats(pool, now));
}

/** 1 = served next; null when not waiting. */
export function queuePosition(pool: PoolState, userId: string, now: Date): number | null {
  const index = waitingEntries(pool, now).findIndex((e) => e.userId === userId);
  return index === -1 ? null : index + 1;
}

export type CheckoutDecision =
  | { ok: true; kind: "named" }
  | { ok: true; kind: "join" }
  | { ok: true; kind: "take"; fromQueue: QueueEntry | null }
  | { ok: false; error: DomainError; refused: false }
  | { ok: false; refused: true; queuePosition: number | null };

function secondsUntil(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
}

/**
 * Decides a checkout, after promotions have been applied to `pool`. The order of the
 * checks is the precedence: no seat, named seat, already holding, cooldown, reserved
 * seat, free seat, refusal.
 */
export function decideCheckout(pool: PoolState, holder: Holder, now: Date): CheckoutDecision {
  if (holder.seat === null) return { ok: false, refused: false, error: new DomainError("NO_SEAT_ASSIGNED", { product: pool.product }) };
  if (holder.seat === "named") return { ok: true, kind: "named" };
  if (holder.holdsSharedSession) return { ok: true, kind: "join" };
  if (holder.cooldownUntil !== null && holder.cooldownUntil > now) {
    const seconds = secondsUntil(holder.cooldownUntil, now);
    return { ok: false, refused: false, error: new DomainError("SEAT_COOLDOWN", { product: pool.product, seconds }, { retryAfter: seconds }, [], seconds) };
  }
  const own = pool.queue.find((e) => e.userId === holder.userId);
  if (own && isReserved(own, now)) return { ok: true, kind: "take", fromQueue: own };
  if (freeSeats(pool, now) > 0 && waitingEntries(pool, now).length === 0) return { ok: true, kind: "take", fromQueue: own ?? null };
  return { ok: false, refused: true, queuePosition: queuePosition(pool, holder.userId, now) };
}

export type SeatStatus =
  | { status: "available" }
  | { status: "holding" }
  | { status: "reserved"; reservedUntil: Date }
  | { status: "cooldown"; retryAfter: number }
  | { status: "all_in_use"; queuePosition: number | null };

/** What an agent's app shows for one product (GET /me/seats), without changing anything. */
export function seatStatus(pool: PoolState, holder: Holder & { seat: SeatType }, now: Date): SeatStatus {
  if (holder.seat === "named") return { status: "available" };
  if (holder.holdsSharedSession) return { status: "holding" };
  if (holder.cooldownUntil !== null && holder.cooldownUntil > now) return { status: "cooldown", retryAfter: secondsUntil(holder.cooldownUntil, now) };
  const own = pool.queue.find((e) => e.userId === holder.userId);
  if (own && isReserved(own, now)) return { status: "reserved", reservedUntil: own.reservedUntil! };
  if (freeSeats(pool, now) > 0 && waitingEntries(pool, now).length === 0) return { status: "available" };
  return { status: "all_in_use", queuePosition: queuePosition(pool, holder.userId, now) };
}

/** A nine-digit support key, as agents read it out to customers. */
export function formatSupportKey(random: number): string {
  return String(Math.floor(random * 1e9)).padStart(9, "0");
}
