// The admin side of shared seats (S6, S9): who holds what, ending shared sessions to free
// seats, and the agents' requests to have one freed.
import { isId } from "../domain/ids.js";
import type { Db } from "../store/database.js";
import { decodeCursor, toPage } from "../store/pagination.js";
import { listOpenReleaseRequests } from "../store/release-request.repository.js";
import { findSharedSessions, listOpenSharedSessions } from "../store/shared-session.repository.js";
import { openSupportSessionsOfShared } from "../store/support-session.repository.js";
import type { UserPrincipal } from "./context.js";
import { requireProduct } from "./product.service.js";
import { withSeats } from "./seat-pool.service.js";
import type { EndedSharedSessions, Page, ReleaseRequest, SharedSession } from "../domain/shapes.js";

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
