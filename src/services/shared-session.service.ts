// The admin side of shared seats (S6, S9): who holds what, ending shared sessions to free
// seats, and the agents' requests to have one freed.
import { notFound } from "../domain/errors.js";
import { isId } from "../domain/ids.js";
import { waitingEntries, type QueueEntry } from "../domain/seat-pool.js";
import { insertAudit } from "../store/audit.repository.js";
import type { Db } from "../store/database.js";
import { decodeCursor, toPage } from "../store/pagination.js";
import { insertAgentEvent } from "../store/agent-event.repository.js";
import { findProductsByIds } from "../store/product.repository.js";
import { findUser } from "../store/user.repository.js";
import { listQueuePlaces } from "../store/queue.repository.js";
import { closeReleaseRequest, listOpenReleaseRequests } from "../store/release-request.repository.js";
import { findSharedSessions, listOpenSharedSessions } from "../store/shared-session.repository.js";
import { openSupportSessionsOfShared } from "../store/support-session.repository.js";
import { auditActor, type UserPrincipal } from "./context.js";
import { requireProduct } from "./product.service.js";
import { withSeats } from "./seat-pool.service.js";
import { publish } from "./signals.js";
import type { ClosedReleaseRequest, EndedSharedSessions, Page, Queue, ReleaseRequest, SharedSession } from "../domain/shapes.js";

export async function listSharedSessions(db: Db, principal: UserPrincipal, query: { product?: string; limit: number; cursor?: string }): Promise<Page<SharedSession>> {
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
        lastHeartbeatAt: r.lastHeartbeatAt?.toISOString() ?? null,
        idleSince: sessions.some((s) => s.state === "active") ? null : (r.lastConnectionEnded ?? r.since).toISOString(),
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
export async function endSharedSessionsByAdmin(db: Db, principal: UserPrincipal, ids: string[], reason: string | undefined): Promise<EndedSharedSessions> {
  const { accountId } = principal;
  const wanted = [...new Set(ids)];
  const found = (await findSharedSessions(db, accountId, wanted.filter((id) => isId("ss", id)))).filter((s) => s.ended_at === null);
  const ended = await db.transaction().execute((tx) =>
    withSeats(tx, accountId, principal, found.map((s) => s.product_id), async (seats) => {
      const out: string[] = [];
      for (const productId of seats.productIds) {
        const sessions = found.filter((s) => s.product_id === productId).map((s) => ({ id: s.id, userId: s.user_id }));
        out.push(...(await seats.endSharedSessions(productId, sessions, reason)));
      }
      return new Set(out);
    }),
  );
  return { ended: wanted.filter((id) => ended.has(id)), notFound: wanted.filter((id) => !ended.has(id)) };
}

export async function listReleaseRequests(db: Db, principal: UserPrincipal, query: { limit: number; cursor?: string }): Promise<Page<ReleaseRequest>> {
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

/**
 * An admin dismisses a release request, or marks it resolved (a seat was freed), with a
 * note: the agent sees it (GET /me/release-requests, a `release_request.closed` event).
 * A request already closed, unknown or of another account is a 404.
 */
export async function closeReleaseRequestByAdmin(
  db: Db,
  principal: UserPrincipal,
  id: string,
  outcome: "dismissed" | "resolved",
  note: string | undefined,
): Promise<ClosedReleaseRequest> {
  const { accountId } = principal;
  if (!isId("rr", id)) throw notFound("release request");
  const by = { id: principal.user.id, name: principal.user.name };
  return db.transaction().execute(async (tx) => {
    const closed = await closeReleaseRequest(tx, { accountId, id, outcome, note: note ?? null, by, now: new Date() });
    if (!closed) throw notFound("release request");
    const [product] = await findProductsByIds(tx, [closed.product_id]);
    const agent = await findUser(tx, accountId, closed.user_id);
    await insertAudit(tx, accountId, auditActor(principal), {
      action: `release_request.${outcome}`,
      target: { type: "user", id: closed.user_id, ...(agent && { name: agent.name }) },
      details: { product: product.slug, requestId: closed.id, note: closed.note },
    });
    const event = { type: "release_request.closed" as const, product: product.slug, requestId: closed.id, outcome, note: closed.note, by };
    await insertAgentEvent(tx, accountId, closed.user_id, event);
    await publish(tx, { t: "user", a: accountId, u: closed.user_id, e: event });
    return releaseRequestView(closed, product);
  });
}

export function releaseRequestView(
  r: { id: string; message: string | null; created_at: Date; resolved_at: Date | null; outcome: string | null; note: string | null; closed_by_name: string | null },
  product: { slug: string; name: string },
): ClosedReleaseRequest {
  return {
    id: r.id,
    product: product.slug,
    productName: product.name,
    message: r.message,
    createdAt: r.created_at.toISOString(),
    state: r.resolved_at === null ? ("open" as const) : ("closed" as const),
    closedAt: r.resolved_at?.toISOString() ?? null,
    outcome: r.outcome as "seat_granted" | "gave_up" | "dismissed" | "resolved" | null,
    note: r.note,
    closedBy: r.closed_by_name,
  };
}

/** The queue of each product (or one): who waits, in which position, since when, and the seats reserved for someone. */
export async function listQueue(db: Db, principal: UserPrincipal, query: { product?: string }): Promise<Queue> {
  const product = query.product !== undefined ? await requireProduct(db, query.product) : undefined;
  const now = new Date();
  const rows = await listQueuePlaces(db, principal.accountId, product?.id);
  const items = [];
  const bySlug = new Map<string, typeof rows>();
  for (const r of rows) {
    const list = bySlug.get(r.slug);
    if (list) list.push(r);
    else bySlug.set(r.slug, [r]);
  }
  for (const [slug, places] of bySlug) {
    const entries = places.map((row) => ({
      row,
      entry: {
        userId: row.user_id, seq: null, enqueuedAt: row.enqueued_at, heldUntil: row.held_until, waitingUntil: row.waiting_until,
        reservedUntil: row.reserved_until, request: null,
      } satisfies QueueEntry,
    }));
    const waiting = waitingEntries({ product: slug, total: 0, occupied: 0, queue: entries.map((e) => e.entry) }, now);
    for (const { row, entry } of entries) {
      const reserved = entry.reservedUntil !== null && entry.reservedUntil > now;
      const position = waiting.indexOf(entry);
      if (!reserved && position === -1) continue; // a lapsed place the sweeper has not dropped yet
      items.push({
        product: slug,
        user: { id: row.user_id, name: row.name, email: row.email },
        state: reserved ? ("reserved" as const) : ("waiting" as const),
        position: reserved ? null : position + 1,
        since: row.enqueued_at.toISOString(),
        reservedUntil: reserved ? entry.reservedUntil!.toISOString() : null,
        waitingRequest: entry.waitingUntil !== null && entry.waitingUntil > now,
      });
    }
  }
  return { items };
}
