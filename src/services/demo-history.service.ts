// The demo's last 24 hours, recorded the way real agents would have recorded them: every
// ask, connection, heartbeat, wait, give-up and end of the day (src/domain/demo-day.ts) goes
// through the seat core (withSeats, at the moment it happened), so the usage chart, the
// shortages and the seat-sizing advice of a fresh demo read what the pool itself wrote.
// One liberty: instead of renewing every lease every 30 s (thousands of heartbeats that
// leave no trace once the day is over), the account's leases last longer than any hold
// while the day is played, and go back to the account's setting after.
import { holdMs, nextAsk, patienceMs, seededRandom, waitsForSeat } from "../domain/demo-day.js";
import { newId } from "../domain/ids.js";
import type { Demand } from "../domain/seat-advice.js";
import type { WaitingRequest } from "../domain/seat-pool.js";
import type { Db } from "../store/database.js";
import type { ProductRow } from "../store/schema.js";
import { findAccount, updateAccount } from "../store/account.repository.js";
import { insertToken, revokeUserTokens } from "../store/token.repository.js";
import { hashToken, newSecretToken } from "./crypto.js";
import { withSeats, type OpenPool, type Wanted } from "./seat-pool.service.js";

export interface RecordedDay {
  /** Every ask as the agents made it: when, how long it would hold a seat, how long it would wait. */
  asks: Demand[];
  served: number;
  refused: number;
  gaveUp: number;
}

type Agent =
  | { state: "idle"; userId: string; tokenId: string; waits: boolean }
  | { state: "holding"; userId: string; tokenId: string; waits: boolean; sessionId: string }
  | { state: "waiting"; userId: string; tokenId: string; waits: boolean; request: WaitingRequest; ask: number };

type Step =
  | { at: number; kind: "ask"; agent: number }
  | { at: number; kind: "give_up"; agent: number }
  | { at: number; kind: "connect"; agent: number; sessionId: string }
  | { at: number; kind: "end"; agent: number; sessionId: string };

/** Longer than any hold of the day (src/domain/demo-day.ts). */
const DAY_LEASE_SECONDS = 2 * 60 * 60;

/**
 * Plays a day of the agents' asks on the product's pool, from `from` to `to`, in the
 * caller's transaction. Agents sign in for it and are signed out at the end.
 */
export async function recordDemoDay(
  tx: Db,
  input: { accountId: string; product: ProductRow; userIds: string[]; from: Date; to: Date; seed: number; hourOf?: (ms: number) => number },
): Promise<RecordedDay> {
  const { accountId, product } = input;
  const random = seededRandom(input.seed);
  const hourOf = input.hourOf ?? ((ms: number) => { const d = new Date(ms); return d.getHours() + d.getMinutes() / 60; });
  const from = input.from.getTime();
  const to = input.to.getTime();

  const agents: Agent[] = [];
  for (const [i, userId] of input.userIds.entries()) {
    const id = newId("tok");
    await insertToken(tx, { tokenHash: hashToken(newSecretToken("skt")), id, kind: "user", accountId, userId, name: null, app: "desktop" });
    agents.push({ state: "idle", userId, tokenId: id, waits: waitsForSeat(i) });
  }

  const steps: Step[] = [];
  const plan = (step: Step) => {
    if (step.at > to) return;
    let i = steps.length;
    while (i > 0 && steps[i - 1].at > step.at) i--;
    steps.splice(i, 0, step);
  };
  const askLater = (agent: number, after: number) => {
    const at = nextAsk(random, after, to - 30 * 60_000, hourOf);
    if (at !== null) plan({ at, kind: "ask", agent });
  };
  const day: RecordedDay = { asks: [], served: 0, refused: 0, gaveUp: 0 };

  const change = async (at: number, wanted: Wanted, decide: (open: OpenPool) => void): Promise<OpenPool> => {
    let opened: OpenPool | undefined;
    await withSeats(tx, accountId, null, [product.id], async (seats) => {
      opened = (await seats.pool(product.id, wanted))!;
      decide(opened);
    }, { now: new Date(at), products: [product] });
    return opened!;
  };

  const connection = (index: number) => ({ mode: "attended", platform: index % 4 === 3 ? "mac" : "windows" });
  /** The agent holds a seat; its customer connects at once, or a little later when it waited. */
  const hold = (index: number, at: number, sessionId: string, ask: number, connected: boolean) => {
    const agent = agents[index];
    agents[index] = { state: "holding", userId: agent.userId, tokenId: agent.tokenId, waits: agent.waits, sessionId };
    day.served++;
    if (!connected) plan({ at: at + 5_000 + Math.round(random() * 40_000), kind: "connect", agent: index, sessionId });
    // The day's last holds end with it: the ask's hold becomes the one it had.
    const held = Math.min(day.asks[ask].holdMs, to - 1_000 - at);
    plan({ at: at + held, kind: "end", agent: index, sessionId });
    day.asks[ask].holdMs = held;
  };
  const idle = (index: number) => {
    const agent = agents[index];
    agents[index] = { state: "idle", userId: agent.userId, tokenId: agent.tokenId, waits: agent.waits };
  };

  const { lease_ttl_seconds: leaseTtlSeconds } = (await findAccount(tx, accountId))!;
  await updateAccount(tx, accountId, { leaseTtlSeconds: DAY_LEASE_SECONDS });
  for (let i = 0; i < agents.length; i++) askLater(i, from - 2 * 60_000);
  while (steps.length > 0) {
    const step = steps.shift()!;
    const at = step.at;
    const index = step.agent;
    const agent = agents[index];
    if (step.kind === "ask") {
      const ask = day.asks.length;
      const patience = agent.waits ? patienceMs(random) : 0;
      day.asks.push({ at, holdMs: holdMs(random), patienceMs: patience });
      const request = { id: newId("wait"), tokenId: agent.tokenId };
      const wait = patience > 0 ? { until: new Date(at + patience), first: true, request } : null;
      let outcome: ReturnType<OpenPool["machine"]["start"]> | undefined;
      await change(at, { userIds: [agent.userId], tokenIds: [agent.tokenId] }, (open) => {
        outcome = open.machine.start(agent.userId, agent.tokenId, wait);
        if (outcome.ok) {
          open.machine.connect(agent.userId, outcome.sessionId);
          open.connections.set(outcome.sessionId, connection(index));
        }
      });
      if (outcome!.ok) {
        hold(index, at, outcome!.sessionId, ask, true);
        continue;
      }
      if (!outcome!.refused) throw outcome!.error;
      day.refused++;
      if (wait) {
        agents[index] = { ...agent, state: "waiting", request, ask };
        plan({ at: at + patience, kind: "give_up", agent: index });
      } else {
        askLater(index, at);
      }
      continue;
    }
    if (step.kind === "give_up") {
      if (agent.state !== "waiting") continue;
      const { request, ask } = agent;
      // The app's last attempt as its wait runs out: served after all, or it leaves the queue.
      let outcome: ReturnType<OpenPool["machine"]["start"]> | undefined;
      await change(at, { userIds: [agent.userId], tokenIds: [agent.tokenId], requestIds: [request.id] }, (open) => {
        outcome = open.machine.start(agent.userId, agent.tokenId, { until: new Date(0), first: false, request });
      });
      if (outcome!.ok) {
        hold(index, at, outcome!.sessionId, ask, false);
        continue;
      }
      day.gaveUp++;
      idle(index);
      askLater(index, at);
      continue;
    }
    if (agent.state !== "holding" || agent.sessionId !== step.sessionId) continue;
    if (step.kind === "connect") {
      await change(at, { userIds: [agent.userId], sessionIds: [step.sessionId] }, (open) => {
        const outcome = open.machine.connect(agent.userId, step.sessionId);
        if (!outcome.ok) throw outcome.error;
        open.connections.set(step.sessionId, connection(index));
      });
      continue;
    }
    const open = await change(at, { userIds: [agent.userId], sessionIds: [step.sessionId], queueHead: 1 }, (pool) => {
      const outcome = pool.machine.end(agent.userId, step.sessionId, "agent");
      if (!outcome.ok) throw outcome.error;
    });
    idle(index);
    askLater(index, at);
    // The seat went to the first waiter at once: that waiter's request is its session now.
    for (const { userId, requestId } of open.machine.writes.served) {
      const waiter = agents.findIndex((a) => a.userId === userId);
      const waiting = agents[waiter];
      if (waiting.state !== "waiting" || waiting.request.id !== requestId) continue;
      hold(waiter, at, open.machine.servedSession(requestId)!.id, waiting.ask, false);
    }
  }
  await updateAccount(tx, accountId, { leaseTtlSeconds });
  await revokeUserTokens(tx, accountId, input.userIds);
  return day;
}
