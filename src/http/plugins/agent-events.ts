// GET /me/events: a Server-Sent Events stream per agent. User-targeted events (seat.granted,
// session.ended, seat.revoked) are stored with the seat change that made them; a signal from
// any process says "look again", and the stream sends what it has not sent yet, each with its
// `id:`. A client that reconnects with `Last-Event-ID` first gets what it missed (events are
// kept for an hour). Queue positions are re-read when the agent's pools change and sent when
// they move (they carry no id: the stream sends the current ones when it opens). The stream
// ends as soon as its token stops being valid (sign-out, revocation, deactivation, deletion:
// each signals it), and at each keepalive the token is checked again.
import type { FastifyReply, FastifyRequest } from "fastify";
import { validationFailed } from "../../domain/errors.js";
import type { UserPrincipal } from "../../services/context.js";
import { queuePositionsOf } from "../../services/agent-session.service.js";
import type { Engine } from "../../services/engine.js";
import type { AgentEvent } from "../../services/signals.js";
import { agentEventsAfter, latestAgentEventId } from "../../store/agent-event.repository.js";
import { isUserTokenValid } from "../../store/token.repository.js";

export const KEEPALIVE_MS = 15_000;
/** How soon a client should reconnect after the stream drops (the SSE `retry:` field). */
export const RECONNECT_MS = 1000;
/**
 * Two transactions may commit in the other order than their events' ids: events this recent
 * are read again, and those already sent skipped.
 */
const REORDER_WINDOW_MS = 10_000;

/** The Last-Event-ID header: an event id, or none. */
export function lastEventIdOf(request: FastifyRequest): number | undefined {
  const raw = request.headers["last-event-id"];
  if (raw === undefined || raw === "") return undefined;
  if (typeof raw !== "string" || !/^\d{1,15}$/.test(raw)) throw validationFailed("Last-Event-ID", "lastEventId");
  return Number(raw);
}

export async function streamAgentEvents(engine: Engine, principal: UserPrincipal, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const { accountId, user } = principal;
  const lastEventId = lastEventIdOf(request);
  // Stored events after this one are sent: read before listening, so that none falls
  // between (an id from elsewhere, beyond the user's latest, counts as the latest).
  const latest = await latestAgentEventId(engine.db, accountId, user.id);
  const floor = Math.min(lastEventId ?? latest, latest);
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache, no-transform",
    connection: "keep-alive",
    "x-accel-buffering": "no",
  });
  let closed = false;
  const send = (event: AgentEvent | Record<string, unknown>, id?: number) => {
    if (!closed) res.write(`${id === undefined ? "" : `id: ${id}\n`}data: ${JSON.stringify(event)}\n\n`);
  };
  // The id of the latest stored event comes first: a client that reconnects before any event
  // came sends it back, and gets what happened while it was away.
  res.write(`: connected\nretry: ${RECONNECT_MS}\nid: ${floor}\n\n`);

  let cursor = floor;
  const sent = new Map<number, number>();
  let delivering: Promise<void> = Promise.resolve();
  const deliverStored = () => {
    delivering = delivering.then(async () => {
      if (closed) return;
      const now = Date.now();
      for (const [id, at] of sent) if (now - at > REORDER_WINDOW_MS) sent.delete(id);
      for (const { id, event } of await agentEventsAfter(engine.db, accountId, user.id, cursor, REORDER_WINDOW_MS)) {
        if (id <= floor || sent.has(id)) continue;
        send(event, id);
        sent.set(id, now);
        cursor = Math.max(cursor, id);
      }
    }).catch((error) => request.log.warn({ err: error }, "event delivery failed"));
  };

  const positions = new Map<string, number | null>();
  let refreshing: Promise<void> = Promise.resolve();
  const refreshPositions = () => {
    refreshing = refreshing.then(async () => {
      for (const { productId, product, position } of await queuePositionsOf(engine.db, accountId, user.id)) {
        if (positions.get(productId) !== position && position !== null) send({ type: "queue.position", product, position });
        positions.set(productId, position);
      }
    }).catch((error) => request.log.warn({ err: error }, "queue position refresh failed"));
  };

  const cleanup = () => {
    if (closed) return;
    closed = true;
    clearInterval(keepalive);
    for (const off of unsubscribers) off();
  };
  const end = () => {
    cleanup();
    res.end();
  };
  const checkToken = () => {
    isUserTokenValid(engine.db, accountId, principal.tokenId)
      .then((valid) => {
        if (!valid) end();
      })
      .catch((error) => request.log.warn({ err: error }, "token check failed"));
  };
  const unsubscribers = [engine.bus.onUser(accountId, user.id, deliverStored), engine.bus.onAuth(accountId, user.id, checkToken)];
  const keepalive = setInterval(() => {
    if (!closed) res.write(": keepalive\n\n");
    checkToken();
  }, KEEPALIVE_MS);
  keepalive.unref();
  // Whichever comes first: the agent goes away, or the server shuts down.
  res.on("close", cleanup);
  request.raw.on("close", cleanup);
  unsubscribers.push(engine.bus.onShutdown(end));
  deliverStored();
  for (const { productId } of await queuePositionsOf(engine.db, accountId, user.id)) {
    if (!closed) unsubscribers.push(engine.bus.onPool(accountId, productId, refreshPositions));
  }
  refreshPositions();
}
