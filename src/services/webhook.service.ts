// Webhook endpoints of an account (admins only): registered with the events they want, a
// signing secret shown once, a delivery log and replay. Deliveries themselves: the outbox
// rows seat changes write (src/store/webhook.repository.ts) and the worker that sends them.
import type { Config } from "../config.js";
import { notFound, validationFailed } from "../domain/errors.js";
import { isId, newId } from "../domain/ids.js";
import { checkTargetUrl, DEFAULT_QUEUE_THRESHOLD, type WebhookEventType } from "../domain/webhooks.js";
import type { Page, WebhookDelivery, WebhookEndpoint, WebhookEndpoints, WebhookEndpointWithSecret } from "../domain/shapes.js";
import type { Db } from "../store/database.js";
import { insertAudit } from "../store/audit.repository.js";
import type { WebhookEndpointRow } from "../store/schema.js";
import {
  attemptsOf, deleteEndpoint, findDelivery, findEndpoint, insertEndpoint, listDeliveries, listEndpoints, replayDelivery, updateEndpoint,
} from "../store/webhook.repository.js";
import { auditActor, type UserPrincipal } from "./context.js";
import { checkResolvedHost } from "./webhook-delivery.js";
import { deliveryId } from "./webhook-worker.js";
import { newWebhookSecret, type SecretBox } from "./webhook-secret.js";

export interface EndpointInput {
  url: string;
  events: WebhookEventType[];
  description?: string | null;
  queueThreshold?: number;
  enabled?: boolean;
}

function endpointView(r: WebhookEndpointRow): WebhookEndpoint {
  return {
    id: r.id,
    url: r.url,
    description: r.description,
    events: r.events as WebhookEventType[],
    queueThreshold: r.queue_threshold,
    enabled: r.enabled,
    secretHint: r.secret_hint,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** The SSRF guard at registration: scheme, literal address, and where the name resolves now. */
async function checkUrl(config: Config, raw: string): Promise<string> {
  const { allowHttp, allowPrivate } = config.webhooks;
  const checked = checkTargetUrl(raw, { http: allowHttp, privateTargets: allowPrivate });
  if ("problem" in checked) {
    const key = { url: "webhookUrl", scheme: "webhookScheme", credentials: "webhookCredentials", privateAddress: "webhookPrivateAddress" }[checked.problem];
    throw validationFailed("url", key, { address: "" });
  }
  const resolved = await checkResolvedHost(checked.url, allowPrivate);
  if (resolved?.problem === "privateAddress") throw validationFailed("url", "webhookPrivateAddress", { address: resolved.address });
  if (resolved?.problem === "unresolved") throw validationFailed("url", "webhookUnresolved", { host: checked.url.hostname });
  return checked.url.href;
}

const hint = (secret: string) => `${secret.slice(0, 10)}…`;

export async function createWebhook(db: Db, config: Config, box: SecretBox, principal: UserPrincipal, input: EndpointInput): Promise<WebhookEndpointWithSecret> {
  const url = await checkUrl(config, input.url);
  const secret = newWebhookSecret();
  const now = new Date();
  return db.transaction().execute(async (tx) => {
    const row = await insertEndpoint(tx, {
      account_id: principal.accountId,
      id: newId("whk"),
      url,
      description: input.description ?? null,
      events: [...new Set(input.events)],
      queue_threshold: input.queueThreshold ?? DEFAULT_QUEUE_THRESHOLD,
      secret_sealed: box.seal(secret),
      secret_hint: hint(secret),
      enabled: input.enabled ?? true,
      created_at: now,
      updated_at: now,
    });
    await insertAudit(tx, principal.accountId, auditActor(principal), { action: "webhook.created", target: { type: "webhook", id: row.id, name: url }, details: { events: row.events } });
    return { ...endpointView(row), secret };
  });
}

export async function listWebhooks(db: Db, principal: UserPrincipal): Promise<WebhookEndpoints> {
  return { items: (await listEndpoints(db, principal.accountId)).map((r) => ({ ...endpointView(r), pending: r.pending, failed: r.failed })) };
}

async function requireEndpoint(db: Db, accountId: string, id: string): Promise<WebhookEndpointRow> {
  const row = isId("whk", id) ? await findEndpoint(db, accountId, id) : undefined;
  if (!row) throw notFound("webhook");
  return row;
}

export async function getWebhook(db: Db, principal: UserPrincipal, id: string): Promise<WebhookEndpoint> {
  return endpointView(await requireEndpoint(db, principal.accountId, id));
}

export async function updateWebhook(db: Db, config: Config, principal: UserPrincipal, id: string, patch: Partial<EndpointInput>): Promise<WebhookEndpoint> {
  await requireEndpoint(db, principal.accountId, id);
  const url = patch.url !== undefined ? await checkUrl(config, patch.url) : undefined;
  return db.transaction().execute(async (tx) => {
    const row = await updateEndpoint(tx, principal.accountId, id, {
      ...(url !== undefined && { url }),
      ...(patch.events !== undefined && { events: [...new Set(patch.events)] }),
      ...(patch.description !== undefined && { description: patch.description }),
      ...(patch.queueThreshold !== undefined && { queue_threshold: patch.queueThreshold }),
      ...(patch.enabled !== undefined && { enabled: patch.enabled }),
    }, new Date());
    if (!row) throw notFound("webhook");
    await insertAudit(tx, principal.accountId, auditActor(principal), { action: "webhook.updated", target: { type: "webhook", id, name: row.url }, details: { fields: Object.keys(patch) } });
    return endpointView(row);
  });
}

/** A new signing secret, shown once; the old one stops signing at once. */
export async function rotateWebhookSecret(db: Db, box: SecretBox, principal: UserPrincipal, id: string): Promise<WebhookEndpointWithSecret> {
  await requireEndpoint(db, principal.accountId, id);
  const secret = newWebhookSecret();
  return db.transaction().execute(async (tx) => {
    const row = await updateEndpoint(tx, principal.accountId, id, { secret_sealed: box.seal(secret), secret_hint: hint(secret) }, new Date());
    if (!row) throw notFound("webhook");
    await insertAudit(tx, principal.accountId, auditActor(principal), { action: "webhook.secret_rotated", target: { type: "webhook", id, name: row.url } });
    return { ...endpointView(row), secret };
  });
}

export async function deleteWebhook(db: Db, principal: UserPrincipal, id: string): Promise<void> {
  const row = await requireEndpoint(db, principal.accountId, id);
  await db.transaction().execute(async (tx) => {
    if (!(await deleteEndpoint(tx, principal.accountId, id))) throw notFound("webhook");
    await insertAudit(tx, principal.accountId, auditActor(principal), { action: "webhook.deleted", target: { type: "webhook", id, name: row.url } });
  });
}

function parseDeliveryId(id: string): number | null {
  const m = /^whd_([1-9]\d{0,15})$/.exec(id);
  return m ? Number(m[1]) : null;
}

type DeliveryRow = Awaited<ReturnType<typeof listDeliveries>>[number];

function deliveryView(d: DeliveryRow, attempts: Awaited<ReturnType<typeof attemptsOf>>): WebhookDelivery {
  return {
    id: deliveryId(d.seq),
    eventId: d.event_id,
    eventType: d.event_type as WebhookEventType,
    state: d.status,
    attempts: d.attempts,
    createdAt: d.created_at.toISOString(),
    nextAttemptAt: d.status === "pending" ? d.next_attempt_at.toISOString() : null,
    deliveredAt: d.delivered_at?.toISOString() ?? null,
    lastStatus: d.last_status,
    lastError: d.last_error,
    replayOf: d.replay_of === null ? null : deliveryId(d.replay_of),
    payload: JSON.parse(d.body) as Record<string, unknown>,
    log: attempts.filter((a) => a.delivery_seq === d.seq).map((a) => ({ n: a.n, at: a.at.toISOString(), status: a.status, error: a.error, durationMs: a.duration_ms })),
  };
}

/** The endpoint's deliveries, newest first, each with its attempts. */
export async function listWebhookDeliveries(db: Db, principal: UserPrincipal, id: string, query: { limit: number; cursor?: string; state?: "pending" | "delivered" | "failed" }): Promise<Page<WebhookDelivery>> {
  await requireEndpoint(db, principal.accountId, id);
  let before: number | undefined;
  if (query.cursor !== undefined && query.cursor !== "") {
    const seq = parseDeliveryId(query.cursor);
    if (seq === null) throw validationFailed("cursor", "cursor");
    before = seq;
  }
  const rows = await listDeliveries(db, principal.accountId, id, { before, limit: query.limit, status: query.state });
  const items = rows.slice(0, query.limit);
  const attempts = await attemptsOf(db, principal.accountId, items.map((d) => d.seq));
  return { items: items.map((d) => deliveryView(d, attempts)), nextCursor: rows.length > query.limit ? deliveryId(items[items.length - 1].seq) : null };
}

/** Sends a delivery's event again, as a new delivery at the end of the endpoint's queue (same event id: receivers deduplicate). */
export async function replayWebhookDelivery(db: Db, principal: UserPrincipal, id: string, delivery: string): Promise<WebhookDelivery> {
  await requireEndpoint(db, principal.accountId, id);
  const seq = parseDeliveryId(delivery);
  const found = seq === null ? undefined : await findDelivery(db, principal.accountId, id, seq);
  if (!found) throw notFound("delivery");
  return db.transaction().execute(async (tx) => {
    const row = await replayDelivery(tx, principal.accountId, id, found.seq, new Date());
    if (!row) throw notFound("delivery");
    await insertAudit(tx, principal.accountId, auditActor(principal), {
      action: "webhook.delivery_replayed", target: { type: "webhook", id }, details: { delivery: deliveryId(found.seq), replay: deliveryId(row.seq), eventId: row.event_id },
    });
    return deliveryView(row, []);
  });
}
