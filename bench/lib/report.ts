// One row per (scenario variant, checkout), printed as a table per scenario.
import Table from "cli-table3";
import type { BurstResult } from "../load.js";
import type { ProfileSummary } from "../cpuprofile.js";
import type { Latency, Occupancy } from "./stats.js";
import type { CpuWindow } from "./cpu.js";

export interface Row {
  scenario: string;
  variant: string;
  checkout: string;
  backend: string;
  processes: number;
  agents: number;
  seats: number;
  seconds: number;
  unit: string;
  throughput: number;
  /** Grant latency for cycles (start sent → 201, waiting included); heartbeat latency otherwise. */
  latency: Latency;
  endLatency?: Latency;
  /** Client view: each grant's [start response received, end request sent]. */
  seatsInUse?: Occupancy;
  /** Database view: open shared sessions, sampled every 100 ms (PostgreSQL only). */
  seatsInDb?: Occupancy;
  meanHoldMs?: number;
  /** Seats ÷ mean hold: the throughput if every seat were always in use. */
  seatLimitedCeiling?: number;
  ceiling?: { perSecond: number; by: string };
  ceilingError?: string;
  /** throughput ÷ ceiling (the bare checkout's, else the seat-limited one). */
  ratio?: number;
  burst?: BurstResult;
  errors: number;
  timeouts?: number;
  /** Agents whose last request had no answer yet when the drain gave up (10 s, or the wait + 10 s). */
  unfinished?: number;
  errorsBy: Record<string, number>;
  /** Shared sessions still open once every agent had ended its own (should be 0). */
  leftOpen?: number;
  clientCeiling: { clients: number; perSecond: number };
  cpu?: CpuWindow;
  /** Databases, servers and seeding; of which inserting the agents. */
  seedSeconds: { total: number; agents: number };
  profiles?: ProfileSummary[];
  failed?: string;
}

const ms = (v: number | undefined) => (v === undefined ? "—" : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v} ms`);
const num = (v: number | undefined) => (v === undefined ? "—" : v.toLocaleString("en-US"));

export function scenarioTable(rows: Row[]): string {
  const hasSeats = rows.some((r) => r.seatsInUse || r.seatsInDb);
  const hasBurst = rows.some((r) => r.burst);
  const hasCeiling = rows.some((r) => r.ceiling);
  const unit = rows[0].unit;
  const latencyOf = unit === "heartbeats/s" ? "heartbeat" : "grant";
  const head = ["checkout", "back end", "procs", "agents", "seats", unit, `${latencyOf} p50`, "p95", "p99"];
  if (hasSeats) head.push("seats max / mean", "in DB max / mean");
  head.push("errors");
  if (hasCeiling) head.push("ceiling", "ratio");
  if (hasBurst) head.push("burst p50 / p99");
  head.push("client /healthz");
  const table = new Table({ head, style: { head: [], border: [] } });
  for (const r of rows) {
    if (r.failed) {
      table.push([r.checkout, r.backend, r.processes, num(r.agents), num(r.seats), { colSpan: head.length - 5, content: `failed: ${r.failed.split("\n")[0].slice(0, 120)}` }]);
      continue;
    }
    // No sample (a window too short for a single request to be sent and answered) is not 0 ms.
    const l = r.latency.count > 0 ? r.latency : undefined;
    const line: Array<string | number> = [r.checkout, r.backend, r.processes, num(r.agents), num(r.seats), num(r.throughput), ms(l?.p50), ms(l?.p95), ms(l?.p99)];
    if (hasSeats) {
      line.push(r.seatsInUse ? `${r.seatsInUse.max} / ${r.seatsInUse.mean}` : "—", r.seatsInDb ? `${r.seatsInDb.max} / ${r.seatsInDb.mean}` : "—");
    }
    const besides = [r.timeouts ? `${r.timeouts} waits ended` : "", r.unfinished ? `${r.unfinished} unfinished` : ""].filter(Boolean);
    line.push(besides.length > 0 ? `${r.errors} (+${besides.join(", ")})` : r.errors);
    if (hasCeiling) line.push(r.ceiling ? `${num(r.ceiling.perSecond)}/s` : "—", r.ratio === undefined ? "—" : `${r.ratio}×`);
    if (hasBurst) line.push(r.burst && r.burst.latency.count > 0 ? `${ms(r.burst.latency.p50)} / ${ms(r.burst.latency.p99)}` : "—");
    line.push(`${num(r.clientCeiling.perSecond)}/s`);
    table.push(line);
  }
  return table.toString();
}

/** What the table has no room for: how ceilings were measured, CPU, error kinds. */
export function rowNotes(r: Row): string[] {
  if (r.failed) return [`${r.checkout} ${r.variant}: ${r.failed}`];
  const notes: string[] = [];
  const who = `${r.checkout} ${r.backend}`;
  if (r.ceiling) notes.push(`${who}: ceiling by ${r.ceiling.by}`);
  if (r.ceilingError) notes.push(`${who}: the ceiling could not be measured: ${r.ceilingError}`);
  if (r.seatLimitedCeiling !== undefined) notes.push(`${who}: mean hold ${r.meanHoldMs} ms → seat-limited ceiling ${num(r.seatLimitedCeiling)} cycles/s`);
  if (r.endLatency && r.endLatency.count > 0) notes.push(`${who}: end p50 ${ms(r.endLatency.p50)}, p99 ${ms(r.endLatency.p99)}`);
  if (r.cpu) {
    const groups = Object.entries(r.cpu.groups).map(([name, pct]) => `${name} ${pct} %`).join(", ");
    notes.push(`${who}: CPU (% of one core) ${groups}; machine busy ${r.cpu.machineBusy ?? "?"} % of all cores`);
  }
  if (r.errors > 0) notes.push(`${who}: errors ${JSON.stringify(r.errorsBy)}`);
  if (r.burst && r.burst.errors > 0) notes.push(`${who}: burst errors ${JSON.stringify(r.burst.errorsBy)}`);
  if (r.leftOpen) notes.push(`${who}: ${r.leftOpen} seats still occupied after every agent ended its session`);
  notes.push(`${who}: set up in ${r.seedSeconds.total} s (agents inserted in ${r.seedSeconds.agents} s); /healthz with ${r.clientCeiling.clients} clients`);
  return notes;
}
