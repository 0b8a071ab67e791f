// The load generator, run as its own process by bench/run.ts so that it never shares an
// event loop with a server. It reads a LoadSpec as JSON on stdin, prints
// {"event":"window-start"} and {"event":"window-end"} when the measured window opens and
// closes (run.ts samples CPU and the database between them), then one {"result": …} line.
//
// Time runs from the first request: a warm-up (not counted), the window, then a drain in
// which agents finish the cycle they are in. A request counts in the window when it was
// sent in it (latencies, errors) or completed in it (throughput).
import { keepAliveAgent, problemCode, request, type Reply } from "./lib/http.js";
import { agentToken } from "./lib/agents.js";
import { latency, mean, occupancy, type Latency, type Occupancy } from "./lib/stats.js";

export type Workload =
  /** Each agent loops: start a session (with `wait`), hold, end it. */
  | { kind: "cycles"; wait: number | null; holdMs: [number, number] }
  /** `clients` callers loop: heartbeat as a random agent. */
  | { kind: "heartbeats"; clients: number };

export interface LoadSpec {
  /** Servers; agent i talks to urls[i % urls.length]. */
  urls: string[];
  product: string;
  tokenPrefix: string;
  agents: number;
  warmupSeconds: number;
  seconds: number;
  workload: Workload;
  /** After the window: this many agents start a session at once, each on a new socket. */
  burst?: number;
  /** The same client against GET /healthz, to show what the client itself can do. */
  healthz: { clients: number; seconds: number };
}

export interface CyclesResult {
  kind: "cycles";
  cycles: number;
  cyclesPerSecond: number;
  /** A granted start and an acknowledged end are one decision each. */
  decisionsPerSecond: number;
  /** From sending the start to its 201, waiting included. */
  grant: Latency;
  end: Latency;
  /** From each grant's [start response received, end request sent]. */
  seats: Occupancy;
  meanHoldMs: number;
  /** Waits that ended with the expected 409 ALL_SHARED_SEATS_IN_USE. */
  timeouts: number;
  errors: number;
  errorsBy: Record<string, number>;
  /** Agents still in a cycle when the drain gave up. */
  undrained: number;
}

export interface HeartbeatsResult {
  kind: "heartbeats";
  heartbeats: number;
  perSecond: number;
  latency: Latency;
  errors: number;
  errorsBy: Record<string, number>;
}

export interface BurstResult {
  agents: number;
  latency: Latency;
  errors: number;
  errorsBy: Record<string, number>;
}

export interface LoadResult {
  main: CyclesResult | HeartbeatsResult;
  burst?: BurstResult;
  healthz: { clients: number; perSecond: number; errors: number };
}

const agent = keepAliveAgent();
const now = () => performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class Errors {
  count = 0;
  readonly by: Record<string, number> = {};
  add(key: string): void {
    this.count++;
    this.by[key] = (this.by[key] ?? 0) + 1;
  }
  reply(reply: Reply): void {
    this.add(`${reply.status} ${problemCode(reply) ?? ""}`.trim());
  }
  network(error: unknown): void {
    this.add(`network ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

function emit(line: object): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/** Opens and closes the window on a timer and tells run.ts; `stop` is when agents stop. */
function windowClock(spec: LoadSpec) {
  const begin = now();
  const from = begin + spec.warmupSeconds * 1000;
  const to = from + spec.seconds * 1000;
  setTimeout(() => emit({ event: "window-start" }), spec.warmupSeconds * 1000);
  const ended = sleep(spec.warmupSeconds * 1000 + spec.seconds * 1000).then(() => emit({ event: "window-end" }));
  return { from, to, inWindow: (t: number) => t >= from && t < to, ended };
}

async function drain(loops: Promise<void>[], graceMs: number): Promise<number> {
  let done = 0;
  for (const loop of loops) void loop.then(() => done++);
  await Promise.race([Promise.all(loops), sleep(graceMs)]);
  return loops.length - done;
}

async function cycles(spec: LoadSpec, workload: Extract<Workload, { kind: "cycles" }>): Promise<CyclesResult> {
  const clock = windowClock(spec);
  const grants: number[] = [];
  const ends: number[] = [];
  const holds: number[] = [];
  const intervals: Array<[number, number]> = [];
  const errors = new Errors();
  let timeouts = 0;
  let cyclesDone = 0;
  let decisions = 0;
  const [holdMin, holdMax] = workload.holdMs;
  const body = workload.wait === null ? { product: spec.product } : { product: spec.product, wait: workload.wait };

  const loop = async (i: number) => {
    const url = spec.urls[i % spec.urls.length];
    const token = agentToken(spec.tokenPrefix, i);
    while (now() < clock.to) {
      const sent = now();
      let start: Reply;
      try {
        start = await request(agent, `${url}/api/v1/me/sessions`, "POST", token, body);
      } catch (error) {
        if (clock.inWindow(sent)) errors.network(error);
        await sleep(10);
        continue;
      }
      const granted = now();
      if (start.status !== 201) {
        if (clock.inWindow(sent)) {
          if (workload.wait !== null && start.status === 409 && problemCode(start) === "ALL_SHARED_SEATS_IN_USE") timeouts++;
          else errors.reply(start);
        }
        await sleep(10);
        continue;
      }
      if (clock.inWindow(sent)) grants.push(granted - sent);
      if (clock.inWindow(granted)) decisions++;
      const id = (JSON.parse(start.text) as { id: string }).id;
      const hold = holdMin + Math.random() * (holdMax - holdMin);
      if (hold > 0) await sleep(hold);
      const endSent = now();
      intervals.push([granted, endSent]);
      if (clock.inWindow(endSent)) holds.push(endSent - granted);
      try {
        const end = await request(agent, `${url}/api/v1/me/sessions/${id}/end`, "POST", token);
        const ended = now();
        if (end.status !== 200) {
          if (clock.inWindow(endSent)) errors.reply(end);
          continue;
        }
        if (clock.inWindow(endSent)) ends.push(ended - endSent);
        if (clock.inWindow(ended)) {
          decisions++;
          cyclesDone++;
        }
      } catch (error) {
        if (clock.inWindow(endSent)) errors.network(error);
      }
    }
  };

  const loops = Array.from({ length: spec.agents }, (_, i) => loop(i));
  await clock.ended;
  const undrained = await drain(loops, ((workload.wait ?? 0) + 10) * 1000);
  const seconds = spec.seconds;
  return {
    kind: "cycles",
    cycles: cyclesDone,
    cyclesPerSecond: Math.round(cyclesDone / seconds),
    decisionsPerSecond: Math.round(decisions / seconds),
    grant: latency(grants),
    end: latency(ends),
    seats: occupancy(intervals, clock.from, clock.to),
    meanHoldMs: Math.round(mean(holds) * 100) / 100,
    timeouts,
    errors: errors.count,
    errorsBy: errors.by,
    undrained,
  };
}

async function heartbeats(spec: LoadSpec, workload: Extract<Workload, { kind: "heartbeats" }>): Promise<HeartbeatsResult> {
  const clock = windowClock(spec);
  const samples: number[] = [];
  const errors = new Errors();
  let done = 0;
  const loop = async (client: number) => {
    const url = spec.urls[client % spec.urls.length];
    while (now() < clock.to) {
      const token = agentToken(spec.tokenPrefix, Math.floor(Math.random() * spec.agents));
      const sent = now();
      try {
        const reply = await request(agent, `${url}/api/v1/me/heartbeat`, "POST", token);
        const received = now();
        if (reply.status !== 200) {
          if (clock.inWindow(sent)) errors.reply(reply);
          continue;
        }
        if (clock.inWindow(sent)) samples.push(received - sent);
        if (clock.inWindow(received)) done++;
      } catch (error) {
        if (clock.inWindow(sent)) errors.network(error);
        await sleep(10);
      }
    }
  };
  const loops = Array.from({ length: workload.clients }, (_, c) => loop(c));
  await clock.ended;
  await drain(loops, 10_000);
  return { kind: "heartbeats", heartbeats: done, perSecond: Math.round(done / spec.seconds), latency: latency(samples), errors: errors.count, errorsBy: errors.by };
}

/** `count` agents start a session at the same moment, each on a socket of its own. */
async function burst(spec: LoadSpec, count: number): Promise<BurstResult> {
  const errors = new Errors();
  const samples: number[] = [];
  const started: Array<{ url: string; token: string; id: string }> = [];
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const url = spec.urls[i % spec.urls.length];
      const token = agentToken(spec.tokenPrefix, i);
      const sent = now();
      try {
        const reply = await request(false, `${url}/api/v1/me/sessions`, "POST", token, { product: spec.product });
        if (reply.status !== 201) return errors.reply(reply);
        samples.push(now() - sent);
        started.push({ url, token, id: (JSON.parse(reply.text) as { id: string }).id });
      } catch (error) {
        errors.network(error);
      }
    }),
  );
  await Promise.all(started.map((s) => request(agent, `${s.url}/api/v1/me/sessions/${s.id}/end`, "POST", s.token).catch(() => undefined)));
  return { agents: count, latency: latency(samples), errors: errors.count, errorsBy: errors.by };
}

async function healthz(spec: LoadSpec): Promise<LoadResult["healthz"]> {
  const { clients, seconds } = spec.healthz;
  const warmup = now() + 250;
  const until = warmup + seconds * 1000;
  let done = 0;
  let errors = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      const url = `${spec.urls[c % spec.urls.length]}/healthz`;
      while (now() < until) {
        try {
          const reply = await request(agent, url, "GET", undefined);
          if (reply.status !== 200) errors++;
          else if (now() >= warmup && now() < until) done++;
        } catch {
          errors++;
          await sleep(10);
        }
      }
    }),
  );
  return { clients, perSecond: Math.round(done / seconds), errors };
}

async function readStdin(): Promise<string> {
  let text = "";
  process.stdin.setEncoding("utf8");
  for await (const chunk of process.stdin) text += chunk;
  return text;
}

const spec = JSON.parse(await readStdin()) as LoadSpec;
const main = spec.workload.kind === "cycles" ? await cycles(spec, spec.workload) : await heartbeats(spec, spec.workload);
const burstResult = spec.burst ? await burst(spec, spec.burst) : undefined;
const result: LoadResult = { main, ...(burstResult && { burst: burstResult }), healthz: await healthz(spec) };
agent.destroy();
process.stdout.write(`${JSON.stringify({ result })}\n`, () => process.exit(0));
