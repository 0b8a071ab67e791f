// The agent app's API: seats, support sessions, waiting, heartbeats, release requests, events.
import { Type } from "typebox";
import {
  connectSession, createReleaseRequest, endSession, heartbeat, MAX_WAIT_SECONDS, mySeats, startSession,
} from "../../../../services/agent-session.service.js";
import { withLeaseToken } from "../../../../services/lease-token.service.js";
import { streamAgentEvents } from "../../../plugins/agent-events.js";
import { userOf } from "../../../plugins/auth.js";
import { Heartbeat, MySeats, NewReleaseRequest, Platform, SessionMode, SupportSession } from "../../../../domain/shapes.js";
import { IdParam, Slug, problems } from "../../../schemas.js";
import type { App, RouteDeps } from "../../../types.js";

const SessionParams = Type.Object({ id: IdParam });

export function register(app: App, { engine, leases }: RouteDeps): void {
  const agent = { access: { auth: "user" as const } };

  app.get("/api/v1/me/seats", {
    config: agent,
    schema: { tags: ["agent app"], summary: "My seats and whether I can start a session now", response: { 200: MySeats, ...problems(401) } },
    handler: async (request) => mySeats(engine.db, userOf(request), request.lang),
  });

  app.post("/api/v1/me/sessions", {
    config: { ...agent, idempotent: true },
    schema: {
      tags: ["agent app"],
      summary: "Create a support session (takes a concurrent seat); with wait, queue for one",
      description:
        "Without a free seat: 409 ALL_SHARED_SEATS_IN_USE with the S5 message (and queuePosition when queued). " +
        `With wait (1–${MAX_WAIT_SECONDS} s) the request joins the product's FIFO queue, or keeps its place, and answers 201 as soon as a seat is the agent's.`,
      body: Type.Object({ product: Slug, wait: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_WAIT_SECONDS })) }, { additionalProperties: false }),
      response: { 201: SupportSession, ...problems(400, 401, 403, 404, 409) },
    },
    handler: async (request, reply) => {
      // A client that goes away ends its wait: its queue place is then kept only by heartbeats.
      const left = new AbortController();
      reply.raw.on("close", () => {
        if (!reply.raw.writableEnded) left.abort();
      });
      const principal = userOf(request);
      const session = await startSession(engine, principal, request.body.product, request.body.wait, left.signal);
      return reply.code(201).send(await withLeaseToken(engine.db, leases, principal, session));
    },
  });

  app.post("/api/v1/me/sessions/:id/connect", {
    config: agent,
    schema: {
      tags: ["agent app"],
      summary: "The customer connected (attended or unattended, on Windows, Mac, iOS or Android)",
      params: SessionParams,
      body: Type.Object(
        { mode: SessionMode, platform: Platform },
        { additionalProperties: false },
      ),
      response: { 200: SupportSession, ...problems(400, 401, 404, 409) },
    },
    handler: async (request) => withLeaseToken(engine.db, leases, userOf(request), await connectSession(engine, userOf(request), request.params.id, request.body)),
  });

  app.post("/api/v1/me/sessions/:id/end", {
    config: agent,
    schema: {
      tags: ["agent app"],
      summary: "End a support session; the seat is freed with the agent's last open session of the product",
      params: SessionParams,
      response: { 200: SupportSession, ...problems(401, 404, 409) },
    },
    handler: async (request) => withLeaseToken(engine.db, leases, userOf(request), await endSession(engine, userOf(request), request.params.id)),
  });

  app.post("/api/v1/me/heartbeat", {
    config: agent,
    schema: {
      tags: ["agent app"],
      summary: "Keep my leases and queue places alive; hear of sessions an admin ended",
      response: {
        200: Heartbeat,
        ...problems(401),
      },
    },
    handler: async (request) => heartbeat(engine, userOf(request), leases),
  });

  app.post("/api/v1/me/release-requests", {
    config: { ...agent, idempotent: true },
    schema: {
      tags: ["agent app"],
      summary: "Ask the admins to free a shared seat (S6)",
      body: Type.Object({ product: Slug, message: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
      response: { 201: NewReleaseRequest, ...problems(400, 401, 403, 404) },
    },
    handler: async (request, reply) => reply.code(201).send(await createReleaseRequest(engine, userOf(request), request.body.product, request.body.message)),
  });

  app.get("/api/v1/me/events", {
    config: agent,
    schema: {
      tags: ["agent app"],
      summary: "Server-Sent Events: seat.granted, queue.position, session.ended, seat.revoked",
      description:
        "Each data: line is a JSON object with `type`. seat.granted, session.ended and seat.revoked come with an `id:` line; " +
        "a client that reconnects with the header `Last-Event-ID` first gets the events after it (kept for an hour). " +
        "queue.position events carry no id: the current positions are sent when the stream opens. The stream opens with `retry: 1000`.",
      produces: ["text/event-stream"],
    },
    handler: async (request, reply) => streamAgentEvents(engine, userOf(request), request, reply),
  });
}
