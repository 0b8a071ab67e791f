// GET /me/events: a Server-Sent Events stream per agent. User-targeted events (seat.granted,
// session.ended, seat.revoked) are forwarded as they arrive from any process; queue
// positions are re-read when the agent's pools change and sent when they move. The stream
// ends as soon as its token stops being valid (sign-out, revocation, deactivation,
// deletion: each signals it), and at each keepalive the token is checked again.
import type { FastifyReply, FastifyRequest } from "fastify";
import type { UserPrincipal } from "../../services/context.js";
import { queuePositionsOf } from "../../services/agent-session.service.js";
import type { Engine } from "../../services/engine.js";
import type { AgentEvent } from "../../services/signals.js";
import { isUserTokenValid } from "../../store/token.repository.js";

export const KEEPALIVE_MS = 15_000;

export async function streamAgentEvents(engine: Engine, principal: UserPrincipal, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const { accountId, user } = principal;
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache, no-transform",
    connection: "keep-alive",
    "x-accel-buffering": "no",
  });
  let closed = false;
  const send = (event: AgentEvent) => {
    if (!closed) res.write(`data: ${JSON.stringify(event)}\n\n`);
  };
  res.write(": connected\n\n");

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
  const unsubscribers = [engine.bus.onUser(accountId, user.id, send), engine.bus.onAuth(accountId, user.id, checkToken)];
  const keepalive = setInterval(() => {
    if (!closed) res.write(": keepalive\n\n");
    checkToken();
  }, KEEPALIVE_MS);
  keepalive.unref();
  // Whichever comes first: the agent goes away, or the server shuts down.
  res.on("close", cleanup);
  request.raw.on("close", cleanup);
  unsubscribers.push(engine.bus.onShutdown(end));
  for (const { productId } of await queuePositionsOf(engine.db, accountId, user.id)) {
    if (!closed) unsubscribers.push(engine.bus.onPool(accountId, productId, refreshPositions));
  }
  refreshPositions();
}
