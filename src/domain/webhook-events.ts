// The events an account's webhook endpoints can subscribe to (docs/webhooks.md). No imports:
// the response shapes (and through them the admin center's build) read this list.
export const WEBHOOK_EVENT_TYPES = [
  "pool.exhausted",
  "pool.available",
  "queue.waiting_over",
  "release_request.created",
  "shared_session.ended_by_admin",
  "lease.expired",
  "subscription.changed",
  "seat.granted",
  "seat.revoked",
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const DELIVERY_STATUSES = ["pending", "delivered", "failed"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
