// Use cases of the seat engine: agents start, connect and end support sessions, wait in
// the queue, keep leases alive; admins end shared sessions. Every decision is one
// transaction holding the product's pool lock (see PoolTransaction); waiting happens
// between transactions, woken by signals, never holding a connection.
import { randomInt } from "node:crypto";
import { DomainError, notFound } from "../domain/errors.js";
import { isId, newId } from "../domain/ids.js";
import { ALL_SHARED_SEATS_IN_USE_MESSAGE, type Language } from "../domain/messages.js";
import { decideCheckout, formatSupportKey, queuePosition, seatStatus, waitingEntries, type Holder, type PoolState } from "../domain/seat-engine.js";
import type { Db } from "../store/database.js";
import type { ProductRow, SupportSessionRow, UserRow } from "../store/schema.js";
import { findAccount } from "../store/account.repository.js";
import { findProductById, findProductsByIds } from "../store/product.repository.js";
import { readHolderSnapshot } from "../store/pool.repository.js";
import { closeWait, joinQueue, keepQueuePlaces, leaveQueue, loadQueue, setCooldown } from "../store/queue.repository.js";
import { listOpenReleaseRequests, resolveReleaseRequests, upsertReleaseRequest } from "../store/release-request.repository.js";
import { findAssignment, listAssignments } from "../store/seat.repository.js";
import {
  countOccupied, findSharedSessions, insertSharedSession, listOpenSharedSessions, openSharedSessionsOf,
  renewLease, renewLeasesOf, takeEndingReports,
} from "../store/shared-session.repository.js";
import {
  connectSupportSession, insertSupportSession, lockSupportSession, moveSupportSessions, openSupportSessionsOf,
  openSupportSessionsOfShared, pendingSessionsOf,
} from "../store/support-session.repository.js";
import { insertAudit } from "../store/audit.repository.js";
import { decodeCursor, toPage } from "../store/pagination.js";
import { auditActor, type Principal, type UserPrincipal } from "./context.js";
import { PoolTransaction } from "./pool-transaction.js";
import { requireProduct } from "./product.service.js";
import { publish, Waker, type SignalBus } from "./signals.js";

export interface Engine {
  db: Db;
  bus: SignalBus;
}

export const MAX_WAIT_SECONDS = 60;
/** A waiting request looks again this often even without a signal: a safety net, not a poll loop. */
export const WAIT_RECHECK_MS = 5000;

// ---------------------------------------------------------------------------------------
// Views

function supportSessionView(s: SupportSessionRow, product: string, leaseExpiresAt: Date | null) {
  return {
    id: s.id,
    product,
    state: s.state,
    supportKey: s.support_key,
    seat: { type: s.seat_type, leaseExpiresAt: leaseExpiresAt?.toISOString() ?? null },
    ...(s.mode && { mode: s.mode }),
    ...(s.platform && { platform: s.platform }),
    createdAt: s.created_at.toISOString(),
    ...(s.connected_at && { connectedAt: s.connected_at.toISOString() }),
    ...(s.ended_at && { endedAt: s.ended_at.toISOString(), endReason: s.end_reason }),
  };
}

export type SupportSessionView = ReturnType<typeof supportSessionView>;

// ---------------------------------------------------------------------------------------
// Reading a pool without changing it (seat status, notices, subscription counts)

async function readPool(db: Db, accountId: string, product: ProductRow, total: number, now: Date): Promise<PoolState> {
  return {
    product: product.slug,
    total,
    occupied: await countOccupied(db, accountId, product.id, now),
    queue: await loadQueue(db, accountId, product.id),
  };
}

async function readHolder(db: Db, accountId: string, userId: string, productId: string): Promise<Holder & { sharedSessionId: string | null }> {
  const snapshot = await readHolderSnapshot(db, accountId, userId, productId);
  return { userId, ...snapshot, holdsSharedSession: snapshot.sharedSessionId !== null };
}

async function subscriptionTotal(db: Db, accountId: string, productId: string): Promise<number> {
  const row = await db
    .selectFrom("subscriptions")
    .select("concurrent_total")
    .where("account_id", "=", accountId)
    .where("product_id", "=", productId)
    .executeTakeFirst();
  return row?.concurrent_total ?? 0;
}

/** GET /me/seats: one entry per product the user may use. */
export async function mySeats(db: Db, principal: UserPrincipal, lang: Language) {
  const { accountId, user } = principal;
  const now = new Date();
  const assignments = await listAssignments(db, accountId, [user.id]);
  const items = [];
  for (const a of assignments) {
    const product = (await findProductById(db, a.productId))!;
    const pool = await readPool(db, accountId, product, await subscriptionTotal(db, accountId, a.productId), now);
    const holder = await readHolder(db, accountId, user.id, a.productId);
    const status = seatStatus(pool, { ...holder, seat: a.type }, now);
    items.push({
      product: a.product,
      type: a.type,
      status: status.status,
      ...(status.status === "all_in_use" && { message: ALL_SHARED_SEATS_IN_USE_MESSAGE[lang] }),
      ...(status.status === "all_in_use" && status.queuePosition !== null && { queuePosition: status.queuePosition }),
      ...(status.status === "reserved" && { reservedUntil: status.reservedUntil.toISOString() }),
      ...(status.status === "cooldown" && { retryAfter: status.retryAfter }),
    });
  }
  return { items };
}

/** S5 at sign-in: products where the user has a concurrent seat and no seat is free for it. */
export async function seatNoticesAtLogin(db: Db, user: UserRow, lang: Language) {
  const seats = await mySeats(db, { kind: "user", tokenId: "", accountId: user.account_id, user, app: null }, lang);
  return seats.items
    .filter((s) => s.type === "concurrent" && s.status === "all_in_use")
    .map((s) => ({ product: s.product, code: "ALL_SHARED_SEATS_IN_USE" as const, message: ALL_SHARED_SEATS_IN_USE_MESSAGE[lang] }));
}

/** Occupied and waiting counts per product, for GET /subscription. */
export async function poolCounts(db: Db, accountId: string, productId: string, total: number) {
  const now = new Date();
  const pool: PoolState = { product: "", total, occupied: await countOccupied(db, accountId, productId, now), queue: await loadQueue(db, accountId, productId) };
  return { occupied: pool.occupied, waiting: waitingEntries(pool, now).length };
}

// ---------------------------------------------------------------------------------------
// Starting a support session (and waiting for a seat)

type Attempt =
  | { ok: true; session: SupportSessionView }
  | { ok: false; queuePosition: number | null };

async function attemptStart(
  engine: Engine,
  principal: UserPrincipal,
  product: ProductRow,
  wait: { deadline: Date; first: boolean } | null,
): Promise<Attempt> {
  const { accountId, user } = principal;
  return engine.db.transaction().execute(async (tx): Promise<Attempt> => {
    const ptx = await PoolTransaction.open(tx, accountId, product);
    if (!ptx) throw new DomainError("NO_SEAT_ASSIGNED", { product: product.slug });
    const now = ptx.now;
    const holder = await readHolder(tx, accountId, user.id, product.id);
    const decision = decideCheckout(ptx.pool, holder, now);

    if (!decision.ok && !decision.refused) throw decision.error;
    if (!decision.ok) {
      const waiting = wait !== null && wait.deadline > now;
      const heldUntil = new Date(now.getTime() + ptx.leaseTtlMs);
      if (waiting) await joinQueue(tx, accountId, product.id, user.id, now, heldUntil, wait.deadline);
      else if (wait !== null) await closeWait(tx, accountId, product.id, user.id, heldUntil); // the wait ended
      if (wait === null || wait.first) await ptx.recordRefusal();
      await ptx.settle();
      return { ok: false, queuePosition: queuePosition(ptx.pool, user.id, now) };
    }

    let sharedSessionId: string | null = null;
    let leaseExpiresAt: Date | null = null;
    if (decision.kind !== "named") {
      leaseExpiresAt = new Date(now.getTime() + ptx.leaseTtlMs);
      if (decision.kind === "join") {
        sharedSessionId = holder.sharedSessionId!;
        await renewLease(tx, accountId, sharedSessionId, leaseExpiresAt);
      } else {
        const shared = await insertSharedSession(tx, { accountId, id: ptx.newSharedSessionId(), productId: product.id, userId: user.id, now, leaseExpiresAt });
        sharedSessionId = shared.id;
        if (decision.fromQueue) {
          await leaveQueue(tx, accountId, product.id, [user.id]);
          await ptx.recordWait((now.getTime() - decision.fromQueue.enqueuedAt.getTime()) / 1000);
        }
        await resolveReleaseRequests(tx, accountId, product.id, user.id, now);
      }
    }
    const session = await insertSupportSession(tx, {
      account_id: accountId,
      id: newId("sess"),
      user_id: user.id,
      product_id: product.id,
      shared_session_id: sharedSessionId,
      seat_type: holder.seat!,
      state: "pending",
      support_key: formatSupportKey(randomInt(0, 1_000_000_000) / 1e9),
      token_id: principal.tokenId,
      created_at: now,
    });
    await ptx.settle();
    return { ok: true, session: supportSessionView(session, product.slug, leaseExpiresAt) };
  });
}

/**
 * POST /me/sessions. Without `wait`, one attempt. With `wait` (seconds), the agent joins
 * the product's queue (or keeps its place) and the request returns as soon as a seat is
 * its — woken by a signal, not by polling — or with 409 when the wait ends.
 */
export async function startSession(engine: Engine, principal: UserPrincipal, productSlug: string, waitSeconds: number | undefined) {
  const product = await requireProduct(engine.db, productSlug);
  if (waitSeconds === undefined) {
    const attempt = await attemptStart(engine, principal, product, null);
    if (attempt.ok) return attempt.session;
    throw refused(attempt.queuePosition);
  }
  const deadline = new Date(Date.now() + waitSeconds * 1000);
  const waker = new Waker(engine.bus, principal.accountId, principal.user.id);
  try {
    for (let first = true; ; first = false) {
      const attempt = await attemptStart(engine, principal, product, { deadline, first });
      if (attempt.ok) return attempt.session;
      const remaining = deadline.getTime() - Date.now();
      if (remaining <= 0) throw refused(attempt.queuePosition);
      await waker.wait(Math.min(remaining, WAIT_RECHECK_MS));
    }
  } finally {
    waker.close();
  }
}

function refused(position: number | null): DomainError {
  return new DomainError("ALL_SHARED_SEATS_IN_USE", {}, position !== null ? { queuePosition: position } : {});
}

// ---------------------------------------------------------------------------------------
// Connecting and ending a support session

async function withOwnSession<T>(
  engine: Engine,
  principal: UserPrincipal,
  sessionId: string,
  run: (ptx: PoolTransaction, session: SupportSessionRow) => Promise<T>,
): Promise<T> {
  const { accountId, user } = principal;
  const found = isId("sess", sessionId) ? await engine.db.selectFrom("support_sessions").select(["product_id", "user_id"]).where("account_id", "=", accountId).where("id", "=", sessionId).executeTakeFirst() : undefined;
  if (!found || found.user_id !== user.id) throw notFound("support session");
  const product = (await findProductById(engine.db, found.product_id))!;
  return engine.db.transaction().execute(async (tx) => {
    // The pool lock first, as every other path takes it, then the session row.
    const ptx = await PoolTransaction.open(tx, accountId, product);
    const session = await lockSupportSession(tx, accountId, sessionId);
    if (!ptx || !session) throw new DomainError("SESSION_ENDED");
    if (session.state === "ended") throw new DomainError(session.ended_by_admin ? "SESSION_ENDED_BY_ADMIN" : "SESSION_ENDED");
    return run(ptx, session);
  });
}

export async function connectSession(
  engine: Engine,
  principal: UserPrincipal,
  sessionId: string,
  connection: { mode: "attended" | "unattended"; platform: "windows" | "mac" | "ios" | "android" },
) {
  return withOwnSession(engine, principal, sessionId, async (ptx, session) => {
    const connected = await connectSupportSession(ptx.tx, ptx.accountId, session.id, { ...connection, now: ptx.now });
    let leaseExpiresAt: Date | null = null;
    if (session.shared_session_id) {
      leaseExpiresAt = new Date(ptx.now.getTime() + ptx.leaseTtlMs);
      await renewLease(ptx.tx, ptx.accountId, session.shared_session_id, leaseExpiresAt);
    }
    await ptx.settle();
    return supportSessionView(connected, ptx.product.slug, leaseExpiresAt);
  });
}

/** The agent ends a support session; the seat is freed with the last one of the product. */
export async function endSession(engine: Engine, principal: UserPrincipal, sessionId: string) {
  return withOwnSession(engine, principal, sessionId, async (ptx, session) => {
    const [ended] = await ptx.endSupportSessions([session.id], "agent");
    await ptx.settle();
    return supportSessionView(ended, ptx.product.slug, null);
  });
}

// ---------------------------------------------------------------------------------------
// Heartbeat, sign-out, release requests

export async function heartbeat(engine: Engine, principal: UserPrincipal) {
  const { accountId, user } = principal;
  const account = (await findAccount(engine.db, accountId))!;
  const now = new Date();
  const until = new Date(now.getTime() + account.lease_ttl_seconds * 1000);
  return engine.db.transaction().execute(async (tx) => {
    const leases = await renewLeasesOf(tx, accountId, user.id, now, until);
    await keepQueuePlaces(tx, accountId, user.id, until);
    const reports = await takeEndingReports(tx, accountId, user.id);
    const ended = [];
    for (const r of reports) {
      const sessions = await tx
        .selectFrom("support_sessions")
        .select("id")
        .where("account_id", "=", accountId)
        .where("shared_session_id", "=", r.id)
        .orderBy("created_at")
        .execute();
      ended.push({
        product: r.product,
        sessionIds: sessions.map((s) => s.id),
        by: { id: r.ended_by_id, name: r.ended_by_name },
        reason: r.end_reason,
        at: r.ended_at!.toISOString(),
      });
    }
    return { leases: leases.map((l) => ({ product: l.product, expiresAt: l.lease_expires_at.toISOString() })), ended };
  });
}

/** Signing out of an agent app ends the agent's pending support sessions (S4 a). */
export async function endPendingSessionsAtLogout(engine: Engine, principal: Principal): Promise<void> {
  if (principal.kind !== "user" || principal.app === null) return;
  const { accountId, user } = principal;
  const pending = await pendingSessionsOf(engine.db, accountId, user.id);
  for (const productId of new Set(pending.map((s) => s.product_id))) {
    const product = (await findProductById(engine.db, productId))!;
    await engine.db.transaction().execute(async (tx) => {
      const ptx = await PoolTransaction.open(tx, accountId, product);
      if (!ptx) return;
      const pendingNow = (await pendingSessionsOf(tx, accountId, user.id)).filter((s) => s.product_id === productId);
      await ptx.endSupportSessions(pendingNow.map((s) => s.id), "logout");
      await ptx.settle();
    });
  }
}

export async function createReleaseRequest(engine: Engine, principal: UserPrincipal, productSlug: string, message: string | undefined) {
  const { accountId, user } = principal;
  const product = await requireProduct(engine.db, productSlug);
  return engine.db.transaction().execute(async (tx) => {
    const assignment = await findAssignment(tx, accountId, user.id, product.id);
    if (!assignment) throw new DomainError("NO_SEAT_ASSIGNED", { product: product.slug });
    const request = await upsertReleaseRequest(tx, { accountId, id: newId("rr"), userId: user.id, productId: product.id, message: message ?? null, now: new Date() });
    await insertAudit(tx, accountId, auditActor(principal), {
      action: "release_request.created",
      target: { type: "product", id: product.slug, name: product.name },
      details: { message: message ?? null },
    });
    return {
      id: request.id,
      product: product.slug,
      user: { id: user.id, name: user.name, email: user.email },
      message: request.message,
      createdAt: request.created_at.toISOString(),
    };
  });
}

export async function listReleaseRequests(db: Db, principal: UserPrincipal, query: { limit: number; cursor?: string }) {
  const after = decodeCursor(query.cursor, ["timestamp", "id"]);
  const rows = await listOpenReleaseRequests(db, principal.accountId, { limit: query.limit, after: after && { at: String(after[0]), id: String(after[1]) } });
  return toPage(rows, query.limit, (r) => [r.created_at.toISOString(), r.id], (r) => ({
    id: r.id,
    product: r.slug,
    productName: r.product_name,
    user: { id: r.user_id, name: r.name, email: r.email },
    message: r.message,
    createdAt: r.created_at.toISOString(),
  }));
}

// ---------------------------------------------------------------------------------------
// Admin side (S9)

export async function listSharedSessions(db: Db, principal: UserPrincipal, query: { product?: string; limit: number; cursor?: string }) {
  const product = query.product !== undefined ? await requireProduct(db, query.product) : undefined;
  const after = decodeCursor(query.cursor, ["timestamp", "id"]);
  const rows = await listOpenSharedSessions(db, principal.accountId, {
    productId: product?.id,
    limit: query.limit,
    after: after && { since: String(after[0]), id: String(after[1]) },
  });
  const page = toPage(rows, query.limit, (r) => [r.since.toISOString(), r.id], (r) => r);
  const support = await openSupportSessionsOfShared(db, principal.accountId, page.items.map((r) => r.id));
  return {
    items: page.items.map((r) => {
      const sessions = support.filter((s) => s.shared_session_id === r.id);
      return {
        id: r.id,
        product: r.product,
        user: { id: r.userId, name: r.userName, email: r.userEmail },
        state: sessions.some((s) => s.state === "active") ? ("active" as const) : ("pending" as const),
        since: r.since.toISOString(),
        leaseExpiresAt: r.leaseExpiresAt.toISOString(),
        sessions: sessions.map((s) => ({
          id: s.id,
          state: s.state as "pending" | "active", // open sessions only
          ...(s.mode && { mode: s.mode }),
          ...(s.platform && { platform: s.platform }),
          createdAt: s.created_at.toISOString(),
        })),
      };
    }),
    nextCursor: page.nextCursor,
  };
}

/**
 * POST /shared-sessions/end: when this returns, the seats are free and the head of each
 * queue holds them. The agents hear of it (event, next heartbeat, 409 on their next call)
 * and may not take a seat of the product again during the account's cooldown.
 */
export async function endSharedSessionsByAdmin(engine: Engine, principal: UserPrincipal, ids: string[], reason: string | undefined) {
  const { accountId } = principal;
  const actor = auditActor(principal);
  const wanted = [...new Set(ids)];
  const found = await findSharedSessions(engine.db, accountId, wanted.filter((id) => isId("ss", id)));
  const byProduct = new Map<string, string[]>();
  for (const s of found.filter((s) => s.ended_at === null)) byProduct.set(s.product_id, [...(byProduct.get(s.product_id) ?? []), s.id]);
  const products = await findProductsByIds(engine.db, [...byProduct.keys()]);
  const ended: string[] = [];
  for (const [productId, sessionIds] of byProduct) {
    const product = products.find((p) => p.id === productId)!;
    await engine.db.transaction().execute(async (tx) => {
      const ptx = await PoolTransaction.open(tx, accountId, product);
      if (!ptx) return;
      const result = await ptx.endShared(sessionIds, { actor, reason: reason ?? "admin", reportToAgent: true }, true);
      const cooldownSeconds = ptx.account.ended_cooldown_seconds;
      for (const s of result.ended) {
        ended.push(s.id);
        if (cooldownSeconds > 0) await setCooldown(tx, accountId, productId, s.user_id, new Date(ptx.now.getTime() + cooldownSeconds * 1000));
        const sessionIdsOfShared = result.support.filter((x) => x.shared_session_id === s.id).map((x) => x.id);
        await ptx.audit(actor, "shared_session.ended", { type: "shared_session", id: s.id }, { userId: s.user_id, reason: reason ?? null, sessionIds: sessionIdsOfShared });
        await publish(tx, {
          t: "user",
          a: accountId,
          u: s.user_id,
          e: { type: "session.ended", product: product.slug, sessionIds: sessionIdsOfShared, by: { id: actor.id, name: actor.name }, reason: reason ?? "admin" },
        });
      }
      await ptx.settle();
    });
  }
  return { ended: wanted.filter((id) => ended.includes(id)), notFound: wanted.filter((id) => !ended.includes(id)) };
}

// ---------------------------------------------------------------------------------------
// Hooks for seat changes and user lifecycle (called inside their transactions)

/** A seat was revoked: the user's sessions of the product end and its queue place goes. */
export async function onSeatRevoked(tx: Db, principal: Principal, accountId: string, userId: string, product: ProductRow, reason: string): Promise<void> {
  const ptx = await PoolTransaction.open(tx, accountId, product);
  if (!ptx) return;
  await ptx.endUserSessions(userId, { actor: auditActor(principal), reason, reportToAgent: false });
  await publish(tx, { t: "user", a: accountId, u: userId, e: { type: "seat.revoked", product: product.slug } });
  await ptx.settle();
}

/**
 * A seat changed type. Concurrent → named: the shared session's support sessions move to
 * the named seat and the pool seat is freed. Named → concurrent: open support sessions
 * need a pool seat; with none free for the user, they end.
 */
export async function onSeatTypeChanged(tx: Db, principal: Principal, accountId: string, userId: string, product: ProductRow, to: "named" | "concurrent"): Promise<void> {
  const ptx = await PoolTransaction.open(tx, accountId, product);
  if (!ptx) return;
  const open = await openSupportSessionsOf(tx, accountId, userId, product.id);
  const ids = open.map((s) => s.id);
  if (to === "named") {
    const shared = await openSharedSessionsOf(tx, accountId, userId, product.id);
    await moveSupportSessions(tx, accountId, ids, { type: "named", sharedSessionId: null });
    await ptx.endShared(shared.map((s) => s.id), { actor: auditActor(principal), reason: "seat_changed", reportToAgent: false }, false);
    await leaveQueue(tx, accountId, product.id, [userId]);
  } else if (ids.length > 0) {
    const holder = await readHolder(tx, accountId, userId, product.id);
    const decision = decideCheckout(ptx.pool, holder, ptx.now);
    if (decision.ok && decision.kind === "take") {
      const shared = await insertSharedSession(tx, {
        accountId, id: ptx.newSharedSessionId(), productId: product.id, userId, now: ptx.now,
        leaseExpiresAt: new Date(ptx.now.getTime() + ptx.leaseTtlMs),
      });
      await moveSupportSessions(tx, accountId, ids, { type: "concurrent", sharedSessionId: shared.id });
      if (decision.fromQueue) await leaveQueue(tx, accountId, product.id, [userId]);
    } else {
      await ptx.endUserSessions(userId, { actor: auditActor(principal), reason: "seat_changed", reportToAgent: false });
    }
  }
  await ptx.settle();
}

/** A user was deactivated or deleted: every session of every product ends. */
export async function endAllSessionsOfUser(tx: Db, principal: Principal, accountId: string, userId: string, reason: string): Promise<void> {
  const productIds = new Set<string>([
    ...(await openSupportSessionsOf(tx, accountId, userId)).map((s) => s.product_id),
    ...(await openSharedSessionsOf(tx, accountId, userId)).map((s) => s.product_id),
    ...(await tx.selectFrom("queue_entries").select("product_id").where("account_id", "=", accountId).where("user_id", "=", userId).execute()).map((q) => q.product_id),
  ]);
  for (const product of await findProductsByIds(tx, [...productIds])) {
    const ptx = await PoolTransaction.open(tx, accountId, product);
    if (!ptx) continue;
    await ptx.endUserSessions(userId, { actor: auditActor(principal), reason, reportToAgent: false });
    await ptx.settle();
  }
}

/** Subscription changed: opening the pool settles it, so added seats admit waiters at once. */
export async function onSubscriptionChanged(tx: Db, accountId: string, product: ProductRow): Promise<void> {
  await PoolTransaction.open(tx, accountId, product);
}

/** The agent's place in the queue of each product it holds a concurrent seat of. */
export async function queuePositionsOf(db: Db, accountId: string, userId: string) {
  const now = new Date();
  const assignments = (await listAssignments(db, accountId, [userId])).filter((a) => a.type === "concurrent");
  const out = [];
  for (const a of assignments) {
    const pool: PoolState = { product: a.product, total: 0, occupied: 0, queue: await loadQueue(db, accountId, a.productId) };
    out.push({ productId: a.productId, product: a.product, position: queuePosition(pool, userId, now) });
  }
  return out;
}
