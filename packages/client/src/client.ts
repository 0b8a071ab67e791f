// The Seatkeeper client for agent apps. One instance per signed-in agent: it signs in, keeps
// the agent's leases and queue places alive with heartbeats, listens to its event stream,
// starts support sessions (waiting for a seat when asked, retrying through network loss
// without ever taking a second seat), and verifies leases offline.
import createClient from "openapi-fetch";
import { isSeatkeeperError, NetworkError, SeatkeeperError, type Problem } from "./errors.js";
import { EventStream, sleep } from "./event-stream.js";
import { leaseKeyId, LeaseVerificationError, verifyLeaseToken, type JwkSet, type LeaseClaims } from "./lease.js";
import type { paths } from "./openapi.js";

type Json<P extends keyof paths, M extends "get" | "post", S extends number> = paths[P][M] extends {
  responses: { [K in S]: { content: { "application/json": infer T } } };
}
  ? T
  : never;

export type SignInResult = Json<"/api/v1/auth/login", "post", 200>;
export type SeatNotice = SignInResult["seatNotices"][number];
export type MySeat = Json<"/api/v1/me/seats", "get", 200>["items"][number];
export type SupportSession = Json<"/api/v1/me/sessions", "post", 201>;
export type ReleaseRequest = Json<"/api/v1/me/release-requests", "post", 201>;
export type Connection = NonNullable<paths["/api/v1/me/sessions/{id}/connect"]["post"]["requestBody"]>["content"]["application/json"];
export type Actor = { id: string | null; name: string | null };

/** What the client tells the app. */
export interface ClientEvents {
  /** The agent's place in a product's queue (1 = served next). */
  "queue.position": { product: string; position: number };
  /** A seat was freed and is kept for the agent: its next start takes it. */
  "seat.granted": { product: string; reservedUntil: string };
  /** An admin ended the agent's shared session ("ended by Alice: customer finished"). */
  "session.ended": { product: string; sessionIds: string[]; by: Actor | null; reason: string | null };
  /** The agent's seat of a product was taken away. */
  "seat.revoked": { product: string };
  /** A lease the agent held is gone: ended by an admin or revoked, or expired before a heartbeat got through. */
  "lease.lost": { product: string; reason: "ended" | "revoked" | "expired" };
  /** The event stream (and so the server) is reachable, or not. */
  connection: { online: boolean };
  /** The server no longer accepts the token (signed out elsewhere, deactivated): the client stops. */
  "signed.out": Record<string, never>;
}

export interface ClientOptions {
  /** Where the server is, e.g. https://seats.example.com */
  baseUrl: string;
  app: "desktop" | "mobile";
  /** Messages for people (the S5 notice, error details) in this language: "en" or "fr". */
  language?: string;
  fetch?: typeof fetch;
  /** A JWK Set saved from an earlier run (exportJwks), to verify leases before reaching the server. */
  jwks?: JwkSet;
  /** Heartbeats come at this fraction of leaseTtlSeconds (with ±10 % jitter). */
  heartbeatFraction?: number;
  /** The event stream's reconnect delays, in ms. */
  reconnect?: { minDelayMs?: number; maxDelayMs?: number };
}

export interface StartOptions {
  product: string;
  /** Wait up to this many seconds for a seat (any length: the client asks again every minute). */
  wait?: number;
  signal?: AbortSignal;
}

/** A lease the agent holds, as the client last heard of it. */
interface HeldLease {
  token: string;
  expiresAt: Date;
  /** When the client learnt of it: a heartbeat sent before then cannot have renewed it. */
  learntAt: number;
}

const DEFAULT_LEASE_TTL_SECONDS = 90;
/** The server's longest wait per request. */
const MAX_WAIT_PER_REQUEST = 60;

type Listener<K extends keyof ClientEvents> = (event: ClientEvents[K]) => void;

export class SeatkeeperClient {
  private readonly api;
  private readonly fetchImpl: typeof fetch;
  private token: string | undefined;
  private user: SignInResult["user"] | undefined;
  private notices: SeatNotice[] = [];
  private leaseTtlSeconds = DEFAULT_LEASE_TTL_SECONDS;
  private jwks: JwkSet;
  private readonly leases = new Map<string, HeldLease>();
  private readonly listeners = new Map<keyof ClientEvents, Set<(event: never) => void>>();
  private readonly reported = new Set<string>();
  private readonly positions = new Map<string, number>();
  private stream: EventStream | undefined;
  private heartbeatTimer: ReturnType<typeof setTimeout> | undefined;
  private heartbeatFailures = 0;
  private online = false;
  private signingOut = false;

  constructor(private readonly options: ClientOptions) {
    this.fetchImpl = options.fetch ?? ((...args) => globalThis.fetch(...args));
    this.api = createClient<paths>({ baseUrl: options.baseUrl.replace(/\/+$/, ""), fetch: this.fetchImpl });
    this.jwks = options.jwks ?? { keys: [] };
  }

  // -------------------------------------------------------------------------------------
  // Events

  on<K extends keyof ClientEvents>(type: K, listener: Listener<K>): () => void {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    set.add(listener as (event: never) => void);
    return () => set.delete(listener as (event: never) => void);
  }

  private emit<K extends keyof ClientEvents>(type: K, event: ClientEvents[K]): void {
    for (const listener of this.listeners.get(type) ?? []) (listener as Listener<K>)(event);
  }

  // -------------------------------------------------------------------------------------
  // Signing in and out

  /** Signs in as the agent app; the S5 notices are then in `seatNotices`. Starts heartbeats and the event stream. */
  async signIn(credentials: { email: string; password: string }): Promise<SignInResult> {
    const result = await this.call(() => this.api.POST("/api/v1/auth/login", { body: { ...credentials, app: this.options.app }, headers: this.headers() }));
    this.token = result.token;
    this.user = result.user;
    this.notices = result.seatNotices;
    const account = await this.call(() => this.api.GET("/api/v1/account", { headers: this.headers() }));
    this.leaseTtlSeconds = account.settings.leaseTtlSeconds;
    await this.refreshJwks().catch(() => undefined);
    this.stream = new EventStream({
      url: `${this.options.baseUrl.replace(/\/+$/, "")}/api/v1/me/events`,
      headers: () => this.headers(),
      fetch: this.fetchImpl,
      onEvent: (event) => this.onServerEvent(event),
      onState: (open) => this.setOnline(open),
      onUnauthenticated: () => this.lostSignIn(),
      ...this.options.reconnect,
    });
    // At once: from now on the agent counts as present, so a queue place outlives a dropped wait.
    await this.heartbeat();
    return result;
  }

  /** The signed-in user. */
  get me(): SignInResult["user"] | undefined {
    return this.user;
  }

  /** S5: products where every shared seat is in use, in the user's language, as told at sign-in. */
  get seatNotices(): SeatNotice[] {
    return this.notices;
  }

  /** Ends the agent's pending sessions (server side), revokes the token and stops heartbeats and events. */
  async signOut(): Promise<void> {
    this.signingOut = true;
    try {
      await this.call(() => this.api.POST("/api/v1/auth/logout", { headers: this.headers() }));
    } finally {
      await this.stop();
    }
  }

  /** Stops heartbeats and the event stream without signing out (the app is closing). */
  async stop(): Promise<void> {
    clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
    const stream = this.stream;
    this.stream = undefined;
    await stream?.close();
    this.token = undefined;
  }

  // -------------------------------------------------------------------------------------
  // Seats and sessions

  async mySeats(): Promise<MySeat[]> {
    return (await this.call(() => this.api.GET("/api/v1/me/seats", { headers: this.headers() }))).items;
  }

  /**
   * Creates a support session of `product`, taking a concurrent seat. With `wait`, waits up to
   * that many seconds in the product's queue (positions come as "queue.position" events).
   * A request lost to the network is sent again with the same Idempotency-Key, so that a
   * retried start never takes a second seat; the agent's heartbeats keep its queue place.
   */
  async startSession({ product, wait, signal }: StartOptions): Promise<SupportSession> {
    const key = randomKey();
    const deadline = wait === undefined ? undefined : Date.now() + wait * 1000;
    // Every request of one start has the same body (an Idempotency-Key is bound to it): a long
    // wait is asked for in equal steps of at most a minute.
    const step = wait === undefined ? undefined : Math.max(1, Math.ceil(wait / Math.ceil(wait / MAX_WAIT_PER_REQUEST)));
    for (let failures = 0; ; ) {
      signal?.throwIfAborted();
      try {
        const session = await this.call(
          () => this.api.POST("/api/v1/me/sessions", {
            body: { product, ...(step !== undefined && { wait: step }) },
            headers: this.headers({ "idempotency-key": key }),
            signal: timeout(signal, ((step ?? 0) + 15) * 1000),
          }),
        );
        this.positions.delete(product);
        this.holdLease(session);
        return session;
      } catch (error) {
        if (isSeatkeeperError(error, "ALL_SHARED_SEATS_IN_USE")) {
          if (error.queuePosition !== undefined) this.position(product, error.queuePosition);
          if (deadline === undefined || Date.now() >= deadline - 500) throw error;
          failures = 0;
          continue;
        }
        const retryable = isSeatkeeperError(error, "NETWORK") || isSeatkeeperError(error, "IDEMPOTENCY_KEY_IN_USE") || isSeatkeeperError(error, "SERVICE_UNAVAILABLE");
        if (!retryable || signal?.aborted || (deadline === undefined && failures >= 5)) throw error;
        if (deadline !== undefined && Date.now() >= deadline && !isSeatkeeperError(error, "IDEMPOTENCY_KEY_IN_USE")) throw error;
        await sleep(backoff(failures++), signal);
      }
    }
  }

  /** The customer connected. */
  async connect(session: SupportSession | string, connection: Connection): Promise<SupportSession> {
    const id = typeof session === "string" ? session : session.id;
    const connected = await this.retrying(() => this.call(() => this.api.POST("/api/v1/me/sessions/{id}/connect", { params: { path: { id } }, body: connection, headers: this.headers() })));
    this.holdLease(connected);
    return connected;
  }

  /**
   * Ends a support session; the seat is freed with the agent's last open session of the
   * product. An end whose answer was lost is sent again; finding it ended then is success.
   */
  async end(session: SupportSession | string): Promise<void> {
    const id = typeof session === "string" ? session : session.id;
    for (let failures = 0; ; failures++) {
      try {
        const ended = await this.call(() => this.api.POST("/api/v1/me/sessions/{id}/end", { params: { path: { id } }, headers: this.headers() }));
        if (!ended.seat.leaseToken) this.leases.delete(ended.product);
        return;
      } catch (error) {
        if (failures > 0 && isSeatkeeperError(error, "SESSION_ENDED")) return;
        if (!isSeatkeeperError(error, "NETWORK") || failures >= 5) throw error;
        await sleep(backoff(failures));
      }
    }
  }

  /** Asks the admins to free a shared seat (S6). */
  async releaseRequest(product: string, message?: string): Promise<ReleaseRequest> {
    const key = randomKey();
    return this.retrying(() => this.call(() => this.api.POST("/api/v1/me/release-requests", {
      body: { product, ...(message !== undefined && { message }) },
      headers: this.headers({ "idempotency-key": key }),
    })));
  }

  // -------------------------------------------------------------------------------------
  // Leases, verified offline

  /** The lease held on `product`, verified offline (signature and expiry); null when there is none valid. */
  async lease(product: string, now = new Date()): Promise<(LeaseClaims & { token: string }) | null> {
    const held = this.leases.get(product);
    if (!held) return null;
    try {
      return { ...(await this.verifyLease(held.token, now)), token: held.token };
    } catch (error) {
      if (error instanceof LeaseVerificationError) return null;
      throw error;
    }
  }

  /**
   * Verifies a lease token offline against the server's keys (fetched at sign-in, and again
   * when a token names a key not seen yet and the server is reachable).
   */
  async verifyLease(token: string, now = new Date()): Promise<LeaseClaims> {
    const kid = leaseKeyId(token);
    if (kid !== undefined && !this.jwks.keys.some((k) => k.kid === kid)) await this.refreshJwks().catch(() => undefined);
    return verifyLeaseToken(token, this.jwks, now);
  }

  /** The keys the client knows, to save and pass as `jwks` next time (verification before reaching the server). */
  exportJwks(): JwkSet {
    return { keys: [...this.jwks.keys] };
  }

  private async refreshJwks(): Promise<void> {
    this.jwks = (await this.call(() => this.api.GET("/.well-known/jwks.json", {}))) as JwkSet;
  }

  private holdLease(session: SupportSession): void {
    const token = session.seat.leaseToken;
    if (!token) return;
    const claims = decodeClaims(token);
    this.leases.set(session.product, { token, expiresAt: new Date((claims?.exp ?? 0) * 1000), learntAt: Date.now() });
  }

  // -------------------------------------------------------------------------------------
  // Heartbeats: at a fraction of leaseTtlSeconds, with jitter; sooner after a failure.

  private heartbeatInterval(): number {
    const fraction = this.options.heartbeatFraction ?? 1 / 3;
    const base = this.leaseTtlSeconds * 1000 * fraction;
    return base * (0.9 + Math.random() * 0.2);
  }

  private scheduleHeartbeat(ms: number): void {
    clearTimeout(this.heartbeatTimer);
    if (this.token === undefined) return;
    this.heartbeatTimer = setTimeout(() => void this.heartbeat(), ms);
  }

  /** Sends a heartbeat now (the client also does on its own). */
  async heartbeat(): Promise<void> {
    if (this.token === undefined) return;
    const sentAt = Date.now();
    try {
      const beat = await this.call(() => this.api.POST("/api/v1/me/heartbeat", { headers: this.headers(), signal: AbortSignal.timeout(10_000) }));
      this.heartbeatFailures = 0;
      for (const e of beat.ended) this.adminEnded({ product: e.product, sessionIds: e.sessionIds, by: e.by, reason: e.reason });
      const renewed = new Set(beat.leases.map((l) => l.product));
      for (const l of [...beat.leases, ...beat.namedSeats]) this.leases.set(l.product, { token: l.token, expiresAt: new Date(l.expiresAt), learntAt: sentAt });
      for (const [product, held] of this.leases) {
        // A named seat is never lost for want of a heartbeat (its token is renewed while it has
        // an open session). A seat taken while this heartbeat was on its way is not in its answer.
        if (!renewed.has(product) && held.learntAt < sentAt && decodeClaims(held.token)?.seat === "concurrent") this.loseLease(product, "expired");
      }
      // Counted from when this one was sent, so that the answer's latency does not make the beat drift.
      this.scheduleHeartbeat(this.heartbeatInterval() - (Date.now() - sentAt));
    } catch (error) {
      if (isSeatkeeperError(error, "UNAUTHENTICATED")) return this.lostSignIn();
      this.heartbeatFailures++;
      const now = Date.now();
      for (const [product, held] of this.leases) if (held.expiresAt.getTime() <= now) this.loseLease(product, "expired");
      this.scheduleHeartbeat(Math.min(backoff(this.heartbeatFailures), this.heartbeatInterval() / 2));
    }
  }

  private loseLease(product: string, reason: ClientEvents["lease.lost"]["reason"]): void {
    if (!this.leases.delete(product)) return;
    this.emit("lease.lost", { product, reason });
  }

  // -------------------------------------------------------------------------------------
  // Server events

  private onServerEvent(event: Record<string, unknown>): void {
    const product = String(event.product);
    switch (event.type) {
      case "queue.position":
        this.position(product, Number(event.position));
        break;
      case "seat.granted":
        this.emit("seat.granted", { product, reservedUntil: String(event.reservedUntil) });
        break;
      case "session.ended":
        this.adminEnded({ product, sessionIds: (event.sessionIds as string[]) ?? [], by: (event.by as Actor | null) ?? null, reason: (event.reason as string | null) ?? null });
        break;
      case "seat.revoked":
        this.emit("seat.revoked", { product });
        this.loseLease(product, "revoked");
        break;
    }
  }

  /** Both the event stream and heartbeats report an admin's end: the app hears of it once. */
  private adminEnded(ended: ClientEvents["session.ended"]): void {
    const key = `${ended.product}:${[...ended.sessionIds].sort().join(",")}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.emit("session.ended", ended);
    this.loseLease(ended.product, "ended");
  }

  private position(product: string, position: number): void {
    if (this.positions.get(product) === position) return;
    this.positions.set(product, position);
    this.emit("queue.position", { product, position });
  }

  private setOnline(online: boolean): void {
    if (online === this.online) return;
    this.online = online;
    this.emit("connection", { online });
    // Back online: renew the leases at once rather than at the next tick.
    if (online && this.heartbeatFailures > 0) void this.heartbeat();
  }

  private lostSignIn(): void {
    if (this.token === undefined || this.signingOut) return;
    void this.stop();
    this.emit("signed.out", {});
  }

  // -------------------------------------------------------------------------------------
  // Requests

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return {
      ...(this.token !== undefined && { authorization: `Bearer ${this.token}` }),
      ...(this.options.language !== undefined && { "accept-language": this.options.language }),
      ...extra,
    };
  }

  /** Runs one request: the answer's data, or a SeatkeeperError (NetworkError when there was no answer). */
  private async call<T>(request: () => Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
    let result: { data?: T; error?: unknown; response: Response };
    try {
      result = await request();
    } catch (error) {
      throw new NetworkError(error);
    }
    const { data, error, response } = result;
    if (!response.ok) {
      const problem = (typeof error === "object" && error !== null ? error : { status: response.status, code: "INTERNAL" }) as Problem;
      const retryAfter = response.headers.get("retry-after");
      throw new SeatkeeperError({ ...problem, status: response.status }, retryAfter === null ? undefined : Number(retryAfter));
    }
    return data as T;
  }

  /** Retries a request lost to the network (not one the server answered), with backoff, a few times. */
  private async retrying<T>(run: () => Promise<T>): Promise<T> {
    for (let failures = 0; ; failures++) {
      try {
        return await run();
      } catch (error) {
        if (!isSeatkeeperError(error, "NETWORK") || failures >= 5) throw error;
        await sleep(backoff(failures));
      }
    }
  }
}

function backoff(failures: number): number {
  const base = Math.min(250 * 2 ** failures, 5000);
  return base / 2 + Math.random() * (base / 2);
}

function timeout(signal: AbortSignal | undefined, ms: number): AbortSignal {
  const limit = AbortSignal.timeout(ms);
  return signal ? AbortSignal.any([signal, limit]) : limit;
}

function randomKey(): string {
  return crypto.randomUUID();
}

function decodeClaims(token: string): LeaseClaims | undefined {
  try {
    const part = token.split(".")[1] ?? "";
    return JSON.parse(atob(part.replace(/-/g, "+").replace(/_/g, "/"))) as LeaseClaims;
  } catch {
    return undefined;
  }
}
