// The agent app's API: seats, support sessions, waiting, heartbeats, release requests, events.
import { Type } from "typebox";
import {
  connectSession, createReleaseRequest, endSession, heartbeat, MAX_WAIT_SECONDS, myReleaseRequests, mySeats, startSession,
} from "../../../../services/agent-session.service.js";
import { streamAgentEvents } from "../../../plugins/agent-events.js";
import { userOf } from "../../../plugins/auth.js";
import { ClosedReleaseRequest, IdParam, SeatType, SignInEmail, Slug, StringEnum, problems } from "../../../schemas.js";
import type { App, RouteDeps } from "../../../types.js";

const SupportSession = Type.Object({
  id: Type.String(),
  product: Type.String(),
  state: StringEnum(["pending", "active", "ended"]),
  supportKey: Type.String({ description: "nine digits the customer types in" }),
  seat: Type.Object({ type: SeatType, leaseExpiresAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]) }),
  mode: Type.Optional(StringEnum(["attended", "unattended"])),
  platform: Type.Optional(StringEnum(["windows", "mac", "ios", "android"])),
  createdAt: Type.String({ format: "date-time" }),
  connectedAt: Type.Optional(Type.String({ format: "date-time" })),
  endedAt: Type.Optional(Type.String({ format: "date-time" })),
});

const MySeat = Type.Object({
  product: Type.String(),
  type: SeatType,
  status: StringEnum(["available", "all_in_use", "holding", "reserved", "cooldown"]),
  message: Type.Optional(Type.String()),
  queuePosition: Type.Optional(Type.Integer({ minimum: 1 })),
  reservedUntil: Type.Optional(Type.String({ format: "date-time" })),
  retryAfter: Type.Optional(Type.Integer()),
});

const SessionParams = Type.Object({ id: IdParam });

export function register(app: App, { engine }: RouteDeps): void {
  const agent = { access: { auth: "user" as const } };

  app.get("/api/v1/me/seats", {
    config: agent,
    schema: { tags: ["agent app"], summary: "My seats and whether I can start a session now", response: { 200: Type.Object({ items: Type.Array(MySeat) }), ...problems(401) } },
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
      return reply.code(201).send(await startSession(engine, userOf(request), request.body.product, request.body.wait, left.signal));
    },
  });

  app.post("/api/v1/me/sessions/:id/connect", {
    config: agent,
    schema: {
      tags: ["agent app"],
      summary: "The customer connected (attended or unattended, on Windows, Mac, iOS or Android)",
      params: SessionParams,
      body: Type.Object(
        { mode: StringEnum(["attended", "unattended"]), platform: StringEnum(["windows", "mac", "ios", "android"]) },
        { additionalProperties: false },
      ),
      response: { 200: SupportSession, ...problems(400, 401, 404, 409) },
    },
    handler: async (request) => connectSession(engine, userOf(request), request.params.id, request.body),
  });

  app.post("/api/v1/me/sessions/:id/end", {
    config: agent,
    schema: {
      tags: ["agent app"],
      summary: "End a support session; the seat is freed with the agent's last open session of the product",
      params: SessionParams,
      response: { 200: SupportSession, ...problems(401, 404, 409) },
    },
    handler: async (request) => endSession(engine, userOf(request), request.params.id),
  });

  app.post("/api/v1/me/heartbeat", {
    config: agent,
    schema: {
      tags: ["agent app"],
      summary: "Keep my leases and queue places alive; hear of sessions an admin ended",
      response: {
        200: Type.Object({
          leases: Type.Array(Type.Object({ product: Type.String(), expiresAt: Type.String({ format: "date-time" }) })),
          ended: Type.Array(
            Type.Object({
              product: Type.String(),
              sessionIds: Type.Array(Type.String()),
              by: Type.Object({ id: Type.Union([Type.String(), Type.Null()]), name: Type.Union([Type.String(), Type.Null()]) }),
              reason: Type.Union([Type.String(), Type.Null()]),
              at: Type.String({ format: "date-time" }),
            }),
          ),
        }),
        ...problems(401),
      },
    },
    handler: async (request) => heartbeat(engine, userOf(request)),
  });

  app.post("/api/v1/me/release-requests", {
    config: { ...agent, idempotent: true },
    schema: {
      tags: ["agent app"],
      summary: "Ask the admins to free a shared seat (S6)",
      body: Type.Object({ product: Slug, message: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
      response: { 201: Type.Object({ id: Type.String(), product: Type.String(), user: Type.Object({ id: Type.String(), name: Type.String(), email: SignInEmail }), message: Type.Union([Type.String(), Type.Null()]), createdAt: Type.String() }), ...problems(400, 401, 403, 404) },
    },
    handler: async (request, reply) => reply.code(201).send(await createReleaseRequest(engine, userOf(request), request.body.product, request.body.message)),
  });

  app.get("/api/v1/me/release-requests", {
    config: agent,
    schema: {
      tags: ["agent app"],
      summary: "Extension: the agent's release requests — open ones, and those of the last 7 days with how they closed and the admin's note",
      response: { 200: Type.Object({ items: Type.Array(ClosedReleaseRequest) }), ...problems(401) },
    },
    handler: async (request) => myReleaseRequests(engine.db, userOf(request)),
  });

  app.get("/api/v1/me/events", {
    config: agent,
    schema: {
      tags: ["agent app"],
      summary: "Server-Sent Events: seat.granted, queue.position, session.ended, seat.revoked, release_request.closed (extension: {product, requestId, outcome, note, by})",
      produces: ["text/event-stream"],
    },
    handler: async (request, reply) => streamAgentEvents(engine, userOf(request), request, reply),
  });
}
