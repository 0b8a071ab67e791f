// Frees what nobody frees by hand: leases whose app went silent, support sessions never
// connected within the pending timeout, lapsed reservations and abandoned queue places.
// Every process runs one; only the leader (a session advisory lock on PostgreSQL) sweeps,
// and each pool is swept in its own transaction that skips a pool someone else holds (the
// holder settles it anyway: loading a pool ends its expired leases).
import type { DatabaseHandle } from "../store/database.js";
import { purgeAgentEvents } from "../store/agent-event.repository.js";
import { purgeIdempotencyKeys } from "../store/idempotency.repository.js";
import { purgeLoginFailures } from "../store/login-throttle.repository.js";
import { poolsWithLapsedPlaces } from "../store/queue.repository.js";
import { poolsWithExpiredLeases } from "../store/shared-session.repository.js";
import { timedOutPendingSessions } from "../store/support-session.repository.js";
import { withSeats } from "./seat-pool.service.js";
import { reclaimDormantAutomatically } from "./dormant-seat.service.js";

/** The advisory lock key of the sweeper's leadership ("seatkeep" in ASCII, folded). */
export const SWEEPER_LOCK_KEY = 0x5ea7_4ee9;
const RETENTION_MS = 24 * 60 * 60 * 1000;
/** An event stream that reconnects (Last-Event-ID) within this time gets what it missed. */
export const AGENT_EVENT_RETENTION_MS = 60 * 60 * 1000;
const PURGE_EVERY_MS = 60_000;

export interface SweepResult {
  pools: number;
  pendingTimedOut: number;
}

/** One pass over every pool that has something to free. */
export async function sweepOnce(database: DatabaseHandle, now = new Date()): Promise<SweepResult> {
  const db = database.db;
  const pending = await timedOutPendingSessions(db, now);
  const pools = new Map<string, { accountId: string; productId: string }>();
  for (const p of [...(await poolsWithExpiredLeases(db, now)), ...(await poolsWithLapsedPlaces(db, now)), ...pending]) {
    pools.set(`${p.account_id}:${p.product_id}`, { accountId: p.account_id, productId: p.product_id });
  }
  let pendingTimedOut = 0;
  for (const { accountId, productId } of pools.values()) {
    const timedOut = pending.filter((s) => s.account_id === accountId && s.product_id === productId);
    await db.transaction().execute((tx) =>
      withSeats(tx, accountId, null, [productId], async (seats) => {
        // Opening the pool ends expired leases and drops lapsed places.
        const open = await seats.pool(productId, { userIds: timedOut.map((s) => s.user_id) });
        if (!open) return;
        for (const s of timedOut) {
          // Still pending now (it may have connected or ended since it was listed)?
          if (!open.agent(s.user_id).sessions.some((x) => x.id === s.id && x.state === "pending")) continue;
          open.machine.end(s.user_id, s.id, "pending_timeout");
          pendingTimedOut++;
        }
      }, { skipLocked: true }),
    );
  }
  return { pools: pools.size, pendingTimedOut };
}

export function startSweeper(database: DatabaseHandle, intervalMs: number, onError: (error: unknown) => void): () => Promise<void> {
  let running: Promise<void> | undefined;
  let lastPurge = 0;
  const tick = async () => {
    if (!(await database.side.tryLead(SWEEPER_LOCK_KEY))) return;
    await sweepOnce(database);
    if (Date.now() - lastPurge > PURGE_EVERY_MS) {
      lastPurge = Date.now();
      await purgeLoginFailures(database.db, new Date(Date.now() - RETENTION_MS));
      await purgeIdempotencyKeys(database.db, new Date(Date.now() - RETENTION_MS));
      await reclaimDormantAutomatically(database.db);
      await purgeAgentEvents(database.db, new Date(Date.now() - AGENT_EVENT_RETENTION_MS));
    }
  };
  const timer = setInterval(() => {
    // A slow pass is not doubled up: the next tick comes after it.
    running ??= tick()
      .catch(onError)
      .finally(() => (running = undefined));
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
