// The pool's rules: the ladder as a table, then a property test that runs random request
// sequences through SeatPool in random batches and through a plain sequential model
// written separately here, and asks for the same answers, no over-allocation and FIFO.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { MAX_OPEN_SESSIONS, SeatPool, seatRung, seatStatus, type AgentSeat, type PoolState, type QueueEntry } from "./seat-pool.js";
import type { SeatType } from "./seat-rules.js";

const NOW = new Date("2026-12-02T10:00:00Z");
const TTL_MS = 90_000;
const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

function agent(userId: string, over: Partial<AgentSeat> = {}): AgentSeat {
  return { userId, seat: "concurrent", sharedSessionId: null, sessions: [], cooldownUntil: null, seenUntil: null, ...over };
}

function entry(userId: string, over: Partial<QueueEntry> = {}): QueueEntry {
  return { userId, seq: 1, enqueuedAt: at(-60), heldUntil: at(30), waitingUntil: null, reservedUntil: null, request: null, ...over };
}

function ids() {
  let n = 0;
  return { sharedSessionId: () => `ss_${++n}`, sessionId: () => `sess_${++n}`, supportKey: () => String(++n).padStart(9, "0") };
}

test("the ladder decides and shows in one precedence order", () => {
  const pool = (over: Partial<PoolState> = {}): PoolState => ({ product: "p", total: 2, occupied: 1, queue: [], ...over });
  const cases: { name: string; pool: PoolState; agent: AgentSeat; rung: string; status: string }[] = [
    { name: "no seat", pool: pool(), agent: agent("a", { seat: null }), rung: "no_seat", status: "available" },
    { name: "a named seat ignores a full pool", pool: pool({ occupied: 2 }), agent: agent("a", { seat: "named" }), rung: "named", status: "available" },
    { name: "holding beats a cooldown", pool: pool(), agent: agent("a", { sharedSessionId: "ss", cooldownUntil: at(60) }), rung: "holding", status: "holding" },
    { name: "cooldown beats a free seat", pool: pool(), agent: agent("a", { cooldownUntil: at(60) }), rung: "cooldown", status: "cooldown" },
    { name: "an expired cooldown is nothing", pool: pool(), agent: agent("a", { cooldownUntil: at(-1) }), rung: "free", status: "available" },
    { name: "own reservation beats a full pool", pool: pool({ occupied: 1, queue: [entry("a", { reservedUntil: at(10) })] }), agent: agent("a"), rung: "reserved", status: "reserved" },
    { name: "a free seat", pool: pool(), agent: agent("a"), rung: "free", status: "available" },
    { name: "a free seat reserved for someone else", pool: pool({ queue: [entry("b", { reservedUntil: at(10) })] }), agent: agent("a"), rung: "all_in_use", status: "all_in_use" },
    { name: "nobody passes a waiter", pool: pool({ total: 5, queue: [entry("b")] }), agent: agent("a"), rung: "all_in_use", status: "all_in_use" },
    { name: "a dead place does not count", pool: pool({ queue: [entry("b", { heldUntil: at(-1) })] }), agent: agent("a"), rung: "free", status: "available" },
    { name: "a lapsed reservation does not count", pool: pool({ occupied: 1, total: 2, queue: [entry("b", { reservedUntil: at(-1) })] }), agent: agent("a"), rung: "free", status: "available" },
    { name: "lowered below occupancy", pool: pool({ total: 1, occupied: 3 }), agent: agent("a"), rung: "all_in_use", status: "all_in_use" },
  ];
  for (const c of cases) {
    assert.equal(seatRung(c.pool, c.agent, NOW).rung, c.rung, c.name);
    if (c.agent.seat !== null) assert.equal(seatStatus(c.pool, { ...c.agent, seat: c.agent.seat }, NOW).status, c.status, c.name);
  }
});

test("starting: named, join, take, cooldown, refusal with and without a wait, and the session cap", () => {
  const agents = new Map([
    ["named", agent("named", { seat: "named" })],
    ["holder", agent("holder", { sharedSessionId: "ss_0", sessions: [{ id: "s0", state: "active", sharedSessionId: "ss_0" }] })],
    ["cool", agent("cool", { cooldownUntil: at(30) })],
    ["w", agent("w", { seenUntil: at(20) })],
    ["busy", agent("busy", { seat: "named", sessions: Array.from({ length: MAX_OPEN_SESSIONS }, (_, i) => ({ id: `b${i}`, state: "pending" as const, sharedSessionId: null })) })],
    ["none", agent("none", { seat: null })],
  ]);
  const pool = new SeatPool({ product: "p", total: 1, occupied: 1, queue: [] }, agents, NOW, TTL_MS, ids());
  const named = pool.start("named", "tok", null);
  assert.ok(named.ok && named.kind === "named" && named.leaseExpiresAt === null);
  const join = pool.start("holder", "tok", null);
  assert.ok(join.ok && join.kind === "join" && join.sharedSessionId === "ss_0");
  assert.deepEqual([...pool.writes.leasesRenewed], ["ss_0"], "joining restarts the lease");
  const cool = pool.start("cool", "tok", null);
  assert.ok(!cool.ok && cool.error.code === "SEAT_COOLDOWN" && cool.error.retryAfter === 30);
  const busy = pool.start("busy", "tok", null);
  assert.ok(!busy.ok && busy.error.code === "TOO_MANY_SESSIONS");
  const none = pool.start("none", "tok", null);
  assert.ok(!none.ok && none.error.code === "NO_SEAT_ASSIGNED");
  const refused = pool.start("w", "tok", null);
  assert.ok(!refused.ok && refused.refused && refused.error.extra.queuePosition === undefined, "without wait: not queued");
  const queued = pool.start("w", "tok", { until: at(10), first: true, request: { id: "wait_w", tokenId: "tok" } });
  assert.ok(!queued.ok && queued.error.extra.queuePosition === 1);
  assert.deepEqual(pool.state.queue.map((e) => [e.userId, e.heldUntil.getTime()]), [["w", at(20).getTime()]], "the place lives as long as the agent is seen");
  assert.equal(pool.writes.refusals, 2, "a refusal counted once per request");
});

test("a freed seat goes to the head of the queue as a reservation, which it takes; nobody else may", () => {
  const agents = new Map([
    ["h", agent("h", { sharedSessionId: "ss_h", sessions: [{ id: "sh", state: "active", sharedSessionId: "ss_h" }] })],
    ["first", agent("first")],
    ["second", agent("second")],
    ["late", agent("late")],
  ]);
  const queue = [entry("first", { seq: 1, waitingUntil: at(30) }), entry("second", { seq: 2, waitingUntil: at(30) })];
  const pool = new SeatPool({ product: "p", total: 1, occupied: 1, queue }, agents, NOW, TTL_MS, ids());
  assert.ok(pool.end("h", "sh", "agent").ok);
  assert.equal(pool.state.occupied, 0);
  assert.deepEqual(pool.writes.events.map((e) => [e.userId, e.event.type]), [["first", "seat.granted"]]);
  const late = pool.start("late", "tok", null);
  assert.ok(!late.ok && late.refused, "the free seat is the head's");
  const second = pool.start("second", "tok", { until: at(30), first: false, request: { id: "wait_second", tokenId: "tok" } });
  assert.ok(!second.ok && second.error.extra.queuePosition === 1, "second is next");
  const first = pool.start("first", "tok", { until: at(30), first: false, request: { id: "wait_first", tokenId: "tok" } });
  assert.ok(first.ok && first.kind === "take");
  assert.deepEqual(pool.writes.waits, [60], "the wait is recorded");
  assert.equal(pool.end("h", "sh", "agent").ok, false, "an ended session cannot end twice");
});

test("an admin end frees the seat, cools the agent down and tells it; a revoked seat ends everything", () => {
  const agents = new Map([
    ["a", agent("a", { sharedSessionId: "ss_a", sessions: [{ id: "s1", state: "active", sharedSessionId: "ss_a" }, { id: "s2", state: "pending", sharedSessionId: "ss_a" }] })],
    ["b", agent("b", { seat: "named", sessions: [{ id: "s3", state: "pending", sharedSessionId: null }] })],
  ]);
  const pool = new SeatPool({ product: "p", total: 1, occupied: 1, queue: [] }, agents, NOW, TTL_MS, ids());
  const by = { id: "usr_admin", name: "Ada" };
  assert.deepEqual(pool.endByAdmin("a", by, "idle", at(120)), { sharedSessionId: "ss_a", sessionIds: ["s1", "s2"] });
  assert.equal(pool.state.occupied, 0);
  assert.equal(pool.writes.cooldowns.get("a")?.getTime(), at(120).getTime());
  const connect = pool.connect("a", "s1");
  assert.ok(!connect.ok && connect.error.code === "SESSION_ENDED_BY_ADMIN");
  assert.equal(pool.changeSeat("b", null, by), null);
  assert.deepEqual(pool.writes.events.map((e) => e.event.type), ["session.ended", "session.ended", "seat.revoked"]);
});

// ---------------------------------------------------------------------------------------
// The property: batched equals sequential.

type Command =
  | { kind: "start"; user: number; wait: number | null }
  | { kind: "end"; user: number; pick: number }
  | { kind: "connect"; user: number; pick: number }
  | { kind: "admin"; user: number }
  | { kind: "heartbeat"; user: number }
  | { kind: "total"; total: number };

const USERS = 6;
const NAMED_USER = 5;

/** A deliberately plain model: one command at a time, state in arrays and maps. */
class SequentialModel {
  total: number;
  holders = new Map<number, string[]>();
  named: string[] = [];
  queue: { user: number; enqueued: number; held: number; waiting: number | null; reserved: number | null }[] = [];
  cooldown = new Map<number, number>();
  seen = new Map<number, number>();
  ended = new Map<string, boolean>();
  private n = 0;

  constructor(total: number) {
    this.total = total;
  }

  private live(e: SequentialModel["queue"][number], now: number) {
    if (e.reserved !== null) return e.reserved > now;
    return e.held > now || (e.waiting !== null && e.waiting > now);
  }

  private settle(now: number) {
    this.queue = this.queue.filter((e) => this.live(e, now));
    let free = this.total - this.holders.size - this.queue.filter((e) => e.reserved !== null).length;
    for (const e of this.queue) {
      if (free <= 0) break;
      if (e.reserved === null) {
        e.reserved = now + TTL_MS;
        free--;
      }
    }
    // A seat kept for an open waiting request is that request's session at once.
    for (const e of this.queue.filter((e) => e.reserved !== null && e.waiting !== null && e.waiting > now)) {
      this.queue = this.queue.filter((x) => x !== e);
      this.holders.set(e.user, [`m${++this.n}`]);
    }
  }

  private position(user: number) {
    const i = this.queue.filter((e) => e.reserved === null).findIndex((e) => e.user === user);
    return i === -1 ? null : i + 1;
  }

  sessionsOf(user: number): string[] {
    return user === NAMED_USER ? this.named : this.holders.get(user) ?? [];
  }

  apply(c: Command, now: number): string {
    this.settle(now);
    const out = this.decide(c, now);
    this.settle(now);
    return out.startsWith("refused") ? `refused:${this.position((c as { user: number }).user)}` : out;
  }

  private decide(c: Command, now: number): string {
    switch (c.kind) {
      case "total":
        this.total = c.total;
        return "ok";
      case "heartbeat":
        this.seen.set(c.user, now + TTL_MS);
        for (const e of this.queue) if (e.user === c.user && e.reserved === null) e.held = Math.max(e.held, now + TTL_MS);
        return "ok";
      case "start": {
        const id = `m${++this.n}`;
        if (c.user === NAMED_USER) {
          if (this.named.length >= MAX_OPEN_SESSIONS) return "TOO_MANY_SESSIONS";
          this.named.push(id);
          return "named";
        }
        const held = this.holders.get(c.user);
        if (held) {
          if (held.length >= MAX_OPEN_SESSIONS) return "TOO_MANY_SESSIONS";
          held.push(id);
          return "join";
        }
        if ((this.cooldown.get(c.user) ?? 0) > now) return "SEAT_COOLDOWN";
        const own = this.queue.find((e) => e.user === c.user);
        const waiting = this.queue.filter((e) => e.reserved === null);
        const free = this.total - this.holders.size - this.queue.filter((e) => e.reserved !== null).length;
        if ((own && own.reserved !== null) || (free > 0 && waiting.length === 0)) {
          this.queue = this.queue.filter((e) => e !== own);
          this.holders.set(c.user, [id]);
          return "take";
        }
        const until = c.wait === null ? null : now + c.wait * 1000;
        if (until !== null && until > now) {
          if (own) own.waiting = Math.max(own.waiting ?? 0, until);
          else this.queue.push({ user: c.user, enqueued: now, held: this.seen.get(c.user) ?? now, waiting: until, reserved: null });
        } else if (until !== null && own) {
          own.waiting = null; // the wait is over: the place lasts while the agent is seen
        }
        return "refused";
      }
      case "end":
      case "connect": {
        const sessions = this.sessionsOf(c.user);
        if (sessions.length === 0) return "none";
        const id = sessions[c.pick % sessions.length];
        if (c.kind === "connect") return "connected";
        sessions.splice(sessions.indexOf(id), 1);
        if (sessions.length === 0 && c.user !== NAMED_USER) this.holders.delete(c.user);
        return "ended";
      }
      case "admin": {
        if (!this.holders.has(c.user)) return "none";
        this.holders.delete(c.user);
        this.cooldown.set(c.user, now + 2000);
        return "admin-ended";
      }
    }
  }
}

/** The same commands through SeatPool, a batch per round, the state carried between rounds as the database would. */
class BatchedPool {
  private state: PoolState;
  private agents = new Map<number, AgentSeat>();
  private seq = 0;
  private readonly ids = ids();
  readonly violations: string[] = [];
  private requests = 0;

  constructor(total: number) {
    this.state = { product: "p", total, occupied: 0, queue: [] };
    for (let u = 0; u < USERS; u++) this.agents.set(u, agent(`u${u}`, { seat: (u === NAMED_USER ? "named" : "concurrent") as SeatType }));
  }

  round(commands: Command[], now: number): string[] {
    const byId = new Map([...this.agents.values()].map((a) => [a.userId, structuredClone(a)]));
    const pool = new SeatPool(structuredClone(this.state), byId, new Date(now), TTL_MS, this.ids, new Set(["tok"]));
    const taken = () => pool.state.occupied + pool.state.queue.filter((e) => e.reservedUntil !== null).length;
    const out = commands.map((c) => {
      const before = taken();
      const result = this.apply(pool, c, now);
      const after = taken();
      if (after > before && after > pool.state.total) this.violations.push(`${JSON.stringify(c)} took a seat beyond the ${pool.state.total} licensed (${after})`);
      const reserved = pool.state.queue.map((e, i) => (e.reservedUntil !== null ? i : -1)).filter((i) => i >= 0);
      const waiting = pool.state.queue.map((e, i) => (e.reservedUntil === null ? i : -1)).filter((i) => i >= 0);
      if (reserved.length > 0 && waiting.length > 0 && Math.max(...reserved) > Math.min(...waiting)) this.violations.push(`${JSON.stringify(c)} served a later waiter first`);
      if (waiting.length > 0 && after < pool.state.total) this.violations.push(`${JSON.stringify(c)} left a waiter beside a free seat`);
      return result;
    });
    for (const e of pool.state.queue) e.seq ??= ++this.seq;
    this.state = pool.state;
    for (const [u, a] of this.agents) this.agents.set(u, byId.get(a.userId)!);
    return out;
  }

  private apply(pool: SeatPool, c: Command, now: number): string {
    if (c.kind === "total") {
      pool.setTotal(c.total);
      return "ok";
    }
    const userId = `u${c.user}`;
    const a = pool.agent(userId);
    switch (c.kind) {
      case "heartbeat":
        a.seenUntil = new Date(now + TTL_MS);
        for (const e of pool.state.queue) if (e.userId === userId && e.reservedUntil === null) e.heldUntil = new Date(Math.max(e.heldUntil.getTime(), now + TTL_MS));
        return "ok";
      case "start": {
        const r = pool.start(userId, "tok", c.wait === null ? null : { until: new Date(now + c.wait * 1000), first: true, request: { id: `wait_${++this.requests}`, tokenId: "tok" } });
        if (r.ok) return r.kind;
        return r.refused ? `refused:${(r.error.extra.queuePosition as number | undefined) ?? null}` : r.error.code;
      }
      case "end":
      case "connect": {
        if (a.sessions.length === 0) return "none";
        const id = a.sessions[c.pick % a.sessions.length].id;
        if (c.kind === "connect") return pool.connect(userId, id).ok ? "connected" : "failed";
        return pool.end(userId, id, "agent").ok ? "ended" : "failed";
      }
      case "admin":
        return pool.endByAdmin(userId, { id: "adm", name: "Admin" }, "idle", new Date(now + 2000)) ? "admin-ended" : "none";
    }
  }
}

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("start" as const), user: fc.integer({ min: 0, max: USERS - 1 }), wait: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("end" as const), user: fc.integer({ min: 0, max: USERS - 1 }), pick: fc.nat(10) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("connect" as const), user: fc.integer({ min: 0, max: USERS - 1 }), pick: fc.nat(10) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("admin" as const), user: fc.integer({ min: 0, max: USERS - 1 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("heartbeat" as const), user: fc.integer({ min: 0, max: USERS - 1 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("total" as const), total: fc.integer({ min: 0, max: 4 }) }) },
);

/** Rounds a second or so apart; all the commands of a round arrive while one decision runs. */
const rounds = fc.array(fc.record({ advanceMs: fc.integer({ min: 0, max: 4000 }), commands: fc.array(command, { minLength: 1, maxLength: 8 }) }), { minLength: 1, maxLength: 25 });

test("property: deciding requests in batches answers exactly as deciding them one by one; never over-allocates; FIFO", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 4 }), rounds, (total, plan) => {
      const model = new SequentialModel(total);
      const batched = new BatchedPool(total);
      let now = NOW.getTime();
      for (const { advanceMs, commands } of plan) {
        now += advanceMs;
        const expected = commands.map((c) => model.apply(c, now));
        assert.deepEqual(batched.round(commands, now), expected);
      }
      assert.deepEqual(batched.violations, []);
    }),
    { numRuns: 500 },
  );
});
