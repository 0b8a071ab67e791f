// The delivery worker, one per process: claims due deliveries (the head of each endpoint's
// queue, SKIP LOCKED, so processes share the work without sending one delivery twice at
// once), sends them outside any transaction — a slow or dead endpoint holds no lock and no
// connection a seat decision needs — and records each attempt. A failed delivery is tried
// again with exponential backoff for 24 h; a process killed mid-send leaves its claim to
// lapse, and another process (or this one, restarted) sends it again: at least once.
import { randomUUID } from "node:crypto";
import type { Config } from "../config.js";
import type { Db } from "../store/database.js";
import { claimDeliveries, expireDeliveries, finishAttempt, type AttemptOutcome, type ClaimedDelivery } from "../store/webhook.repository.js";
import { nextAttemptAt } from "../domain/webhooks.js";
import { send, sign } from "./webhook-delivery.js";
import type { SecretBox } from "./webhook-secret.js";

/** Deliveries one process sends at once (to different endpoints). */
export const MAX_IN_FLIGHT = 16;
/** A claim outlives the attempt's deadline by this much before another worker may take over. */
const CLAIM_MARGIN_MS = 5000;
/** How often a process fails deliveries past their 24 h and drops old log entries. */
const EXPIRE_EVERY_MS = 60_000;
/** How long the delivery log keeps finished deliveries. */
export const LOG_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

export function deliveryId(seq: number): string {
  return `whd_${seq}`;
}

export interface WebhookWorker {
  /** Look for due deliveries now (after a commit that wrote some). */
  wake(): void;
  stop(): Promise<void>;
}

export function startWebhookWorker(db: Db, config: Config, box: SecretBox, onError: (error: unknown) => void): WebhookWorker {
  const { timeoutMs, retryBaseMs, pollMs, allowPrivate, allowHttp } = config.webhooks;
  const claimId = randomUUID();
  const inFlight = new Set<Promise<void>>();
  const aborts = new AbortController();
  let claiming: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  let lastExpiry = 0;

  const deliver = async (d: ClaimedDelivery) => {
    const at = new Date();
    let result: { status: number | null; error: string | null; durationMs: number };
    try {
      const timestamp = Math.floor(at.getTime() / 1000);
      const headers = {
        "seatkeeper-signature": sign(box.open(d.secret_sealed), timestamp, d.body),
        "seatkeeper-event-id": d.event_id,
        "seatkeeper-event-type": d.event_type,
        "seatkeeper-delivery-id": deliveryId(d.seq),
        "seatkeeper-attempt": String(d.attempts),
      };
      result = await send({ url: d.url, body: d.body, headers, timeoutMs, allowPrivate, allowHttp, signal: aborts.signal });
    } catch {
      result = { status: null, error: "the signing secret cannot be opened: was SEATKEEPER_WEBHOOK_KEY changed?", durationMs: 0 };
    }
    const ok = result.status !== null && result.status >= 200 && result.status < 300;
    const now = new Date();
    let outcome: AttemptOutcome = { kind: "delivered" };
    if (stopped && !ok) outcome = { kind: "retry", at: now };
    else if (!ok) {
      const next = nextAttemptAt(d.attempts, now, d.give_up_at, retryBaseMs);
      outcome = next ? { kind: "retry", at: next } : { kind: "failed" };
    }
    await finishAttempt(db, { accountId: d.account_id, seq: d.seq, endpointId: d.endpoint_id, claimId, n: d.attempts, at, ...result, outcome });
  };

  const claim = async () => {
    do {
      again = false;
      const room = MAX_IN_FLIGHT - inFlight.size;
      if (stopped || room <= 0) return;
      const now = new Date();
      if (now.getTime() - lastExpiry > EXPIRE_EVERY_MS) {
        lastExpiry = now.getTime();
        await expireDeliveries(db, now, LOG_RETENTION_MS);
      }
      const claimed = await claimDeliveries(db, now, new Date(now.getTime() + timeoutMs + CLAIM_MARGIN_MS), claimId, room);
      for (const d of claimed) {
        const running: Promise<void> = deliver(d)
          .catch(onError)
          .finally(() => {
            inFlight.delete(running);
            wake();
          });
        inFlight.add(running);
      }
      if (claimed.length === room) again = true;
    } while (again);
  };

  const wake = () => {
    if (stopped) return;
    if (claiming) {
      again = true;
      return;
    }
    claiming = claim()
      .catch(onError)
      .finally(() => (claiming = undefined));
  };

  const timer = setInterval(wake, pollMs);
  timer.unref();
  return {
    wake,
    async stop() {
      stopped = true;
      clearInterval(timer);
      aborts.abort();
      await claiming;
      await Promise.all(inFlight);
    },
  };
}
