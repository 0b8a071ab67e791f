import { Type } from "typebox";
import { DELIVERY_STATUSES, WEBHOOK_EVENT_TYPES } from "../../../../domain/webhook-events.js";
import { page, StringEnum, WebhookDelivery, WebhookEndpoint, WebhookEndpoints, WebhookEndpointWithSecret, WebhookEventTypeName } from "../../../../domain/shapes.js";
import {
  createWebhook, deleteWebhook, getWebhook, listWebhookDeliveries, listWebhooks, replayWebhookDelivery, rotateWebhookSecret, updateWebhook,
} from "../../../../services/webhook.service.js";
import { secretBox } from "../../../../services/webhook-secret.js";
import { userOf } from "../../../plugins/auth.js";
import { IdParam, NoContent, PageQuery, problems } from "../../../schemas.js";
import type { App, RouteDeps } from "../../../types.js";

const Events = Type.Array(WebhookEventTypeName, { minItems: 1, maxItems: WEBHOOK_EVENT_TYPES.length, uniqueItems: true });
const Url = Type.String({ minLength: 1, maxLength: 2000, description: "https:// (http:// and private addresses only when the server allows them)" });
const Description = Type.Union([Type.String({ maxLength: 500 }), Type.Null()]);
const State = StringEnum(DELIVERY_STATUSES);
const QueueThreshold = Type.Integer({ minimum: 1, maximum: 100_000, description: "queue.waiting_over fires when this many agents wait for a seat of a product (default 5)" });

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
      response: { 201: WebhookEndpointWithSecret, ...problems(400, 401, 403) },
    },
    handler: async (request, reply) => reply.code(201).send(await createWebhook(db, config, box, userOf(request), request.body)),
  });

  app.get("/api/v1/webhooks", {
    config: admin,
    schema: { tags: ["webhooks"], summary: "The account's webhook endpoints, without secrets", response: { 200: WebhookEndpoints, ...problems(401, 403) } },
    handler: async (request) => listWebhooks(db, userOf(request)),
  });

  app.get("/api/v1/webhooks/:id", {
    config: admin,
    schema: { tags: ["webhooks"], summary: "One webhook endpoint", params, response: { 200: WebhookEndpoint, ...problems(401, 403, 404) } },
    handler: async (request) => getWebhook(db, userOf(request), request.params.id),
  });

  app.patch("/api/v1/webhooks/:id", {
    config: admin,
    schema: {
      tags: ["webhooks"],
      summary: "Change a webhook endpoint (a disabled one is sent nothing and collects no new deliveries)",
      params,
      body: Type.Object({ url: Type.Optional(Url), events: Type.Optional(Events), description: Type.Optional(Description), queueThreshold: Type.Optional(QueueThreshold), enabled: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
      response: { 200: WebhookEndpoint, ...problems(400, 401, 403, 404) },
    },
    handler: async (request) => updateWebhook(db, config, userOf(request), request.params.id, request.body),
  });

  app.post("/api/v1/webhooks/:id/secret", {
    config: admin,
    schema: { tags: ["webhooks"], summary: "Replace the endpoint's signing secret; the new one is shown only in this answer", params, response: { 200: WebhookEndpointWithSecret, ...problems(401, 403, 404) } },
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
      querystring: Type.Object({ ...PageQuery, state: Type.Optional(State) }, { additionalProperties: false }),
      response: { 200: page(WebhookDelivery), ...problems(400, 401, 403, 404) },
    },
    handler: async (request) => listWebhookDeliveries(db, userOf(request), request.params.id, request.query),
  });

  app.post("/api/v1/webhooks/:id/deliveries/:delivery/replay", {
    config: admin,
    schema: {
      tags: ["webhooks"],
      summary: "Send a delivery's event again: a new delivery at the end of the endpoint's queue, with the same event id",
      params: Type.Object({ id: IdParam, delivery: IdParam }),
      response: { 202: WebhookDelivery, ...problems(401, 403, 404) },
    },
    handler: async (request, reply) => reply.code(202).send(await replayWebhookDelivery(db, userOf(request), request.params.id, request.params.delivery)),
  });
}
