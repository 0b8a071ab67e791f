// The agents' hot path, batched per pool: start, connect and end requests for one product's
// pool that arrive while a decision transaction for it is running are decided together in
// the next one — one seat lock, the pure rules over the whole batch in arrival order,
// set-based writes, one commit (group commit). Each process batches its own requests; the
// seat lock serialises batches across processes.
import { DomainError, notFound } from "../domain/errors.js";
import type { Wait } from "../domain/seat-pool.js";
import type { Db } from "../store/database.js";
import type { ProductRow, SupportSessionRow } from "../store/schema.js";
import { GroupCommit } from "./group-commit.js";
import { withSeats, type OpenPool } from "./seat-pool.service.js";
import type { SupportSession } from "../domain/shapes.js";
import { supportSessionView } from "./views.js";

export type PoolRequest =
  | { kind: "start"; userId: string; tokenId: string; wait: Wait | null }
  | { kind: "connect"; userId: string; sessionId: string; mode: "attended" | "unattended"; platform: "windows" | "mac" | "ios" | "android" }
  | { kind: "end"; userId: string; sessionId: string; reason: string };

export type PoolAnswer =
  | { ok: true; session: SupportSession }
  | { ok: false; error: DomainError; refused: boolean };

const answerError = (error: DomainError, refused = false): PoolAnswer => ({ ok: false, error, refused });

/** Serialization failures and deadlocks are retried; a batch that fails otherwise is retried item by item. */
const RETRYABLE = new Set(["40001", "40P01"]);
const MAX_ATTEMPTS = 3;

export class PoolBatcher {
  private readonly queues = new Map<string, GroupCommit<PoolRequest, PoolAnswer>>();

  constructor(private readonly db: Db) {}

  decide(accountId: string, product: ProductRow, request: PoolRequest): Promise<PoolAnswer> {
    const key = `${accountId}:${product.id}`;
    let queue = this.queues.get(key);
    if (!queue) {
      queue = new GroupCommit((requests) => this.decideBatch(accountId, product, requests));
      this.queues.set(key, queue);
    }
    return queue.submit(request);
  }

  private async decideBatch(accountId: string, product: ProductRow, requests: PoolRequest[]): Promise<PoolAnswer[]> {
    try {
      return await this.attempt(accountId, product, requests);
    } catch (error) {
      // One bad request must not fail the others: decide them one by one.
      if (requests.length === 1) throw error;
      const answers: PoolAnswer[] = [];
      for (const request of requests) answers.push(...(await this.attempt(accountId, product, [request])));
      return answers;
    }
  }

  private async attempt(accountId: string, product: ProductRow, requests: PoolRequest[]): Promise<PoolAnswer[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction().execute((tx) =>
          withSeats(tx, accountId, null, [product.id], async (seats) => {
            const open = await seats.pool(product.id, {
              userIds: requests.map((r) => r.userId),
              sessionIds: requests.flatMap((r) => (r.kind === "start" ? [] : [r.sessionId])),
              tokenIds: requests.flatMap((r) => (r.kind === "start" ? [r.tokenId] : [])),
              requestIds: requests.flatMap((r) => (r.kind === "start" && r.wait ? [r.wait.request.id] : [])),
              queueHead: requests.filter((r) => r.kind === "end").length,
            });
            if (!open) return requests.map(() => answerError(new DomainError("NO_SEAT_ASSIGNED", { product: product.slug })));
            return requests.map((r) => decideOne(open, r));
          }, { products: [product] }),
        );
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS || !RETRYABLE.has((error as { code?: string }).code ?? "")) throw error;
      }
    }
  }
}

function decideOne(open: OpenPool, request: PoolRequest): PoolAnswer {
  const slug = open.product.slug;
  if (request.kind === "start") {
    if (!open.validTokens.has(request.tokenId)) {
      if (request.wait !== null) open.machine.closeWait(request.userId);
      return answerError(new DomainError("UNAUTHENTICATED"));
    }
    // Served meanwhile by a process that freed a seat for it: that session is the answer.
    const served = request.wait && open.served.get(request.wait.request.id);
    if (served) return { ok: true, session: supportSessionView(served, slug, served.leaseExpiresAt) };
    const servedNow = request.wait && open.machine.servedSession(request.wait.request.id);
    if (servedNow) return { ok: true, session: startedView(open, servedNow.id, servedNow.supportKey, servedNow.seat, open.machine.leaseExpiresAt) };
    const outcome = open.machine.start(request.userId, request.tokenId, request.wait);
    if (!outcome.ok) return answerError(outcome.error, outcome.refused);
    return { ok: true, session: startedView(open, outcome.sessionId, outcome.supportKey, outcome.seat, outcome.leaseExpiresAt) };
  }
  const row = open.sessions.get(request.sessionId);
  if (!row || row.user_id !== request.userId || row.product_id !== open.product.id) return answerError(notFound("support session"));
  if (request.kind === "connect") {
    const outcome = open.machine.connect(request.userId, request.sessionId);
    if (!outcome.ok) return answerError(outcome.error);
    open.connections.set(request.sessionId, { mode: request.mode, platform: request.platform });
    const connected: SupportSessionRow = { ...row, state: "active", mode: request.mode, platform: request.platform, connected_at: row.connected_at ?? open.now };
    return { ok: true, session: supportSessionView(connected, slug, outcome.leaseExpiresAt) };
  }
  const outcome = open.machine.end(request.userId, request.sessionId, request.reason);
  if (!outcome.ok) return answerError(outcome.error);
  const ended: SupportSessionRow = { ...row, state: "ended", ended_at: open.now, end_reason: request.reason };
  return { ok: true, session: supportSessionView(ended, slug, null) };
}

function startedView(open: OpenPool, id: string, supportKey: string, seat: "named" | "concurrent", leaseExpiresAt: Date | null): SupportSession {
  return {
    id,
    product: open.product.slug,
    state: "pending",
    supportKey,
    seat: { type: seat, leaseExpiresAt: seat === "named" ? null : leaseExpiresAt?.toISOString() ?? null },
    createdAt: open.now.toISOString(),
  };
}
