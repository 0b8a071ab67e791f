// The one owner of every change to seats: a product's concurrent pool (shared and support
// sessions, the queue, cooldowns, usage) and seat assignments (named and concurrent grants,
// from an admin, a CSV import, SCIM groups, a deactivation or a deletion). Every other
// service asks here, inside its own transaction, through withSeats(); nobody else writes
// those rows, and no change can forget to settle: withSeats always does, then writes every
// pool it opened set-based and sends the signals.
//
// Lock order — every path takes its locks in this order, and this is the only place it is
// written down:
//   1. the account row (changes guarding the last admin or billing contact, CSV import);
//   2. user rows (the user being changed; a grant reads its user FOR SHARE);
//   3. seat locks: the subscription rows of the products concerned, all at once, in
//      product-id order (lockPools), before any seat row;
//   4. seat rows: assignments, shared and support sessions, queue places, cooldowns.
// A SCIM group change takes its group row before the seat lock, and its membership rows
// take a key-share lock on their user, which conflicts with no lock a seat-lock holder waits for.
import { randomInt } from "node:crypto";
import { DomainError } from "../domain/errors.js";
import { decideGroupSeat, GROUP_SOURCE } from "../domain/group-seat.js";
import { newId } from "../domain/ids.js";
import { formatSupportKey, freeSeats, SeatPool, waitingEntries, type Actor, type AgentSeat, type IdSource, type QueueEntry } from "../domain/seat-pool.js";
import type { WebhookEvent, WebhookEventType } from "../domain/webhooks.js";
import { decideNamedGrant, decideSubscriptionChange, type SeatType } from "../domain/seat-rules.js";
import type { Db } from "../store/database.js";
import type { AuditActor, AuditEntry } from "../store/audit.repository.js";
import { loadAgents, loadPool, lockPools, writeChange, type LockedPool, type PoolFlush, type SessionWithLease } from "../store/pool.repository.js";
import { findProductsByIds } from "../store/product.repository.js";
import { clearWarning, mappingsOfUser, setWarning, usersWaitingForNamed } from "../store/scim-group.repository.js";
import {
  countNamedAssigned, deleteAssignment, deleteAssignments, deleteNamedAssignments, findAssignment, findSeatActivity, upsertAssignment,
  upsertAssignments, type AssignmentChange,
} from "../store/seat.repository.js";
import { upsertSubscription } from "../store/subscription.repository.js";
import type { ProductRow, UserRow } from "../store/schema.js";
import { findUser } from "../store/user.repository.js";
import { auditActor, SYSTEM_ACTOR, type Principal } from "./context.js";
import { packSignals, type Signal } from "./signals.js";

export const SEAT_IDS: IdSource = {
  sharedSessionId: () => newId("ss"),
  sessionId: () => newId("sess"),
  supportKey: () => formatSupportKey(randomInt(0, 1_000_000_000) / 1e9),
};

export interface Wanted {
  userIds?: string[];
  sessionIds?: string[];
  tokenIds?: string[];
  /** Waiting requests that may have been served meanwhile. */
  requestIds?: string[];
  /** How many seats the change may free: the queue's first waiting requests are loaded to be served at once. */
  queueHead?: number;
}

/** One product's pool, locked and loaded in this transaction. */
export class OpenPool {
  /** Support sessions loaded by id (as they were before this change). */
  readonly sessions = new Map<string, SessionWithLease>();
  /** Sessions made for waiting requests, by request id. */
  readonly served = new Map<string, SessionWithLease>();
  readonly connections = new Map<string, { mode: string; platform: string }>();
  readonly totalBefore: number;
  /** Seats free for a new start, and agents waiting, as the database had them (webhooks tell of the change). */
  private readonly freeBefore: number;
  private readonly waitingBefore: number;

  constructor(
    private readonly change: SeatChange,
    readonly product: ProductRow,
    readonly locked: LockedPool,
    readonly machine: SeatPool,
    /** Occupancy as the usage history last saw it. */
    readonly occupiedBefore: number,
    /** The queue as it is in the database (the machine has settled since). */
    private readonly queueBefore: QueueEntry[],
    /** Tokens checked in this change and valid (the machine serves waiting requests made with them). */
    readonly validTokens: Set<string>,
  ) {
    this.totalBefore = machine.state.total;
    const before = { product: product.slug, total: this.totalBefore, occupied: occupiedBefore, queue: queueBefore };
    this.freeBefore = freeSeats(before, machine.now);
    this.waitingBefore = waitingEntries(before, machine.now).length;
  }

  get now(): Date {
    return this.machine.now;
  }

  /** Loads what a decision needs that is not loaded yet: agents, sessions by id, tokens. */
  async need(wanted: Wanted): Promise<void> {
    const userIds = [...new Set(wanted.userIds ?? [])].filter((id) => !this.machine.hasAgent(id));
    const tokenIds = (wanted.tokenIds ?? []).filter((id) => !this.validTokens.has(id));
    if (userIds.length === 0 && tokenIds.length === 0) return;
    const loaded = await loadAgents(this.change.tx, this.change.accountId, this.product.id, this.now, userIds, tokenIds);
    for (const agent of loaded.agents) this.machine.addAgent(agent);
    for (const id of loaded.validTokens) this.validTokens.add(id);
  }

  agent(userId: string): AgentSeat {
    return this.machine.agent(userId);
  }

  /** What this pool's change writes and signals (written once, by withSeats). */
  flush(): { flush: PoolFlush; signals: Signal[]; events: WebhookEvent[] } {
    const { machine, product } = this;
    const accountId = this.change.accountId;
    const flush: PoolFlush = {
      accountId,
      productId: product.id,
      now: this.now,
      leaseExpiresAt: machine.leaseExpiresAt,
      writes: machine.writes,
      connections: this.connections,
      queueBefore: this.queueBefore,
      queueAfter: machine.state.queue,
      usage: { occupiedBefore: this.occupiedBefore, totalBefore: this.totalBefore, occupied: machine.state.occupied, total: machine.state.total },
    };
    const signals: Signal[] = machine.writes.events.map(({ userId, event }) => ({ t: "user", a: accountId, u: userId, e: event }));
    for (const { userId, requestId } of machine.writes.served) signals.push({ t: "served", a: accountId, u: userId, r: requestId });
    const queueKey = (q: { userId: string; seq: number | null; reservedUntil: Date | null }[]) => q.map((e) => `${e.userId}:${e.seq}:${e.reservedUntil?.getTime()}`).join();
    if (queueKey(this.queueBefore) !== queueKey(machine.state.queue)) signals.push({ t: "pool", a: accountId, p: product.id });
    return { flush, signals, events: this.poolEvents() };
  }

  /** pool.exhausted when the last free seat went, pool.available when one came back, queue.waiting_over when more wait. */
  private poolEvents(): WebhookEvent[] {
    const { state, now } = this.machine;
    const free = freeSeats(state, now);
    const waiting = waitingEntries(state, now).length;
    const data = { product: this.product.slug, total: state.total, occupied: state.occupied, waiting };
    const events: WebhookEvent[] = [];
    if (this.freeBefore > 0 && free === 0 && state.total > 0) events.push(webhookEvent("pool.exhausted", now, data));
    if (this.freeBefore === 0 && free > 0) events.push(webhookEvent("pool.available", now, { ...data, free }));
    if (waiting > this.waitingBefore) events.push({ ...webhookEvent("queue.waiting_over", now, data), waiting: { before: this.waitingBefore, after: waiting } });
    return events;
  }

}

function webhookEvent(type: WebhookEventType, now: Date, data: Record<string, unknown>): WebhookEvent {
  return { id: newId("evt"), type, createdAt: now, data };
}

/**
 * The seats of one account during one transaction: the seat locks of the products it may
 * touch are held from the start; pools load when first asked for.
 */
export class SeatChange {
  private readonly pools = new Map<string, OpenPool>();
  private readonly audits: { actor: AuditActor; entry: AuditEntry }[] = [];
  /** Products where a named seat may have been freed or added: waiting group members get it. */
  private readonly namedFreed = new Set<string>();
  /** Webhook events of this change, written to the outbox with it. */
  private readonly events: WebhookEvent[] = [];
  readonly actor: AuditActor;

  constructor(
    readonly tx: Db,
    readonly accountId: string,
    readonly principal: Principal | null,
    private readonly locked: Map<string, LockedPool>,
    private readonly products: Map<string, ProductRow>,
    /** The instant each pool is decided at: the clock, or a recorded moment (the demo's history). */
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.actor = principal ? auditActor(principal) : SYSTEM_ACTOR;
  }

  /** The products locked here that have a subscription line. */
  get productIds(): string[] {
    return [...this.locked.keys()];
  }

  subscription(productId: string) {
    return this.locked.get(productId)?.subscription;
  }

  product(productId: string): ProductRow {
    const product = this.products.get(productId);
    if (!product) throw new Error(`product ${productId} was not locked in this change`);
    return product;
  }

  audit(entry: AuditEntry, actor: AuditActor = this.actor): void {
    this.audits.push({ actor, entry });
  }

  /** An event for the account's webhook endpoints, delivered once this change commits. */
  webhook(type: WebhookEventType, data: Record<string, unknown>): void {
    this.events.push(webhookEvent(type, this.clock(), data));
  }

  private get by(): Actor {
    return { id: this.actor.id, name: this.actor.name };
  }

  /** The product's pool, loaded on first use; undefined without a subscription line. */
  async pool(productId: string, wanted: Wanted = {}): Promise<OpenPool | undefined> {
    let open = this.pools.get(productId);
    if (!open) {
      const locked = this.locked.get(productId);
      if (!locked) return undefined;
      const now = this.clock();
      const loaded = await loadPool(this.tx, this.accountId, productId, now, {
        userIds: [...new Set(wanted.userIds ?? [])],
        sessionIds: wanted.sessionIds ?? [],
        tokenIds: wanted.tokenIds ?? [],
        requestIds: wanted.requestIds ?? [],
        queueHead: wanted.queueHead ?? 0,
      });
      const product = this.product(productId);
      const queueBefore = loaded.queue.map((e) => ({ ...e }));
      const machine = new SeatPool(
        { product: product.slug, total: locked.subscription.concurrent_total, occupied: loaded.occupied, queue: loaded.queue },
        new Map(loaded.agents.map((a) => [a.userId, a])),
        now,
        locked.account.lease_ttl_seconds * 1000,
        SEAT_IDS,
        loaded.validTokens,
      );
      // The usage history last saw the expired leases as occupied.
      open = new OpenPool(this, product, locked, machine, loaded.occupied + loaded.expired.length, queueBefore, loaded.validTokens);
      for (const id of loaded.expiredSessions) machine.knowEnded(id, "", false);
      for (const s of loaded.sessions) {
        open.sessions.set(s.id, s);
        if (s.request_id !== null) open.served.set(s.request_id, s);
        if (s.state === "ended") machine.knowEnded(s.id, s.user_id, s.ended_by_admin);
      }
      for (const e of loaded.expired) {
        this.webhook("lease.expired", { product: product.slug, sharedSessionId: e.id, userId: e.userId, leaseExpiredAt: e.leaseExpiredAt.toISOString() });
        this.audit(
          { action: "lease.expired", target: { type: "shared_session", id: e.id }, details: { product: product.slug, userId: e.userId, leaseExpiredAt: e.leaseExpiredAt.toISOString() } },
          SYSTEM_ACTOR,
        );
      }
      this.pools.set(productId, open);
      return open;
    }
    await open.need(wanted);
    return open;
  }

  private async requirePool(productId: string, userIds: string[]): Promise<OpenPool> {
    const open = await this.pool(productId, { userIds });
    if (!open) throw new DomainError("NO_SUBSCRIPTION", { product: this.product(productId).slug });
    return open;
  }

  // -------------------------------------------------------------------------------------
  // Seat assignments

  /**
   * Grants `type` of the product to the user (replacing the other type). The seat lock
   * serialises every grant of the product, so the named count read here stays true until
   * commit: fifty concurrent grants of five named seats give exactly five.
   */
  async grant(user: UserRow, productId: string, type: SeatType, source: string): Promise<{ changed: boolean }> {
    const product = this.product(productId);
    const subscription = this.subscription(productId);
    if (!subscription) throw new DomainError("NO_SUBSCRIPTION", { product: product.slug });
    const current = await findAssignment(this.tx, this.accountId, user.id, productId);
    if (current?.type === type) return { changed: false };
    if (type === "named") {
      if (!user.active) throw new DomainError("USER_INACTIVE", { name: user.name });
      const refusal = decideNamedGrant(
        { product: product.slug, namedTotal: subscription.named_total, namedAssigned: await countNamedAssigned(this.tx, this.accountId, productId) },
        false,
      );
      if (refusal) throw refusal;
    }
    // The pool learns of the agent as it was, then of the change.
    const open = current ? await this.requirePool(productId, [user.id]) : undefined;
    await upsertAssignment(this.tx, this.accountId, user.id, productId, type, source);
    if (open) {
      this.seatChanged(open, user.id, type, "seat_changed");
      if (current!.type === "named") this.namedFreed.add(productId);
    } else {
      this.seatGiven(user.id, productId, type);
    }
    this.audit({
      action: "seat.granted",
      target: { type: "user", id: user.id, name: user.name },
      details: { product: product.slug, type, ...(current && { previous: current.type }), source },
    });
    this.webhook("seat.granted", { product: product.slug, user: { id: user.id, name: user.name }, type, previous: current?.type ?? null, source });
    return { changed: true };
  }

  /** Revokes the user's seat of the product: a held shared seat is freed at once. */
  async revoke(user: UserRow, productId: string, reason: string): Promise<{ changed: boolean }> {
    const product = this.product(productId);
    const current = await findAssignment(this.tx, this.accountId, user.id, productId);
    if (!current) return { changed: false };
    const open = await this.pool(productId, { userIds: [user.id] });
    await deleteAssignment(this.tx, this.accountId, user.id, productId);
    if (open) this.seatChanged(open, user.id, null, reason === "manual" ? "seat_revoked" : reason);
    if (current.type === "named") this.namedFreed.add(productId);
    this.audit({ action: "seat.revoked", target: { type: "user", id: user.id, name: user.name }, details: { product: product.slug, type: current.type, reason } });
    this.webhook("seat.revoked", { product: product.slug, user: { id: user.id, name: user.name }, type: current.type, reason });
    return { changed: true };
  }

  /** The pool learns of the agent's new seat; a shared session it ends is audited. */
  private seatChanged(open: OpenPool, userId: string, to: SeatType | null, reason: string): void {
    const shared = open.machine.changeSeat(userId, to, this.by, reason);
    if (shared) {
      this.audit({ action: "shared_session.ended", target: { type: "shared_session", id: shared }, details: { product: open.product.slug, userId, reason } });
    }
  }

  /** A pool already loaded with this agent learns of its new seat. */
  private seatGiven(userId: string, productId: string, type: SeatType | null): void {
    const open = this.pools.get(productId);
    if (open?.machine.hasAgent(userId)) open.machine.changeSeat(userId, type, this.by);
  }

  /**
   * Many grants and revocations of one account (CSV import), written set-based. Only users
   * with something running on a product — a session or a queue place — need their pool.
   */
  async changeMany(grants: (AssignmentChange & { previous: SeatType | null })[], revokes: { userId: string; productId: string; type: SeatType }[], source: string): Promise<void> {
    const activity = await findSeatActivity(this.tx, this.accountId, [...new Set([...grants, ...revokes].map((s) => s.userId))]);
    const active = (s: { userId: string; productId: string }) => activity.has(`${s.userId} ${s.productId}`);
    const changes: { open: OpenPool; userId: string; to: SeatType | null }[] = [];
    for (const productId of this.productIds) {
      const revoked = revokes.filter((r) => r.productId === productId);
      const changed = grants.filter((g) => g.productId === productId && g.previous !== null);
      if (revoked.some((r) => r.type === "named") || changed.some((g) => g.previous === "named")) this.namedFreed.add(productId);
      const touched = [...revoked, ...changed].filter(active);
      if (touched.length === 0) continue;
      // Loaded before the assignments change: the pool learns of the agents as they were.
      const open = await this.requirePool(productId, touched.map((s) => s.userId));
      changes.push(...revoked.filter(active).map((r) => ({ open, userId: r.userId, to: null })));
      changes.push(...changed.filter(active).map((g) => ({ open, userId: g.userId, to: g.type })));
    }
    await deleteAssignments(this.tx, this.accountId, revokes);
    for (const type of ["named", "concurrent"] as const) {
      await upsertAssignments(this.tx, this.accountId, grants.filter((g) => g.type === type), source);
    }
    for (const { open, userId, to } of changes) this.seatChanged(open, userId, to, to === null ? "seat_revoked" : "seat_changed");
    const slug = (productId: string) => this.product(productId).slug;
    for (const g of grants) this.webhook("seat.granted", { product: slug(g.productId), user: { id: g.userId }, type: g.type, previous: g.previous, source });
    for (const r of revokes) this.webhook("seat.revoked", { product: slug(r.productId), user: { id: r.userId }, type: r.type, reason: source });
  }

  /**
   * A user was deactivated or deleted: every session of every product ends, and its named
   * seats (all its seats, when deleted) go back.
   */
  async removeUser(user: UserRow, reason: "user_deactivated" | "user_deleted"): Promise<void> {
    const ending = { reason, by: this.by, byAdmin: false };
    const activity = await findSeatActivity(this.tx, this.accountId, [user.id]);
    for (const productId of this.productIds) {
      if (!activity.has(`${user.id} ${productId}`)) continue;
      const open = await this.requirePool(productId, [user.id]);
      const shared = open.machine.endEverything(user.id, ending);
      if (shared) {
        this.audit({ action: "shared_session.ended", target: { type: "shared_session", id: shared }, details: { product: open.product.slug, userId: user.id, reason } });
      }
    }
    if (reason === "user_deleted") {
      for (const productId of this.productIds) this.namedFreed.add(productId);
      return;
    }
    for (const { product_id } of await deleteNamedAssignments(this.tx, this.accountId, user.id)) {
      this.namedFreed.add(product_id);
      this.seatGiven(user.id, product_id, null);
      const product = this.products.get(product_id)?.slug ?? product_id;
      this.audit({ action: "seat.revoked", target: { type: "user", id: user.id, name: user.name }, details: { product, type: "named", reason } });
      this.webhook("seat.revoked", { product, user: { id: user.id, name: user.name }, type: "named", reason });
    }
  }

  // -------------------------------------------------------------------------------------
  // Shared sessions (S9) and licenses (S3)

  /** An admin ends shared sessions of one product; each agent hears of it and cools down. */
  async endSharedSessions(productId: string, sessions: { id: string; userId: string }[], reason: string | undefined): Promise<string[]> {
    const open = await this.pool(productId, { userIds: sessions.map((s) => s.userId) });
    if (!open) return [];
    const cooldownSeconds = open.locked.account.ended_cooldown_seconds;
    const until = cooldownSeconds > 0 ? new Date(open.now.getTime() + cooldownSeconds * 1000) : null;
    const ended: string[] = [];
    for (const s of sessions) {
      if (open.agent(s.userId).sharedSessionId !== s.id) continue;
      const result = open.machine.endByAdmin(s.userId, this.by, reason ?? "admin", until);
      if (!result) continue;
      ended.push(s.id);
      this.webhook("shared_session.ended_by_admin", {
        product: open.product.slug, sharedSessionId: s.id, userId: s.userId, by: this.by, reason: reason ?? null, sessionIds: result.sessionIds,
      });
      this.audit({
        action: "shared_session.ended",
        target: { type: "shared_session", id: s.id },
        details: { product: open.product.slug, userId: s.userId, reason: reason ?? null, sessionIds: result.sessionIds },
      });
    }
    return ended;
  }

  /** The billing contact sets the product's licenses; added concurrent seats admit waiters at once. */
  async setLicenses(productId: string, requested: { named: number; concurrent: number }): Promise<{ named: number; concurrent: number }> {
    const product = this.product(productId);
    const before = this.subscription(productId);
    const previous = { named: before?.named_total ?? 0, concurrent: before?.concurrent_total ?? 0 };
    const namedAssigned = before ? await countNamedAssigned(this.tx, this.accountId, productId) : 0;
    const refusal = decideSubscriptionChange({ product: product.slug, namedTotal: previous.named, namedAssigned }, requested);
    if (refusal) throw refusal;
    const subscription = await upsertSubscription(this.tx, this.accountId, productId, requested.named, requested.concurrent);
    if (before) {
      const open = await this.pool(productId);
      open!.machine.setTotal(requested.concurrent);
      before.named_total = subscription.named_total;
      before.concurrent_total = subscription.concurrent_total;
    } else {
      // A new line: its row is this transaction's own until commit, as good as locked.
      const account = [...this.locked.values()][0]?.account ?? (await this.tx.selectFrom("accounts").selectAll().where("id", "=", this.accountId).executeTakeFirstOrThrow());
      this.locked.set(productId, { subscription, account });
    }
    this.namedFreed.add(productId);
    this.webhook("subscription.changed", {
      product: product.slug, named: { from: previous.named, to: requested.named }, concurrent: { from: previous.concurrent, to: requested.concurrent },
    });
    return previous;
  }

  // -------------------------------------------------------------------------------------
  // Seats from SCIM groups (S7)

  /** Brings users' seats in line with their mapped groups, product by product. */
  async reconcileGroups(userIds: string[], productIds: string[]): Promise<void> {
    for (const productId of [...new Set(productIds)].sort()) {
      for (const userId of [...new Set(userIds)]) await this.reconcileOne(userId, productId);
      this.namedFreed.add(productId);
    }
  }

  private async reconcileOne(userId: string, productId: string): Promise<void> {
    const product = this.product(productId);
    const subscription = this.subscription(productId);
    const user = await findUser(this.tx, this.accountId, userId);
    if (!user) return;
    const current = await findAssignment(this.tx, this.accountId, userId, productId);
    const { action, warning } = decideGroupSeat({
      mapped: await mappingsOfUser(this.tx, this.accountId, userId, productId),
      active: user.active,
      hasSubscription: subscription !== undefined,
      current: current ? { type: current.type, source: current.source } : null,
      namedLeft: subscription ? subscription.named_total - (await countNamedAssigned(this.tx, this.accountId, productId)) : 0,
    });
    if (action.kind === "grant") await this.grant(user, productId, action.type, GROUP_SOURCE);
    if (action.kind === "revoke") await this.revoke(user, productId, "group_membership");
    if (warning) {
      if (await setWarning(this.tx, this.accountId, userId, productId, warning)) {
        this.audit({
          action: "group.seat_warning",
          target: { type: "user", id: user.id, name: user.name },
          details: { product: product.slug, groupId: warning.groupId, code: warning.code, granted: warning.granted },
        });
      }
    } else {
      await clearWarning(this.tx, this.accountId, userId, productId);
    }
  }

  /** Named seats left free go to the group members their mappings could not serve yet, longest waiting first. */
  private async handOutNamedSeats(): Promise<void> {
    while (this.namedFreed.size > 0) {
      const productId = [...this.namedFreed].sort()[0];
      this.namedFreed.delete(productId);
      const subscription = this.subscription(productId);
      if (!subscription) continue;
      const left = subscription.named_total - (await countNamedAssigned(this.tx, this.accountId, productId));
      if (left <= 0) continue;
      for (const userId of await usersWaitingForNamed(this.tx, this.accountId, productId, left)) await this.reconcileOne(userId, productId);
    }
  }

  /**
   * Seats reserved in this change for agents whose waiting request is open become those
   * requests' sessions now, once each request's token is checked (an invalid one ends its
   * wait, and the seat goes to the next in line).
   */
  private async serveWaitingRequests(open: OpenPool): Promise<void> {
    for (let waiting = open.machine.waitingToServe(); waiting.length > 0; waiting = open.machine.waitingToServe()) {
      await open.need({ userIds: waiting.map((e) => e.userId), tokenIds: waiting.map((e) => e.request!.tokenId) });
      for (const e of waiting) {
        if (open.validTokens.has(e.request!.tokenId)) open.machine.serveWaiting(e.userId);
        else open.machine.closeWait(e.userId);
      }
    }
  }

  /** Settles and writes everything: named seats handed out, waiting requests served, every pool opened, audit, signals. */
  async finish(): Promise<void> {
    await this.handOutNamedSeats();
    for (const open of this.pools.values()) await this.serveWaitingRequests(open);
    const flushed = [...this.pools.keys()].sort().map((productId) => this.pools.get(productId)!.flush());
    await writeChange(this.tx, {
      accountId: this.accountId,
      pools: flushed.map((f) => f.flush),
      audits: this.audits,
      webhooks: [...this.events, ...flushed.flatMap((f) => f.events)],
      payloads: packSignals(flushed.flatMap((f) => f.signals)),
    });
  }
}

/**
 * Runs `change` on the seats of `productIds` inside the caller's transaction: takes their
 * seat locks (in product-id order), then settles and writes when `change` returns. With
 * skipLocked, pools another transaction holds are left out (the sweeper). With `now`, the
 * change is decided and recorded at that instant instead of the clock's (the demo's history).
 */
export async function withSeats<T>(
  tx: Db,
  accountId: string,
  principal: Principal | null,
  productIds: string[],
  change: (seats: SeatChange) => Promise<T>,
  options: { skipLocked?: boolean; products?: ProductRow[]; now?: Date } = {},
): Promise<T> {
  const ids = [...new Set(productIds)].sort();
  const locked = await lockPools(tx, accountId, ids, options.skipLocked ?? false);
  const known = new Map((options.products ?? []).map((p) => [p.id, p]));
  const missing = ids.filter((id) => !known.has(id));
  for (const p of await findProductsByIds(tx, missing)) known.set(p.id, p);
  const at = options.now;
  const seats = new SeatChange(tx, accountId, principal, locked, known, at ? () => at : undefined);
  const result = await change(seats);
  await seats.finish();
  return result;
}
