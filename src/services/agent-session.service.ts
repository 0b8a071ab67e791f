// The agent app's use cases: seats, support sessions (start, wait, connect, end), heartbeats,
// sign-out and release requests. Decisions go to the pool's batcher (one transaction for
// every request that arrives meanwhile); waiting happens between decisions, woken by
// signals, never holding a connection; reads take one snapshot and no lock.
import { DomainError, notFound } from "../domain/errors.js";
import { isId, newId } from "../domain/ids.js";
import { ALL_SHARED_SEATS_IN_USE_MESSAGE, type Language } from "../domain/messages.js";
import { queuePosition, seatStatus, type Wait } from "../domain/seat-pool.js";
import type { Db } from "../store/database.js";
import { insertAudit } from "../store/audit.repository.js";
import { findServedRequest, readSeatsOf } from "../store/pool.repository.js";
import { listReleaseRequestsOfAgent, upsertReleaseRequest } from "../store/release-request.repository.js";
import { enqueueWebhooks } from "../store/webhook.repository.js";
import { findAssignment } from "../store/seat.repository.js";
import { heartbeatMany, type HeartbeatResult } from "../store/shared-session.repository.js";
import { findSessionProduct, pendingSessionsOf } from "../store/support-session.repository.js";
import type { ProductRow, UserRow } from "../store/schema.js";
import { auditActor, type Principal, type UserPrincipal } from "./context.js";
import type { Engine } from "./engine.js";
import type { LeaseSigner } from "./lease-keys.service.js";
import { leasesWithTokens } from "./lease-token.service.js";
import { requireProduct } from "./product.service.js";
import { withSeats } from "./seat-pool.service.js";
import { Waker } from "./signals.js";
import { logout } from "./auth.service.js";
import type { Heartbeat, MyReleaseRequests, MySeats, NewReleaseRequest, SignIn, SupportSession } from "../domain/shapes.js";
import { releaseRequestView } from "./shared-session.service.js";
import { supportSessionView } from "./views.js";

export const MAX_WAIT_SECONDS = 60;
/** A waiting request looks again this often even without a signal: a safety net, not a poll loop. */
export const WAIT_RECHECK_MS = 5000;

// ---------------------------------------------------------------------------------------
// Reading seats (no lock, one snapshot)

/** GET /me/seats: one entry per product the user may use. */
export async function mySeats(db: Db, principal: UserPrincipal, lang: Language): Promise<MySeats> {
  const now = new Date();
  const items = (await readSeatsOf(db, principal.accountId, principal.user.id, now)).map((r) => {
    const status = seatStatus({ product: r.product, total: r.total, occupied: r.occupied, queue: r.queue }, { ...r.agent, seat: r.type }, now);
    return {
      product: r.product,
      type: r.type,
      status: status.status,
      ...(status.status === "all_in_use" && { message: ALL_SHARED_SEATS_IN_USE_MESSAGE[lang] }),
      ...(status.status === "all_in_use" && status.queuePosition !== null && { queuePosition: status.queuePosition }),
      ...(status.status === "reserved" && { reservedUntil: status.reservedUntil.toISOString() }),
      ...(status.status === "cooldown" && { retryAfter: status.retryAfter }),
    };
  });
  return { items };
}

/** S5 at sign-in: products where the user has a concurrent seat and no seat is free for it. */
export async function seatNoticesAtLogin(db: Db, user: UserRow, lang: Language): Promise<SignIn["seatNotices"]> {
  const seats = await mySeats(db, { kind: "user", tokenId: "", accountId: user.account_id, user, app: null }, lang);
  return seats.items
    .filter((s) => s.type === "concurrent" && s.status === "all_in_use")
    .map((s) => ({ product: s.product, code: "ALL_SHARED_SEATS_IN_USE" as const, message: ALL_SHARED_SEATS_IN_USE_MESSAGE[lang] }));
}

/** The agent's place in the queue of each product it holds a concurrent seat of (event streams). */
export async function queuePositionsOf(db: Db, accountId: string, userId: string) {
  const now = new Date();
  return (await readSeatsOf(db, accountId, userId, now))
    .filter((r) => r.type === "concurrent")
    .map((r) => ({ productId: r.productId, product: r.product, position: queuePosition({ product: r.product, total: r.total, occupied: r.occupied, queue: r.queue }, userId, now) }));
}

// ---------------------------------------------------------------------------------------
// Starting a support session (and waiting for a seat)

/**
 * POST /me/sessions. Without `wait`, one decision. With `wait` (seconds), the agent joins
 * the product's queue (or keeps its place) and the request returns as soon as a seat is its
 * — woken by a signal, not by polling — or with 409 when the wait ends. Each attempt checks
 * the token again; the wait ends early when the process shuts down or the client leaves.
 */
export async function startSession(
  engine: Engine,
  principal: UserPrincipal,
  productSlug: string,
  waitSeconds: number | undefined,
  signal?: AbortSignal,
): Promise<SupportSession> {
  const product = await engine.products.bySlug(productSlug);
  const { accountId, user, tokenId } = principal;
  const request = { id: newId("wait"), tokenId };
  const decide = async (wait: Wait | null) => {
    const answer = await engine.pools.decide(accountId, product, { kind: "start", userId: user.id, tokenId, wait });
    if (answer.ok) engine.sessionProducts.remember(answer.session.id, product.id);
    return answer;
  };
  if (waitSeconds === undefined) {
    const answer = await decide(null);
    if (answer.ok) return answer.session;
    throw answer.error;
  }
  const until = new Date(Date.now() + waitSeconds * 1000);
  const waker = new Waker(engine.bus, accountId, user.id);
  const stop = () => waker.ring();
  signal?.addEventListener("abort", stop);
  try {
    for (let first = true; ; first = false) {
      // Timed out, shutting down or abandoned: this last attempt ends the wait (its queue
      // place then lasts only while the agent's heartbeats say it is alive).
      const over = Date.now() >= until.getTime() || engine.bus.isClosing || signal?.aborted === true;
      const answer = await decide({ until: over ? new Date(0) : until, first, request });
      if (answer.ok) return answer.session;
      if (!answer.refused || over) throw answer.error;
      await waker.wait(Math.min(until.getTime() - Date.now(), WAIT_RECHECK_MS));
      // A process that freed a seat may have served the request already: one read, no lock.
      const served = await findServedRequest(engine.db, accountId, user.id, request.id);
      if (served) {
        engine.sessionProducts.remember(served.id, product.id);
        return supportSessionView(served, product.slug, served.leaseExpiresAt);
      }
    }
  } finally {
    signal?.removeEventListener("abort", stop);
    waker.close();
  }
}

// ---------------------------------------------------------------------------------------
// Connecting and ending a support session

async function productOfSession(engine: Engine, principal: UserPrincipal, sessionId: string): Promise<ProductRow> {
  if (!isId("sess", sessionId)) throw notFound("support session");
  const productId = engine.sessionProducts.get(sessionId) ?? (await findSessionProduct(engine.db, principal.accountId, principal.user.id, sessionId));
  if (!productId) throw notFound("support session");
  return engine.products.byId(productId);
}

export async function connectSession(
  engine: Engine,
  principal: UserPrincipal,
  sessionId: string,
  connection: { mode: "attended" | "unattended"; platform: "windows" | "mac" | "ios" | "android" },
): Promise<SupportSession> {
  const product = await productOfSession(engine, principal, sessionId);
  const answer = await engine.pools.decide(principal.accountId, product, { kind: "connect", userId: principal.user.id, sessionId, ...connection });
  if (!answer.ok) throw answer.error;
  return answer.session;
}

/** The agent ends a support session; the seat is freed with the last one of the product. */
export async function endSession(engine: Engine, principal: UserPrincipal, sessionId: string): Promise<SupportSession> {
  const product = await productOfSession(engine, principal, sessionId);
  const answer = await engine.pools.decide(principal.accountId, product, { kind: "end", userId: principal.user.id, sessionId, reason: "agent" });
  if (!answer.ok) throw answer.error;
  engine.sessionProducts.forget(sessionId);
  return answer.session;
}

// ---------------------------------------------------------------------------------------
// Heartbeats (batched: one statement for every heartbeat that arrives meanwhile)

export function heartbeatBatch(db: Db) {
  return async (agents: { accountId: string; userId: string }[]): Promise<HeartbeatResult[]> => {
    const unique = [...new Map(agents.map((a) => [`${a.accountId} ${a.userId}`, a])).values()];
    const result = await heartbeatMany(db, unique, new Date());
    return agents.map((a) => ({
      leases: result.leases.filter((l) => l.accountId === a.accountId && l.userId === a.userId),
      named: result.named.filter((n) => n.accountId === a.accountId && n.userId === a.userId),
      // A report goes to one of the agent's heartbeats only: the first in the batch.
      reports: agents.find((b) => b.accountId === a.accountId && b.userId === a.userId) === a
        ? result.reports.filter((r) => r.accountId === a.accountId && r.userId === a.userId)
        : [],
    }));
  };
}

/** Each renewed lease comes back signed (an app verifies it offline). */
export async function heartbeat(engine: Engine, principal: UserPrincipal, signer: LeaseSigner): Promise<Heartbeat> {
  const result = await engine.heartbeats.submit({ accountId: principal.accountId, userId: principal.user.id });
  return {
    leases: await leasesWithTokens(signer, principal, "concurrent", result.leases.map((l) => ({ product: l.product, expiresAt: l.expiresAt.toISOString() }))),
    namedSeats: await leasesWithTokens(signer, principal, "named", result.named.map((n) => ({ product: n.product, expiresAt: n.until.toISOString() }))),
    ended: result.reports.map((r) => ({
      product: r.product,
      sessionIds: r.sessionIds,
      by: { id: r.endedById, name: r.endedByName },
      reason: r.reason,
      at: r.endedAt.toISOString(),
    })),
  };
}

// ---------------------------------------------------------------------------------------
// Sign-out and release requests

/**
 * Signing out revokes the token — its open waits and event streams end, in every process —
 * and, from an agent app, ends the agent's pending support sessions (S4 a).
 */
export async function signOut(engine: Engine, principal: Principal): Promise<void> {
  await endPendingSessionsAtLogout(engine, principal);
  await logout(engine.db, principal);
}

async function endPendingSessionsAtLogout(engine: Engine, principal: Principal): Promise<void> {
  if (principal.kind !== "user" || principal.app === null) return;
  const { accountId, user } = principal;
  const pending = await pendingSessionsOf(engine.db, accountId, user.id);
  if (pending.length === 0) return;
  await engine.db.transaction().execute((tx) =>
    withSeats(tx, accountId, principal, pending.map((s) => s.product_id), async (seats) => {
      for (const productId of seats.productIds) {
        const open = await seats.pool(productId, { userIds: [user.id] });
        for (const s of open!.agent(user.id).sessions.filter((s) => s.state === "pending")) open!.machine.end(user.id, s.id, "logout");
      }
    }),
  );
}

export async function createReleaseRequest(engine: Engine, principal: UserPrincipal, productSlug: string, message: string | undefined): Promise<NewReleaseRequest> {
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
    const view = {
      id: request.id,
      product: product.slug,
      user: { id: user.id, name: user.name, email: user.email },
      message: request.message,
      createdAt: request.created_at.toISOString(),
    };
    await enqueueWebhooks(tx, accountId, [{ id: newId("evt"), type: "release_request.created", createdAt: request.created_at, data: view }]);
    return view;
  });
}

/** How long an agent still sees a closed request of its own. */
export const CLOSED_REQUESTS_SHOWN_MS = 7 * 24 * 3600 * 1000;

/** GET /me/release-requests: the agent's open requests and those of the last days, with the admin's note. */
export async function myReleaseRequests(db: Db, principal: UserPrincipal): Promise<MyReleaseRequests> {
  const rows = await listReleaseRequestsOfAgent(db, principal.accountId, principal.user.id, new Date(Date.now() - CLOSED_REQUESTS_SHOWN_MS));
  return { items: rows.map((r) => releaseRequestView(r, { slug: r.slug, name: r.product_name })) };
}
