// One product's concurrent pool, inside one transaction that holds its subscription-row
// lock. Every change to who holds a seat of the product goes through here, so that after
// each change the freed seats go to the head of the queue (settle) in the same commit.
import { newId } from "../domain/ids.js";
import { deadEntries, planPromotions, type PoolState } from "../domain/seat-engine.js";
import type { Db } from "../store/database.js";
import type { AccountRow, ProductRow, SubscriptionRow, SupportSessionRow } from "../store/schema.js";
import { insertAudit, type AuditActor } from "../store/audit.repository.js";
import { leaveQueue, reserveSeats } from "../store/queue.repository.js";
import { lockPool, readPoolSnapshot } from "../store/pool.repository.js";
import { endSharedSessionRows, type EndedBy } from "../store/shared-session.repository.js";
import { endSupportSessions, openSupportSessionsOf, openSupportSessionsOfShared } from "../store/support-session.repository.js";
import { recordUsage } from "../store/usage.repository.js";
import { SYSTEM_ACTOR } from "./context.js";
import { publish } from "./signals.js";

export class PoolTransaction {
  /** Occupancy as last written to the usage history; settle records any change. */
  private recordedOccupied: number;
  private recordedTotal: number;
  /** The queue as listeners last heard of it; settle signals any change (positions moved). */
  private signalledQueue: string;

  private constructor(
    readonly tx: Db,
    readonly account: AccountRow,
    readonly product: ProductRow,
    readonly subscription: SubscriptionRow,
    readonly now: Date,
    readonly pool: PoolState,
  ) {
    this.recordedOccupied = pool.occupied;
    this.recordedTotal = pool.total;
    this.signalledQueue = this.queueKey();
  }

  get accountId(): string {
    return this.account.id;
  }

  get leaseTtlMs(): number {
    return this.account.lease_ttl_seconds * 1000;
  }

  /**
   * Locks the pool, ends leases that expired, drops dead queue places, and hands free
   * seats to waiters. Returns undefined when the account has no subscription line for
   * the product (or, with skipLocked, when another transaction holds the pool).
   */
  static async open(tx: Db, accountId: string, product: ProductRow, options: { skipLocked?: boolean } = {}): Promise<PoolTransaction | undefined> {
    const locked = await lockPool(tx, accountId, product.id, options.skipLocked ?? false);
    if (!locked) return undefined;
    const now = new Date();
    const snapshot = await readPoolSnapshot(tx, accountId, product.id, now);
    const pool: PoolState = { product: product.slug, total: locked.subscription.concurrent_total, occupied: snapshot.occupied, queue: snapshot.queue };
    const ptx = new PoolTransaction(tx, locked.account, product, locked.subscription, now, pool);

    const expired = snapshot.expiredSharedSessionIds;
    if (expired.length > 0) {
      // The usage history last saw the expired leases as occupied: settle records the drop.
      ptx.recordedOccupied += expired.length;
      const { ended } = await ptx.endShared(expired, { actor: null, reason: "lease_expired", reportToAgent: false }, false);
      for (const s of ended) {
        await insertAudit(tx, accountId, SYSTEM_ACTOR, {
          action: "lease.expired",
          target: { type: "shared_session", id: s.id },
          details: { product: product.slug, userId: s.user_id, leaseExpiredAt: s.lease_expires_at.toISOString() },
        });
      }
    }
    await ptx.settle({ reload: expired.length > 0 });
    return ptx;
  }

  /** Re-reads occupancy and the queue (after changes made in this transaction). */
  async reload(): Promise<void> {
    const snapshot = await readPoolSnapshot(this.tx, this.accountId, this.product.id, this.now);
    this.pool.occupied = snapshot.occupied;
    this.pool.queue = snapshot.queue;
  }

  /**
   * Ends shared sessions (and their support sessions). Admin endings are marked on the
   * support sessions, so that the agent's next call learns who ended them.
   */
  async endShared(ids: string[], by: EndedBy, byAdmin: boolean) {
    const ended = await endSharedSessionRows(this.tx, this.accountId, ids, this.now, by);
    const support = await endSupportSessions(this.tx, this.accountId, { sharedIds: ended.map((s) => s.id) }, { now: this.now, reason: by.reason, byAdmin });
    return { ended, support };
  }

  /**
   * Ends support sessions by the agent's own hand, a sign-out or a timeout; a shared
   * session left with no open support session ends with them, freeing its seat.
   */
  async endSupportSessions(ids: string[], reason: string): Promise<SupportSessionRow[]> {
    const ended = await endSupportSessions(this.tx, this.accountId, { ids }, { now: this.now, reason, byAdmin: false });
    const sharedIds = [...new Set(ended.map((s) => s.shared_session_id).filter((id): id is string => id !== null))];
    const stillOpen = new Set((await openSupportSessionsOfShared(this.tx, this.accountId, sharedIds)).map((s) => s.shared_session_id));
    await this.endShared(sharedIds.filter((id) => !stillOpen.has(id)), { actor: null, reason, reportToAgent: false }, false);
    return ended;
  }

  /**
   * Ends every session a user has on this product — its shared session and its support
   * sessions on a named seat too — and drops its queue place. For revoked seats and
   * deactivated or deleted users.
   */
  async endUserSessions(userId: string, by: EndedBy): Promise<SupportSessionRow[]> {
    const open = await openSupportSessionsOf(this.tx, this.accountId, userId, this.product.id);
    const sharedIds = [...new Set(open.map((s) => s.shared_session_id).filter((id): id is string => id !== null))];
    const { ended } = await this.endShared(sharedIds, by, false);
    const rest = await endSupportSessions(this.tx, this.accountId, { ids: open.map((s) => s.id) }, { now: this.now, reason: by.reason, byAdmin: false });
    await leaveQueue(this.tx, this.accountId, this.product.id, [userId]);
    const sessionIds = open.map((s) => s.id);
    if (sessionIds.length > 0) {
      await publish(this.tx, {
        t: "user",
        a: this.accountId,
        u: userId,
        e: { type: "session.ended", product: this.product.slug, sessionIds, by: by.actor && { id: by.actor.id, name: by.actor.name }, reason: by.reason },
      });
    }
    for (const s of ended) {
      await insertAudit(this.tx, this.accountId, by.actor ?? SYSTEM_ACTOR, {
        action: "shared_session.ended",
        target: { type: "shared_session", id: s.id },
        details: { product: this.product.slug, userId, reason: by.reason },
      });
    }
    return rest;
  }

  /**
   * After any change: drop dead queue places, give free seats to the head of the queue as
   * reservations (FIFO), record occupancy if it changed, and tell listeners to look again.
   */
  async settle(options: { reload?: boolean } = {}): Promise<void> {
    if (options.reload ?? true) await this.reload();
    const dead = deadEntries(this.pool, this.now);
    if (dead.length > 0) {
      await leaveQueue(this.tx, this.accountId, this.product.id, dead.map((e) => e.userId));
      this.pool.queue = this.pool.queue.filter((e) => !dead.includes(e));
    }
    const promoted = planPromotions(this.pool, this.now);
    if (promoted.length > 0) {
      const until = new Date(this.now.getTime() + this.leaseTtlMs);
      await reserveSeats(this.tx, this.accountId, this.product.id, promoted.map((e) => e.userId), until);
      for (const entry of promoted) {
        entry.reservedUntil = until;
        await publish(this.tx, {
          t: "user",
          a: this.accountId,
          u: entry.userId,
          e: { type: "seat.granted", product: this.product.slug, reservedUntil: until.toISOString() },
        });
      }
    }
    const changed = this.pool.occupied !== this.recordedOccupied || this.pool.total !== this.recordedTotal;
    if (changed) {
      await recordUsage(this.tx, {
        accountId: this.accountId,
        productId: this.product.id,
        at: this.now,
        kind: "occupancy",
        occupied: this.pool.occupied,
        total: this.pool.total,
      });
      this.recordedOccupied = this.pool.occupied;
      this.recordedTotal = this.pool.total;
    }
    const queue = this.queueKey();
    if (queue !== this.signalledQueue) {
      this.signalledQueue = queue;
      await publish(this.tx, { t: "pool", a: this.accountId, p: this.product.id });
    }
  }

  private queueKey(): string {
    return this.pool.queue.map((e) => `${e.userId}:${e.reservedUntil?.getTime() ?? ""}`).join(",");
  }

  async recordRefusal(): Promise<void> {
    await recordUsage(this.tx, {
      accountId: this.accountId, productId: this.product.id, at: this.now, kind: "refusal", occupied: this.pool.occupied, total: this.pool.total,
    });
  }

  async recordWait(seconds: number): Promise<void> {
    await recordUsage(this.tx, {
      accountId: this.accountId, productId: this.product.id, at: this.now, kind: "wait", occupied: this.pool.occupied, total: this.pool.total, waitSeconds: seconds,
    });
  }

  newSharedSessionId(): string {
    return newId("ss");
  }

  audit(actor: AuditActor, action: string, target: { type: string; id: string; name?: string }, details: Record<string, unknown>) {
    return insertAudit(this.tx, this.accountId, actor, { action, target, details: { product: this.product.slug, ...details } });
  }
}
