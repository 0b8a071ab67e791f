// A random agent workload for race tests: agents start (with and without waiting),
// connect, end and heartbeat; an admin ends shared sessions. Bounded in time.
import assert from "node:assert/strict";

export interface Caller {
  (method: "GET" | "POST", url: string, token: string, body?: unknown): Promise<{ status: number; body: any }>;
}

export interface WorkloadAgent {
  token: string;
}

export interface WorkloadOptions {
  product: string;
  agents: WorkloadAgent[];
  adminToken: string;
  /** One caller per server process; agents are spread over them. */
  callers: Caller[];
  durationMs: number;
}

export interface WorkloadStats {
  requests: number;
  started: number;
  refused: number;
  adminEnded: number;
  statuses: Record<string, number>;
}

const pick = <T>(xs: T[]): T => xs[Math.floor(Math.random() * xs.length)];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const EXPECTED = new Set([200, 201, 204, 409]);

export async function runWorkload(options: WorkloadOptions): Promise<WorkloadStats> {
  const stats: WorkloadStats = { requests: 0, started: 0, refused: 0, adminEnded: 0, statuses: {} };
  const deadline = Date.now() + options.durationMs;
  const call: Caller = async (method, url, token, body) => {
    const caller = options.callers[stats.requests++ % options.callers.length];
    const r = await caller(method, url, token, body);
    stats.statuses[r.status] = (stats.statuses[r.status] ?? 0) + 1;
    assert.ok(EXPECTED.has(r.status), `${method} ${url} → ${r.status} ${JSON.stringify(r.body)}`);
    return r;
  };

  const agentLoop = async (agent: WorkloadAgent) => {
    const open: string[] = [];
    while (Date.now() < deadline) {
      const roll = Math.random();
      if (open.length === 0 || roll < 0.15) {
        const wait = Math.random() < 0.5 ? { wait: 1 + Math.floor(Math.random() * 2) } : {};
        const r = await call("POST", "/api/v1/me/sessions", agent.token, { product: options.product, ...wait });
        if (r.status === 201) {
          stats.started++;
          open.push(r.body.id);
        } else stats.refused++;
      } else if (roll < 0.55) {
        const id = open.splice(Math.floor(Math.random() * open.length), 1)[0];
        await call("POST", `/api/v1/me/sessions/${id}/end`, agent.token);
      } else if (roll < 0.75) {
        const r = await call("POST", `/api/v1/me/sessions/${pick(open)}/connect`, agent.token, { mode: "attended", platform: pick(["windows", "mac", "ios", "android"] as const) });
        if (r.status === 409) open.length = 0;
      } else {
        const r = await call("POST", "/api/v1/me/heartbeat", agent.token);
        if (r.body.ended.length > 0) open.length = 0;
      }
      await sleep(Math.random() * 20);
    }
  };

  const adminLoop = async () => {
    while (Date.now() < deadline) {
      await sleep(200 + Math.random() * 200);
      const list = await call("GET", "/api/v1/shared-sessions?limit=500", options.adminToken);
      if (list.body.items.length === 0) continue;
      const r = await call("POST", "/api/v1/shared-sessions/end", options.adminToken, { ids: [pick(list.body.items as { id: string }[]).id] });
      stats.adminEnded += r.body.ended.length;
    }
  };

  await Promise.all([...options.agents.map(agentLoop), adminLoop()]);
  return stats;
}
