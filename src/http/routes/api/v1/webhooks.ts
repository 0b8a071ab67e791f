import { Type } from "typebox";
import { WEBHOOK_EVENT_TYPES } from "../../../../domain/webhooks.js";
import {
  createWebhook, deleteWebhook, getWebhook, listWebhookDeliveries, listWebhooks, replayWebhookDelivery, rotateWebhookSecret, updateWebhook,
} from "../../../../services/webhook.service.js";
import { secretBox } from "../../../../services/webhook-secret.js";
import { userOf } from "../../../plugins/auth.js";
import { IdParam, NoContent, PageQuery, StringEnum, Timestamp, problems } from "../../../schemas.js";
import type { App, RouteDeps } from "../../../types.js";

const EventType = StringEnum(WEBHOOK_EVENT_TYPES);
const Events = Type.Array(EventType, { minItems: 1, maxItems: WEBHOOK_EVENT_TYPES.length, uniqueItems: true });
const Url = Type.String({ minLength: 1, maxLength: 2000, description: "https:// (http:// and private addresses only when the server allows them)" });
const Description = Type.Union([Type.String({ maxLength: 500 }), Type.Null()]);
const QueueThreshold = Type.Integer({ minimum: 1, maximum: 100_000, description: "queue.waiting_over fires when this many agents wait for a seat of a product (default 5)" });

const Endpoint = Type.Object({
  id: Type.String(),
  url: Type.String(),
  description: Description,
  events: Type.Array(EventType),
  queueThreshold: Type.Integer(),
  enabled: Type.Boolean(),
  secretHint: Type.String({ description: "the first characters of the signing secret" }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
const EndpointListed = Type.Object({
  ...Endpoint.properties,
  pending: Type.Integer({ description: "deliveries not sent yet (or being retried)" }),
  failed: Type.Integer({ description: "deliveries given up after 24 h of retries" }),
});
const EndpointWithSecret = Type.Object({
  ...Endpoint.properties,
  secret: Type.String({ description: "the signing secret (whsec_…), shown only in this answer" }),
});
const Delivery = Type.Object({
  id: Type.String(),
  eventId: Type.String(),
  eventType: EventType,
  status: StringEnum(["pending", "delivered", "failed"]),
  attempts: Type.Integer(),
  createdAt: Timestamp,
  nextAttemptAt: Type.Union([Timestamp, Type.Null()]),
  deliveredAt: Type.Union([Timestamp, Type.Null()]),
  lastStatus: Type.Union([Type.Integer(), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  replayOf: Type.Union([Type.String(), Type.Null()]),
  payload: Type.Record(Type.String(), Type.Unknown(), { description: "the JSON body sent" }),
  log: Type.Array(Type.Object({
    n: Type.Integer(),
    at: Timestamp,
    status: Type.Union([Type.Integer(), Type.Null()]),
    error: Type.Union([Type.String(), Type.Null()]),
    durationMs: Type.Integer(),
  })),
});

export function register(app: App, { db, config }: RouteDeps): void {
  const admin = { access: { auth: "user" as const, admin: true as const } };
  const box = secretBox(config);
  const params = Type.Object({ id: IdParam });

  app.post("/api/v1/webhooks", {
    // Not idempotent on purpose: replaying the answer would mean storing the secret in it.
    config: admin,
    schema: {
      tags: ["webhooks"],
      summary: "Register a webhook endpoint; its signing secret is shown only in this answer",
      description: "Deliveries are POSTs signed with `Seatkeeper-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of \"t.body\">`, retried with exponential backoff for 24 h. See docs/webhooks.md.",
      body: Type.Object({ url: Url, events: Events, description: Type.Optional(Description), queueThreshold: Type.Optional(QueueThreshold), enabled: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
      response: { 201: EndpointWithSecret, ...problems(400, 401, 403) },
    },
    handler: async (request, reply) => reply.code(201).send(await createWebhook(db, config, box, userOf(request), request.body)),
  });

  app.get("/api/v1/webhooks", {
    config: admin,
    schema: { tags: ["webhooks"], summary: "The account's webhook endpoints, without secrets", response: { 200: Type.Object({ items: Type.Array(EndpointListed) }), ...problems(401, 403) } },
    handler: async (request) => listWebhooks(db, userOf(request)),
  });

  app.get("/api/v1/webhooks/:id", {
    config: admin,
    schema: { tags: ["webhooks"], summary: "One webhook endpoint", params, response: { 200: Endpoint, ...problems(401, 403, 404) } },
    handler: async (request) => getWebhook(db, userOf(request), request.params.id),
  });

  app.patch("/api/v1/webhooks/:id", {
    config: admin,
    schema: {
      tags: ["webhooks"],
      summary: "Change a webhook endpoint (a disabled one is sent nothing and collects no new deliveries)",
      params,
      body: Type.Object({ url: Type.Optional(Url), events: Type.Optional(Events), description: Type.Optional(Description), queueThreshold: Type.Optional(QueueThreshold), enabled: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
      response: { 200: Endpoint, ...problems(400, 401, 403, 404) },
    },
    handler: async (request) => updateWebhook(db, config, userOf(request), request.params.id, request.body),
  });

  app.post("/api/v1/webhooks/:id/secret", {
    config: admin,
    schema: { tags: ["webhooks"], summary: "Replace the endpoint's signing secret; the new one is shown only in this answer", params, response: { 200: EndpointWithSecret, ...problems(401, 403, 404) } },
    handler: async (request) => rotateWebhookSecret(db, box, userOf(request), request.params.id),
  });

  app.delete("/api/v1/webhooks/:id", {
    config: admin,
    schema: { tags: ["webhooks"], summary: "Remove a webhook endpoint and its delivery log", params, response: { 204: NoContent, ...problems(401, 403, 404) } },
    handler: async (request, reply) => {
      await deleteWebhook(db, userOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  });

  app.get("/api/v1/webhooks/:id/deliveries", {
    config: admin,
    schema: {
      tags: ["webhooks"],
      summary: "The endpoint's delivery log, newest first, each delivery with its attempts",
      params,
      querystring: Type.Object({ ...PageQuery, status: Type.Optional(StringEnum(["pending", "delivered", "failed"])) }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(Delivery), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...problems(400, 401, 403, 404) },
    },
    handler: async (request) => listWebhookDeliveries(db, userOf(request), request.params.id, request.query),
  });

  app.post("/api/v1/webhooks/:id/deliveries/:delivery/replay", {
    config: admin,
    schema: {
      tags: ["webhooks"],
      summary: "Send a delivery's event again: a new delivery at the end of the endpoint's queue, with the same event id",
      params: Type.Object({ id: IdParam, delivery: IdParam }),
      response: { 202: Delivery, ...problems(401, 403, 404) },
    },
    handler: async (request, reply) => reply.code(202).send(await replayWebhookDelivery(db, userOf(request), request.params.id, request.params.delivery)),
  });
}
