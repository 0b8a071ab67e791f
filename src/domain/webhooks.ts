// Webhooks: what an account can subscribe to, what a delivery carries, when a failed one is
// tried again, and which targets a delivery may reach. Pure: the service signs and sends.
import { isIP } from "node:net";
import type { WebhookEventType } from "./webhook-events.js";

export { WEBHOOK_EVENT_TYPES, type WebhookEventType } from "./webhook-events.js";

/** queue.waiting_over fires when the number of agents waiting for a seat of a product rises to an endpoint's threshold. */
export const DEFAULT_QUEUE_THRESHOLD = 5;
/** A delivery is tried again until this long after its event, then marked failed. */
export const RETRY_WINDOW_MS = 24 * 60 * 60 * 1000;
/** The longest pause between two attempts. */
export const MAX_BACKOFF_MS = 60 * 60 * 1000;
/** A receiver rejects a signature older than this (replay protection); the documented default. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export interface WebhookEvent {
  id: string;
  type: WebhookEventType;
  createdAt: Date;
  data: Record<string, unknown>;
  /** For queue.waiting_over: the number waiting before and after the change (endpoints compare their threshold). */
  waiting?: { before: number; after: number };
}

/** The JSON body of a delivery: the same for every endpoint an event goes to. */
export function eventBody(accountId: string, event: WebhookEvent): string {
  return JSON.stringify({ id: event.id, type: event.type, createdAt: event.createdAt.toISOString(), account: accountId, data: event.data });
}

/**
 * When the next attempt is due after `attempts` failed ones: base · 2^(attempts−1), at most
 * an hour; null when that falls after the retry window (the delivery has failed for good).
 */
export function nextAttemptAt(attempts: number, now: Date, giveUpAt: Date, baseMs: number): Date | null {
  const delay = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.min(30, Math.max(0, attempts - 1)));
  const next = new Date(now.getTime() + delay);
  return next > giveUpAt ? null : next;
}

/** The signature header's value: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">` (the MAC is the caller's). */
export function signatureHeader(timestamp: number, mac: string): string {
  return `t=${timestamp},v1=${mac}`;
}

/** The text a signature is computed over. */
export function signedPayload(timestamp: number, body: string): string {
  return `${timestamp}.${body}`;
}

function ipv4Private(address: string): boolean {
  const [a, b] = address.split(".").map(Number);
  return (
    a === 0 || a === 10 || a === 127 || a >= 224 ||
    (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT
    (a === 169 && b === 254) || // link-local, cloud metadata
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0) ||
    (a === 198 && (b === 18 || b === 19))
  );
}

/**
 * True for addresses a webhook must not reach from a server (SSRF): loopback, private,
 * link-local (cloud metadata at 169.254.169.254), carrier-grade NAT, multicast, unspecified,
 * IPv6 unique-local and IPv4-mapped forms of those.
 */
export function isPrivateAddress(address: string): boolean {
  const kind = isIP(address);
  if (kind === 4) return ipv4Private(address);
  if (kind !== 6) return true;
  const a = address.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (mapped) return ipv4Private(mapped[1]);
  if (a === "::" || a === "::1") return true;
  const first = parseInt(a.split(":")[0] || "0", 16);
  return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80 || (first & 0xff00) === 0xff00 || a.startsWith("::ffff:") || a.startsWith("64:ff9b:");
}

export type TargetProblem = "url" | "scheme" | "credentials" | "privateAddress";

/** What is wrong with a webhook URL before any lookup; null when it may be registered. */
export function checkTargetUrl(raw: string, allow: { http: boolean; privateTargets: boolean }): { problem: TargetProblem } | { url: URL } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { problem: "url" };
  }
  if (url.protocol !== "https:" && !(allow.http && url.protocol === "http:")) return { problem: "scheme" };
  if (url.username || url.password) return { problem: "credentials" };
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (!allow.privateTargets && (host === "localhost" || host.endsWith(".localhost") || (isIP(host) !== 0 && isPrivateAddress(host)))) {
    return { problem: "privateAddress" };
  }
  return { url };
}
