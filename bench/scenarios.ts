// What `npm run bench` measures. Each variant is one row of its scenario's table.
import type { Workload } from "./load.js";

export type Backend = "postgres" | "pglite";

export interface Variant {
  scenario: string;
  /** `scenario/backend`: what --scenario matches (either part). */
  name: string;
  backend: Backend;
  processes: number;
  agents: number;
  seats: number;
  workload: Workload;
  /** What the throughput counts. */
  unit: "cycles/s" | "decisions/s" | "heartbeats/s";
  /** Every agent starts with an open shared session (leases that heartbeats renew). */
  openLeases?: boolean;
  /** The account's lease TTL; the default (90 s) when unset. */
  leaseTtlSeconds?: number;
  /** After the window, this many agents start a session at once on fresh sockets. */
  burst?: number;
  /** Every event goes to a webhook endpoint that accepts connections and never answers (a dead receiver). */
  deadWebhook?: boolean;
  /** The bare one-transaction checkout rate measured beside it. */
  ceiling?: { kind: "pgbench"; clients: number } | { kind: "pglite"; clients: number[] };
}

export const SCENARIOS = ["shared", "webhooks", "hot-pool", "pglite", "heartbeats"] as const;

/** 60 agents share 10 seats, each holding 0–20 ms, waiting up to 30 s for a seat. */
function shared(backend: Backend): Variant {
  return {
    scenario: "shared",
    name: `shared/${backend}`,
    backend,
    processes: backend === "postgres" ? 2 : 1,
    agents: 60,
    seats: 10,
    workload: { kind: "cycles", wait: 30, holdMs: [0, 20] },
    unit: "cycles/s",
  };
}

export function variants(leases: number): Variant[] {
  const noHold: Workload = { kind: "cycles", wait: null, holdMs: [0, 0] };
  const heartbeats = (backend: Backend): Variant => ({
    scenario: "heartbeats",
    name: `heartbeats/${backend}`,
    backend,
    processes: backend === "postgres" ? 2 : 1,
    agents: leases,
    seats: leases,
    workload: { kind: "heartbeats", clients: 64 },
    unit: "heartbeats/s",
    openLeases: true,
    leaseTtlSeconds: 3600,
  });
  // The shared rows again, every seat change also told to a dead webhook endpoint: the
  // decisions must not slow down (the outbox row is written with the change; sending is the worker's).
  const deadWebhook = (backend: Backend): Variant => ({ ...shared(backend), scenario: "webhooks", name: `webhooks/${backend}`, deadWebhook: true });
  return [
    shared("postgres"),
    shared("pglite"),
    deadWebhook("postgres"),
    deadWebhook("pglite"),
    {
      scenario: "hot-pool",
      name: "hot-pool/postgres",
      backend: "postgres",
      processes: 2,
      agents: 200,
      seats: 1000,
      workload: noHold,
      unit: "decisions/s",
      ceiling: { kind: "pgbench", clients: 16 },
    },
    {
      scenario: "pglite",
      name: "pglite/pglite",
      backend: "pglite",
      processes: 1,
      agents: 200,
      seats: 1000,
      workload: noHold,
      unit: "decisions/s",
      burst: 200,
      ceiling: { kind: "pglite", clients: [1, 64] },
    },
    heartbeats("postgres"),
    heartbeats("pglite"),
  ];
}
