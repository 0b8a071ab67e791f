// A product's concurrent pool as a pure state machine. The seat-pool service loads the
// state under the pool lock, applies commands here in arrival order (one or a whole batch),
// and writes what changed in the same transaction. Nothing here does I/O; ids and support
// keys come from the caller.
//
// Invariants every command keeps (and the property test checks against a sequential model):
// - a seat is handed out only while open shared sessions + live reservations < total
//   (lowering the total below occupancy cuts nobody off);
// - one agent holds at most one seat of a product: its support sessions share it;
// - the queue is first come, first served: after every command, free seats go to the head
//   of the queue as reservations, and nobody takes a free seat while someone waits.
import { DomainError } from "./errors.js";
import type { SeatType } from "./seat-rules.js";

/** An agent has at most this many open support sessions of one product. */
export const MAX_OPEN_SESSIONS = 50;

export interface QueueEntry {
  userId: string;
  /** Queue order; null for a place taken in this change (the database numbers it). */
  seq: number | null;
  enqueuedAt: Date;
  /** The place is dropped after this unless a request waits or a reservation holds it. */
  heldUntil: Date;
  /** A waiting request is open until then. */
  waitingUntil: Date | null;
  /** A seat is kept for the agent until then. */
  reservedUntil: Date | null;
  /** The agent's open waiting request: a seat freed for it becomes its session at once. */
  request: WaitingRequest | null;
}

export interface WaitingRequest {
  id: string;
  /** The token it was made with (checked again before it is served). */
  tokenId: string;
}

export interface OpenSession {
  id: string;
  state: "pending" | "active";
  /** The shared session it holds its concurrent seat through; null on a named seat. */
  sharedSessionId: string | null;
}

/** What the pool knows of one agent. */
export interface AgentSeat {
  userId: string;
  seat: SeatType | null;
  /** The agent's open shared session of this product, if any. */
  sharedSessionId: string | null;
  /** Open support sessions of this product, oldest first. */
  sessions: OpenSession[];
  cooldownUntil: Date | null;
  /** Last heartbeat + lease TTL: the agent counts as alive until then. */
  seenUntil: Date | null;
}

export interface PoolState {
  product: string;
  total: number;
  /** Open shared sessions. */
  occupied: number;
  /** Every queue place of the product, in queue order. */
  queue: QueueEntry[];
}

export interface Actor {
  id: string | null;
  name: string | null;
}

/** Who or what ended a shared session, and whether the agent is told on its next heartbeat. */
export interface Ending {
  reason: string;
  by: Actor | null;
  byAdmin: boolean;
}

export interface Wait {
  /** The waiting request stays open until then; a wait at or past it has ended. */
  until: Date;
  /** The request's first attempt (a refusal is recorded once per request). */
  first: boolean;
  /** Who waits: any process may serve the request while it is open. */
  request: WaitingRequest;
}

export type AgentEvent =
  | { type: "seat.granted"; product: string; reservedUntil: string }
  | { type: "queue.position"; product: string; position: number }
  | { type: "session.ended"; product: string; sessionIds: string[]; by: Actor | null; reason: string }
  | { type: "seat.revoked"; product: string }
  | { type: "release_request.closed"; product: string; requestId: string; outcome: "dismissed" | "resolved"; note: string | null; by: Actor };

/** What a change did, for the store to write set-based (the queue is written from its final state). */
export interface PoolWrites {
  sharedStarted: { id: string; userId: string }[];
  sessionsStarted: {
    id: string; userId: string; sharedSessionId: string | null; seat: SeatType; supportKey: string;
    tokenId: string | null; requestId: string | null;
  }[];
  sessionsConnected: string[];
  sessionsEnded: { id: string; reason: string; byAdmin: boolean }[];
  sharedEnded: { id: string; userId: string; ending: Ending }[];
  sessionsMoved: { ids: string[]; seat: SeatType; sharedSessionId: string | null }[];
  /** Shared sessions whose lease restarts now (a start joining it, a connect). */
  leasesRenewed: Set<string>;
  cooldowns: Map<string, Date>;
  /**
   * Agents whose open release requests close, and why: they got a seat, or gave up (their
   * queue place lapsed, or their seat or account went). A seat granted wins.
   */
  releasesClosed: Map<string, "seat_granted" | "gave_up">;
  refusals: number;
  /** Seconds each admitted waiter waited. */
  waits: number[];
  events: { userId: string; event: AgentEvent }[];
  /** Waiting requests served in this change (their processes answer them). */
  served: { userId: string; requestId: string }[];
}

export interface IdSource {
  sharedSessionId(): string;
  sessionId(): string;
  supportKey(): string;
}

export type StartOutcome =
  | { ok: true; kind: "named" | "join" | "take"; sessionId: string; supportKey: string; seat: SeatType; sharedSessionId: string | null; leaseExpiresAt: Date | null }
  | { ok: false; error: DomainError; refused: boolean };

export type SessionOutcome =
  | { ok: true; leaseExpiresAt: Date | null }
  | { ok: false; error: DomainError };

/** Where an agent stands, in precedence order: one ladder for deciding and for showing. */
export type SeatRung =
  | { rung: "no_seat" }
  | { rung: "named" }
  | { rung: "holding" }
  | { rung: "cooldown"; seconds: number }
  | { rung: "reserved"; until: Date; entry: QueueEntry }
  | { rung: "free"; entry: QueueEntry | null }
  | { rung: "all_in_use"; queuePosition: number | null };

const isReserved = (e: QueueEntry, now: Date) => e.reservedUntil !== null && e.reservedUntil > now;

/** A place is live while reserved, or (never reserved) while a request waits or the agent is alive. */
export function isLive(entry: QueueEntry, now: Date): boolean {
  if (entry.reservedUntil !== null) return entry.reservedUntil > now;
  return entry.heldUntil > now || (entry.waitingUntil !== null && entry.waitingUntil > now);
}

/** Agents still waiting for a seat, first come first served. */
export function waitingEntries(pool: PoolState, now: Date): QueueEntry[] {
  return pool.queue.filter((e) => isLive(e, now) && !isReserved(e, now));
}

export function freeSeats(pool: PoolState, now: Date): number {
  return Math.max(0, pool.total - pool.occupied - pool.queue.filter((e) => isReserved(e, now)).length);
}

/** 1 = served next; null when not waiting. */
export function queuePosition(pool: PoolState, userId: string, now: Date): number | null {
  const index = waitingEntries(pool, now).findIndex((e) => e.userId === userId);
  return index === -1 ? null : index + 1;
}

function secondsUntil(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
}

/** The ladder: no seat, named seat, already holding, cooldown, reserved seat, free seat, all in use. */
export function seatRung(pool: PoolState, agent: AgentSeat, now: Date): SeatRung {
  if (agent.seat === null) return { rung: "no_seat" };
  if (agent.seat === "named") return { rung: "named" };
  if (agent.sharedSessionId !== null) return { rung: "holding" };
  if (agent.cooldownUntil !== null && agent.cooldownUntil > now) return { rung: "cooldown", seconds: secondsUntil(agent.cooldownUntil, now) };
  const own = pool.queue.find((e) => e.userId === agent.userId) ?? null;
  if (own && isReserved(own, now)) return { rung: "reserved", until: own.reservedUntil!, entry: own };
  if (freeSeats(pool, now) > 0 && waitingEntries(pool, now).length === 0) return { rung: "free", entry: own };
  return { rung: "all_in_use", queuePosition: queuePosition(pool, agent.userId, now) };
}

export type SeatStatus =
  | { status: "available" }
  | { status: "holding" }
  | { status: "reserved"; reservedUntil: Date }
  | { status: "cooldown"; retryAfter: number }
  | { status: "all_in_use"; queuePosition: number | null };

/** What an agent's app shows for one product it has a seat of (GET /me/seats). */
export function seatStatus(pool: PoolState, agent: AgentSeat & { seat: SeatType }, now: Date): SeatStatus {
  const r = seatRung(pool, agent, now);
  switch (r.rung) {
    case "no_seat":
    case "named":
    case "free":
      return { status: "available" };
    case "holding":
      return { status: "holding" };
    case "cooldown":
      return { status: "cooldown", retryAfter: r.seconds };
    case "reserved":
      return { status: "reserved", reservedUntil: r.until };
    case "all_in_use":
      return { status: "all_in_use", queuePosition: r.queuePosition };
  }
}

export function allSharedSeatsInUse(queuePosition: number | null): DomainError {
  return new DomainError("ALL_SHARED_SEATS_IN_USE", {}, queuePosition !== null ? { queuePosition } : {});
}

function emptyWrites(): PoolWrites {
  return {
    sharedStarted: [], sessionsStarted: [], sessionsConnected: [], sessionsEnded: [], sharedEnded: [], sessionsMoved: [],
    leasesRenewed: new Set(), cooldowns: new Map(), releasesClosed: new Map(), refusals: 0, waits: [], events: [], served: [],
  };
}

/**
 * One product's pool during one change (a transaction): commands in arrival order, each
 * followed by a settle, exactly as if each ran in its own transaction.
 */
export class SeatPool {
  readonly writes: PoolWrites = emptyWrites();
  /** Agents a seat was reserved for in this change. */
  private readonly reservedFor = new Set<string>();
  /** Sessions that ended, before this change (loaded) or in it: who they belonged to, and how. */
  private readonly ended = new Map<string, { userId: string; byAdmin: boolean }>();

  constructor(
    readonly state: PoolState,
    private readonly agents: Map<string, AgentSeat>,
    readonly now: Date,
    private readonly leaseTtlMs: number,
    private readonly ids: IdSource,
    /** Tokens known to be valid now: a waiting request made with one is served as soon as a seat is its. */
    private readonly validTokens: ReadonlySet<string> = new Set(),
  ) {
    this.settle();
  }

  get leaseExpiresAt(): Date {
    return new Date(this.now.getTime() + this.leaseTtlMs);
  }

  hasAgent(userId: string): boolean {
    return this.agents.has(userId);
  }

  addAgent(agent: AgentSeat): void {
    if (!this.agents.has(agent.userId)) this.agents.set(agent.userId, agent);
  }

  agent(userId: string): AgentSeat {
    const agent = this.agents.get(userId);
    if (!agent) throw new Error(`agent ${userId} not loaded into the pool of ${this.state.product}`);
    return agent;
  }

  /** A session that had ended before this change (so that ending or connecting it says how). */
  knowEnded(sessionId: string, userId: string, byAdmin: boolean): void {
    this.ended.set(sessionId, { userId, byAdmin });
  }

  rung(userId: string): SeatRung {
    return seatRung(this.state, this.agent(userId), this.now);
  }

  queuePosition(userId: string): number | null {
    return queuePosition(this.state, userId, this.now);
  }

  /** The agent's waiting request is gone (its token no longer valid): the place lasts while the agent is alive. */
  closeWait(userId: string): void {
    const own = this.state.queue.find((e) => e.userId === userId);
    if (!own || (own.waitingUntil === null && own.request === null)) return;
    own.waitingUntil = null;
    own.request = null;
    if (own.reservedUntil !== null && own.reservedUntil > this.now) this.reservedFor.delete(userId);
    this.settle();
  }

  /**
   * Places that got a seat in this change while their agent's request waits, and whose
   * agent or token the pool does not know yet: the caller loads them, then serves each
   * (serveWaiting) or ends its wait (closeWait) when its token is no longer valid.
   */
  waitingToServe(): QueueEntry[] {
    return this.state.queue.filter((e) => this.reservedFor.has(e.userId) && e.request !== null && e.waitingUntil !== null && e.waitingUntil > this.now);
  }

  /** The session this change made for a waiting request, if it served it. */
  servedSession(requestId: string): PoolWrites["sessionsStarted"][number] | undefined {
    return this.writes.sessionsStarted.find((s) => s.requestId === requestId);
  }

  /** Serves a waiting request whose seat is kept for it (see serveReady). */
  serveWaiting(userId: string): void {
    this.serve(userId);
    this.settle();
  }

  /**
   * The seat kept for a waiting request becomes that request's support session at once,
   * whichever process holds the request, instead of a reservation the request would have
   * to come back for. Serving changes no count of free seats: nothing else moves.
   */
  private serve(userId: string): void {
    const entry = this.state.queue.find((e) => e.userId === userId);
    if (!entry || entry.request === null || !this.reservedFor.has(userId)) return;
    const request = entry.request;
    this.reservedFor.delete(userId);
    const outcome = this.decideStart(this.agent(userId), request.tokenId, { until: entry.waitingUntil!, first: false, request });
    if (!outcome.ok) return;
    this.writes.events = this.writes.events.filter((e) => !(e.userId === userId && e.event.type === "seat.granted"));
    this.writes.served.push({ userId, requestId: request.id });
  }

  /** Waiting requests whose seat is kept for them, when the pool knows their agent and token. */
  private serveReady(): void {
    for (const e of this.waitingToServe()) {
      if (this.agents.has(e.userId) && this.validTokens.has(e.request!.tokenId)) this.serve(e.userId);
    }
  }

  /** Creates a support session, taking or joining a concurrent seat; refused, it may queue. */
  start(userId: string, tokenId: string | null, wait: Wait | null): StartOutcome {
    const outcome = this.decideStart(this.agent(userId), tokenId, wait);
    this.settle();
    if (!outcome.ok && outcome.refused) return { ok: false, refused: true, error: allSharedSeatsInUse(this.queuePosition(userId)) };
    return outcome;
  }

  private decideStart(agent: AgentSeat, tokenId: string | null, wait: Wait | null): StartOutcome {
    const product = this.state.product;
    if (agent.seat === null) return { ok: false, refused: false, error: new DomainError("NO_SEAT_ASSIGNED", { product }) };
    if (agent.sessions.length >= MAX_OPEN_SESSIONS) {
      return { ok: false, refused: false, error: new DomainError("TOO_MANY_SESSIONS", { product, max: MAX_OPEN_SESSIONS }) };
    }
    const r = seatRung(this.state, agent, this.now);
    switch (r.rung) {
      case "no_seat":
      case "all_in_use":
        return this.refuse(agent, wait);
      case "cooldown":
        return { ok: false, refused: false, error: new DomainError("SEAT_COOLDOWN", { product, seconds: r.seconds }, { retryAfter: r.seconds }, [], r.seconds) };
      case "named":
        return this.openSession(agent, null, "named", tokenId, null);
      case "holding":
        this.writes.leasesRenewed.add(agent.sharedSessionId!);
        return this.openSession(agent, agent.sharedSessionId, "join", tokenId, null);
      case "reserved":
      case "free":
        return this.openSession(agent, this.takeSeat(agent, r.entry), "take", tokenId, wait?.request.id ?? null);
    }
  }

  private refuse(agent: AgentSeat, wait: Wait | null): StartOutcome {
    const waiting = wait !== null && wait.until > this.now;
    const own = this.state.queue.find((e) => e.userId === agent.userId);
    if (waiting && own) {
      own.waitingUntil = own.waitingUntil && own.waitingUntil > wait.until ? own.waitingUntil : wait.until;
      own.request = wait.request;
    }
    if (waiting && !own) {
      this.state.queue.push({
        userId: agent.userId, seq: null, enqueuedAt: this.now, heldUntil: agent.seenUntil ?? this.now, waitingUntil: wait.until, reservedUntil: null,
        request: wait.request,
      });
    }
    if (!waiting && wait !== null && own) {
      // The wait ended: the place lasts while the agent is alive.
      own.waitingUntil = null;
      own.request = null;
    }
    if (wait === null || wait.first) this.writes.refusals++;
    return { ok: false, refused: true, error: allSharedSeatsInUse(null) };
  }

  /** A new shared session for the agent; a queue place (reserved or not) is used up. */
  private takeSeat(agent: AgentSeat, entry: QueueEntry | null): string {
    const id = this.ids.sharedSessionId();
    if (entry) {
      this.state.queue = this.state.queue.filter((e) => e !== entry);
      this.writes.waits.push((this.now.getTime() - entry.enqueuedAt.getTime()) / 1000);
    }
    agent.sharedSessionId = id;
    this.state.occupied++;
    this.writes.sharedStarted.push({ id, userId: agent.userId });
    this.writes.releasesClosed.set(agent.userId, "seat_granted");
    return id;
  }

  private openSession(
    agent: AgentSeat,
    sharedSessionId: string | null,
    kind: "named" | "join" | "take",
    tokenId: string | null,
    requestId: string | null,
  ): StartOutcome {
    const id = this.ids.sessionId();
    const supportKey = this.ids.supportKey();
    const seat = agent.seat!;
    agent.sessions.push({ id, state: "pending", sharedSessionId });
    this.writes.sessionsStarted.push({ id, userId: agent.userId, sharedSessionId, seat, supportKey, tokenId, requestId });
    return { ok: true, kind, sessionId: id, supportKey, seat, sharedSessionId, leaseExpiresAt: sharedSessionId === null ? null : this.leaseExpiresAt };
  }

  private endedError(sessionId: string): DomainError {
    return new DomainError(this.ended.get(sessionId)?.byAdmin ? "SESSION_ENDED_BY_ADMIN" : "SESSION_ENDED");
  }

  /** The customer connected: the session is active and its seat's lease restarts. */
  connect(userId: string, sessionId: string): SessionOutcome {
    const session = this.agent(userId).sessions.find((s) => s.id === sessionId);
    if (!session) return { ok: false, error: this.endedError(sessionId) };
    session.state = "active";
    this.writes.sessionsConnected.push(sessionId);
    if (session.sharedSessionId === null) return { ok: true, leaseExpiresAt: null };
    this.writes.leasesRenewed.add(session.sharedSessionId);
    return { ok: true, leaseExpiresAt: this.leaseExpiresAt };
  }

  /** Ends one support session; the seat is freed with the agent's last one of the product. */
  end(userId: string, sessionId: string, reason: string): SessionOutcome {
    const agent = this.agent(userId);
    if (!agent.sessions.some((s) => s.id === sessionId)) return { ok: false, error: this.endedError(sessionId) };
    this.endSessions(agent, [sessionId], { reason, by: null, byAdmin: false });
    if (agent.sharedSessionId !== null && !agent.sessions.some((s) => s.sharedSessionId === agent.sharedSessionId)) {
      this.endShared(agent, { reason, by: null, byAdmin: false });
    }
    this.settle();
    return { ok: true, leaseExpiresAt: null };
  }

  /** S9: an admin ends the agent's shared session; it may not take a seat until the cooldown ends. */
  endByAdmin(userId: string, by: Actor, reason: string, cooldownUntil: Date | null): { sharedSessionId: string; sessionIds: string[] } | null {
    const agent = this.agent(userId);
    const sharedSessionId = agent.sharedSessionId;
    if (sharedSessionId === null) return null;
    const ending = { reason, by, byAdmin: true };
    const sessionIds = agent.sessions.filter((s) => s.sharedSessionId === sharedSessionId).map((s) => s.id);
    this.endSessions(agent, sessionIds, ending);
    this.endShared(agent, ending);
    if (cooldownUntil !== null && cooldownUntil > this.now) {
      agent.cooldownUntil = cooldownUntil;
      this.writes.cooldowns.set(userId, cooldownUntil);
    }
    this.event(userId, { type: "session.ended", product: this.state.product, sessionIds, by, reason });
    this.settle();
    return { sharedSessionId, sessionIds };
  }

  /**
   * Ends everything the agent has on this product — its shared session, every support
   * session (a named seat's too) and its queue place: a revoked seat, a deactivated or
   * deleted user. Returns the shared session ended, if any.
   */
  endEverything(userId: string, ending: Ending): string | null {
    const agent = this.agent(userId);
    const sharedSessionId = agent.sharedSessionId;
    const sessionIds = agent.sessions.map((s) => s.id);
    this.endSessions(agent, sessionIds, ending);
    if (sharedSessionId !== null) this.endShared(agent, ending);
    this.state.queue = this.state.queue.filter((e) => e.userId !== userId);
    this.gaveUp(userId);
    if (sessionIds.length > 0) this.event(userId, { type: "session.ended", product: this.state.product, sessionIds, by: ending.by, reason: ending.reason });
    this.settle();
    return sharedSessionId;
  }

  /**
   * The agent's seat of this product changed. To named: its sessions move off the pool and
   * the pool seat is freed. To concurrent: open sessions need a pool seat; with none free
   * for the agent, they end. To none (revoked): everything ends. Returns the shared session
   * that ended, if one did.
   */
  changeSeat(userId: string, to: SeatType | null, by: Actor | null, reason = "seat_revoked"): string | null {
    const agent = this.agent(userId);
    const from = agent.seat;
    const shared = agent.sharedSessionId;
    agent.seat = to;
    if (to === null) {
      this.endEverything(userId, { reason, by, byAdmin: false });
      this.event(userId, { type: "seat.revoked", product: this.state.product });
      return shared;
    }
    if (from === to) return null;
    const ids = agent.sessions.map((s) => s.id);
    if (to === "named") {
      for (const s of agent.sessions) s.sharedSessionId = null;
      if (ids.length > 0) this.writes.sessionsMoved.push({ ids, seat: "named", sharedSessionId: null });
      if (agent.sharedSessionId !== null) this.endShared(agent, { reason: "seat_changed", by, byAdmin: false });
      this.state.queue = this.state.queue.filter((e) => e.userId !== userId);
    } else if (ids.length > 0) {
      const r = seatRung(this.state, agent, this.now);
      if (r.rung === "free" || r.rung === "reserved") {
        const shared = this.takeSeat(agent, r.entry);
        for (const s of agent.sessions) s.sharedSessionId = shared;
        this.writes.sessionsMoved.push({ ids, seat: "concurrent", sharedSessionId: shared });
      } else {
        this.endEverything(userId, { reason: "seat_changed", by, byAdmin: false });
        return null;
      }
    }
    this.settle();
    return shared;
  }

  /** The billing contact changed the number of concurrent seats (S3). */
  setTotal(total: number): void {
    this.state.total = total;
    this.settle();
  }

  private endSessions(agent: AgentSeat, ids: string[], ending: Ending): void {
    for (const id of ids) {
      this.writes.sessionsEnded.push({ id, reason: ending.reason, byAdmin: ending.byAdmin });
      this.ended.set(id, { userId: agent.userId, byAdmin: ending.byAdmin });
    }
    agent.sessions = agent.sessions.filter((s) => !ids.includes(s.id));
  }

  private endShared(agent: AgentSeat, ending: Ending): void {
    this.writes.sharedEnded.push({ id: agent.sharedSessionId!, userId: agent.userId, ending });
    agent.sharedSessionId = null;
    this.state.occupied--;
  }

  private event(userId: string, event: AgentEvent): void {
    this.writes.events.push({ userId, event });
  }

  private gaveUp(userId: string): void {
    if (!this.writes.releasesClosed.has(userId)) this.writes.releasesClosed.set(userId, "gave_up");
  }

  /** Dead places go (their agents gave up); free seats go to the head of the queue as reservations, in order. */
  private settle(): void {
    const now = this.now;
    for (const e of this.state.queue) if (!isLive(e, now)) this.gaveUp(e.userId);
    this.state.queue = this.state.queue.filter((e) => isLive(e, now));
    const until = this.leaseExpiresAt;
    for (const entry of waitingEntries(this.state, now).slice(0, freeSeats(this.state, now))) {
      entry.reservedUntil = until;
      this.reservedFor.add(entry.userId);
      this.event(entry.userId, { type: "seat.granted", product: this.state.product, reservedUntil: until.toISOString() });
    }
    this.serveReady();
  }
}

/** A nine-digit support key, as agents read it out to customers. */
export function formatSupportKey(random: number): string {
  return String(Math.floor(random * 1e9)).padStart(9, "0");
}
