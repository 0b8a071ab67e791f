// An independent checker: reads the database every few milliseconds, in one consistent
// snapshot each time, and asserts the seat invariants that no interleaving may break.
import { sql } from "kysely";
import type { Db } from "../../src/store/database.js";

export interface CheckerReport {
  samples: number;
  violations: string[];
  maxOccupied: number;
  maxWaiting: number;
}

export function startChecker(db: Db, accountId: string, productId: string, total: number, intervalMs = 5) {
  const report: CheckerReport = { samples: 0, violations: [], maxOccupied: 0, maxWaiting: 0 };
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      await db
        .transaction()
        .setIsolationLevel("repeatable read")
        .execute(async (tx) => {
          const now = (await sql<{ now: Date }>`SELECT now() AS now`.execute(tx)).rows[0].now;
          const open = await tx
            .selectFrom("shared_sessions")
            .select(["user_id"])
            .where("account_id", "=", accountId)
            .where("product_id", "=", productId)
            .where("ended_at", "is", null)
            .execute();
          const queue = await tx
            .selectFrom("queue_entries")
            .select(["user_id", "seq", "reserved_until"])
            .where("account_id", "=", accountId)
            .where("product_id", "=", productId)
            .orderBy("seq")
            .execute();
          report.samples++;
          const users = open.map((o) => o.user_id);
          if (users.length > total) report.violations.push(`occupied ${users.length} > total ${total}`);
          if (new Set(users).size !== users.length) report.violations.push("an agent holds two seats of one product");
          const reserved = queue.filter((q) => q.reserved_until !== null && q.reserved_until > now);
          const waiting = queue.filter((q) => q.reserved_until === null);
          report.maxOccupied = Math.max(report.maxOccupied, users.length);
          report.maxWaiting = Math.max(report.maxWaiting, waiting.length);
          if (reserved.length > 0 && waiting.length > 0 && Math.max(...reserved.map((r) => Number(r.seq))) > Math.min(...waiting.map((w) => Number(w.seq)))) {
            report.violations.push("a later waiter was served before an earlier one (FIFO)");
          }
          if (waiting.length > 0 && users.length + reserved.length < total) {
            report.violations.push(`a seat is free (${users.length} + ${reserved.length} of ${total}) while ${waiting.length} wait`);
          }
          if (users.some((u) => waiting.some((w) => w.user_id === u))) report.violations.push("an agent holds a seat and waits for one");
        });
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return {
    async stop(): Promise<CheckerReport> {
      stopped = true;
      await loop;
      return report;
    },
  };
}
