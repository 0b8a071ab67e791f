// The API's JSON shapes, one TypeBox schema each, and their types (`User` is both).
// Services build their answers as these types, routes answer with these schemas (Fastify
// serialises with them, so a field missing here never leaves the server), and the admin
// center imports the types (web/src/api.ts). Depends on nothing but TypeBox: the web
// build type-checks this file too.
import { Type, type Static, type TSchema } from "typebox";
import { PRIVILEGES, ROLES } from "./access.js";
import { SEAT_TYPES } from "./seat-rules.js";
import { DELIVERY_STATUSES, WEBHOOK_EVENT_TYPES } from "./webhook-events.js";

/** A string enum that validates with one clear error ("must be one of: …"). */
export function StringEnum<const T extends readonly string[]>(values: T, options: { description?: string } = {}) {
  return Type.Unsafe<T[number]>({ type: "string", enum: [...values], ...options });
}

export function Nullable<T extends TSchema>(schema: T) {
  return Type.Union([schema, Type.Null()]);
}

/** RFC 3339; as input, only what a Date and the database hold exactly (src/domain/timestamp.ts). */
export const Timestamp = Type.String({ format: "date-time" });
export const Role = StringEnum(ROLES);
export const PrivilegeList = Type.Array(StringEnum(PRIVILEGES), { uniqueItems: true, maxItems: PRIVILEGES.length });
export const SeatType = StringEnum(SEAT_TYPES);

export function page<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), nextCursor: Nullable(Type.String()) });
}
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String(),
    requestId: Type.String(),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
    queuePosition: Type.Optional(Type.Integer({ minimum: 1, description: "ALL_SHARED_SEATS_IN_USE: the caller's place in the queue" })),
    retryAfter: Type.Optional(Type.Integer({ description: "SEAT_COOLDOWN: seconds until the seat may be taken again" })),
    pendingMigrations: Type.Optional(Type.Array(Type.String(), { description: "/readyz: the migrations not applied yet" })),
  },
  { additionalProperties: true, description: "application/problem+json" },
);
export type Problem = Static<typeof Problem>;

/** Extension: null for a user provisioned by SCIM without an email (it cannot sign in until it has one). */
export const SignInEmail = Type.Union([Type.String(), Type.Null()], {
  description: "the sign-in email; null for a user provisioned by SCIM without one, who cannot sign in until it has one",
});

/** A user as named inside other shapes (a shared session, a release request, a group warning). */
export const UserRef = Type.Object({ id: Type.String(), name: Type.String(), email: SignInEmail });

export const UserSummary = Type.Object({
  id: Type.String(),
  email: SignInEmail,
  name: Type.String(),
  role: Role,
  privileges: PrivilegeList,
  billingContact: Type.Boolean(),
});
export type UserSummary = Static<typeof UserSummary>;

export const UserSeat = Type.Object({ product: Type.String(), type: SeatType, source: Type.String({ description: "manual, csv or scim-group" }) });

export const User = Type.Object({
  ...UserSummary.properties,
  userName: Type.String({ description: "extension: the SCIM userName, which is the email for users SCIM never wrote" }),
  active: Type.Boolean(),
  hasPassword: Type.Boolean(),
  externalId: Nullable(Type.String()),
  seats: Type.Array(UserSeat),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type User = Static<typeof User>;

export const SeatNotice = Type.Object({ product: Type.String(), code: Type.Literal("ALL_SHARED_SEATS_IN_USE"), message: Type.String() });
export const SignIn = Type.Object({ token: Type.String(), user: UserSummary, seatNotices: Type.Array(SeatNotice) });
export type SignIn = Static<typeof SignIn>;

export const Product = Type.Object({ id: Type.String(), slug: Type.String(), name: Type.String(), createdAt: Timestamp });
export type Product = Static<typeof Product>;

export const AccountSettings = Type.Object({
  leaseTtlSeconds: Type.Integer({ minimum: 5, maximum: 3600 }),
  pendingTimeoutSeconds: Type.Integer({ minimum: 5, maximum: 86400 }),
  endedCooldownSeconds: Type.Integer({ minimum: 0, maximum: 3600 }),
});
export type AccountSettings = Static<typeof AccountSettings>;

export const Account = Type.Object({ id: Type.String(), name: Type.String(), settings: AccountSettings, createdAt: Timestamp });
export type Account = Static<typeof Account>;
export const NewAccount = Type.Object({ ...Account.properties, admin: User });
export type NewAccount = Static<typeof NewAccount>;

export const AuditEntry = Type.Object({
  id: Type.String(),
  at: Timestamp,
  actor: Type.Object({ type: StringEnum(["user", "operator", "scim", "system"]), id: Nullable(Type.String()), name: Nullable(Type.String()) }),
  action: Type.String(),
  target: Type.Object({ type: Type.String(), id: Type.String(), name: Type.Optional(Type.String()) }),
  details: Type.Record(Type.String(), Type.Unknown()),
});
export type AuditEntry = Static<typeof AuditEntry>;

export const SubscriptionLine = Type.Object({
  product: Type.String(),
  name: Type.String(),
  named: Type.Object({ total: Type.Integer(), assigned: Type.Integer() }),
  concurrent: Type.Object({ total: Type.Integer(), occupied: Type.Integer(), waiting: Type.Integer(), eligible: Type.Integer() }),
});
export type SubscriptionLine = Static<typeof SubscriptionLine>;
export const Subscription = Type.Object({ items: Type.Array(SubscriptionLine) });
export type Subscription = Static<typeof Subscription>;

export const SessionMode = StringEnum(["attended", "unattended"]);
export const Platform = StringEnum(["windows", "mac", "ios", "android"]);

export const SupportSession = Type.Object({
  id: Type.String(),
  product: Type.String(),
  state: StringEnum(["pending", "active", "ended"]),
  supportKey: Type.String({ description: "nine digits the customer types in" }),
  seat: Type.Object({
    type: SeatType,
    leaseExpiresAt: Nullable(Timestamp),
    leaseToken: Type.Optional(Type.String({
      description: "while the session holds its seat: a JWT signed with Ed25519 that an app verifies offline against /.well-known/jwks.json (claims iss, sub, acct, product, seat, iat, exp); a concurrent seat's expires with its lease, a named seat's after the account's leaseTtlSeconds",
    })),
  }),
  mode: Type.Optional(SessionMode),
  platform: Type.Optional(Platform),
  createdAt: Timestamp,
  connectedAt: Type.Optional(Timestamp),
  endedAt: Type.Optional(Timestamp),
  endReason: Type.Optional(Nullable(Type.String({ description: "with endedAt, why it ended (agent, logout, pending_timeout, seat_revoked, …)" }))),
});
export type SupportSession = Static<typeof SupportSession>;

export const MySeat = Type.Object({
  product: Type.String(),
  type: SeatType,
  status: StringEnum(["available", "all_in_use", "holding", "reserved", "cooldown"]),
  message: Type.Optional(Type.String()),
  queuePosition: Type.Optional(Type.Integer({ minimum: 1 })),
  reservedUntil: Type.Optional(Timestamp),
  retryAfter: Type.Optional(Type.Integer()),
});
export const MySeats = Type.Object({ items: Type.Array(MySeat) });
export type MySeats = Static<typeof MySeats>;

export const Heartbeat = Type.Object({
  leases: Type.Array(Type.Object({
    product: Type.String(),
    expiresAt: Timestamp,
    token: Type.String({ description: "the renewed lease, signed (see seat.leaseToken)" }),
  })),
  namedSeats: Type.Array(Type.Object({
    product: Type.String(),
    expiresAt: Timestamp,
    token: Type.String({ description: "a named seat's lease token, renewed for leaseTtlSeconds" }),
  }), { description: "the named seats the agent works on (an open support session): their lease tokens, renewed" }),
  ended: Type.Array(
    Type.Object({
      product: Type.String(),
      sessionIds: Type.Array(Type.String()),
      by: Type.Object({ id: Nullable(Type.String()), name: Nullable(Type.String()) }),
      reason: Nullable(Type.String()),
      at: Timestamp,
    }),
  ),
});
export type Heartbeat = Static<typeof Heartbeat>;

export const NewReleaseRequest = Type.Object({
  id: Type.String(),
  product: Type.String(),
  user: UserRef,
  message: Nullable(Type.String()),
  createdAt: Timestamp,
});
export type NewReleaseRequest = Static<typeof NewReleaseRequest>;
export const ReleaseRequest = Type.Object({ ...NewReleaseRequest.properties, productName: Type.String() });
export type ReleaseRequest = Static<typeof ReleaseRequest>;

export const SharedSession = Type.Object({
  id: Type.String(),
  product: Type.String(),
  user: UserRef,
  state: StringEnum(["pending", "active"]),
  since: Timestamp,
  leaseExpiresAt: Timestamp,
  lastHeartbeatAt: Nullable(Timestamp),
  idleSince: Nullable(Timestamp),
  sessions: Type.Array(
    Type.Object({
      id: Type.String(),
      state: StringEnum(["pending", "active"]),
      mode: Type.Optional(SessionMode),
      platform: Type.Optional(Platform),
      createdAt: Timestamp,
    }),
  ),
});
export type SharedSession = Static<typeof SharedSession>;
export const EndedSharedSessions = Type.Object({ ended: Type.Array(Type.String()), notFound: Type.Array(Type.String()) });
export type EndedSharedSessions = Static<typeof EndedSharedSessions>;

export const UsagePoint = Type.Object({
  t: Timestamp,
  total: Type.Integer(),
  occupiedMax: Type.Integer(),
  totalAtPeak: Type.Integer({ description: "extension: the licensed total when occupiedMax was reached (a step may hold a licence change)" }),
  refusals: Type.Integer(),
  waits: Type.Integer(),
  waitMeanSeconds: Nullable(Type.Number()),
  waitP95Seconds: Nullable(Type.Number()),
});
export type UsagePoint = Static<typeof UsagePoint>;
export const Usage = Type.Object({ product: Type.String(), from: Timestamp, to: Timestamp, step: Type.Integer(), items: Type.Array(UsagePoint) });
export type Usage = Static<typeof Usage>;

// Extensions: the queue as admins see it, release requests as their agent sees them, shortages.

export const QueuePlace = Type.Object({
  product: Type.String(),
  user: UserRef,
  state: StringEnum(["waiting", "reserved"], { description: "waiting for a seat, or a freed seat is kept for the agent until reservedUntil" }),
  position: Nullable(Type.Integer({ minimum: 1, description: "1 = served next; null when reserved" })),
  since: Type.String({ format: "date-time", description: "when the agent joined the queue" }),
  reservedUntil: Nullable(Timestamp),
  waitingRequest: Type.Boolean({ description: "a waiting POST /me/sessions of the agent is open (it is served the moment a seat frees)" }),
});
export type QueuePlace = Static<typeof QueuePlace>;
export const Queue = Type.Object({ items: Type.Array(QueuePlace) });
export type Queue = Static<typeof Queue>;

export const ReleaseOutcome = StringEnum(["seat_granted", "gave_up", "dismissed", "resolved"], {
  description: "seat_granted: the agent got a seat; gave_up: its queue place lapsed or its seat went; dismissed / resolved: by an admin, with a note",
});
export type ReleaseOutcome = Static<typeof ReleaseOutcome>;

/** A release request as its agent sees it, with how it closed. */
export const ClosedReleaseRequest = Type.Object({
  id: Type.String(),
  product: Type.String(),
  productName: Type.String(),
  message: Nullable(Type.String()),
  createdAt: Timestamp,
  state: StringEnum(["open", "closed"]),
  closedAt: Nullable(Timestamp),
  outcome: Nullable(ReleaseOutcome),
  note: Nullable(Type.String({ description: "the admin's note to the agent" })),
  closedBy: Nullable(Type.String({ description: "the name of the admin who closed it" })),
});
export type ClosedReleaseRequest = Static<typeof ClosedReleaseRequest>;
export const MyReleaseRequests = Type.Object({ items: Type.Array(ClosedReleaseRequest) });
export type MyReleaseRequests = Static<typeof MyReleaseRequests>;

/** When every concurrent seat of a product was in use. */
export const Shortage = Type.Object({
  start: Timestamp,
  end: Nullable(Type.String({ format: "date-time", description: "null while it lasts" })),
  durationSeconds: Type.Integer(),
  total: Type.Integer({ description: "the licensed concurrent seats when it began" }),
  refusals: Type.Integer({ description: "starts refused meanwhile (ALL_SHARED_SEATS_IN_USE)" }),
  waits: Type.Integer({ description: "agents admitted after waiting" }),
  waitMaxSeconds: Nullable(Type.Integer()),
});
export type Shortage = Static<typeof Shortage>;
export const Shortages = Type.Object({ product: Type.String(), from: Timestamp, to: Timestamp, items: Type.Array(Shortage) });
export type Shortages = Static<typeof Shortages>;

export const ScimToken = Type.Object({ id: Type.String(), name: Type.String(), createdAt: Timestamp, lastUsedAt: Nullable(Timestamp) });
export type ScimToken = Static<typeof ScimToken>;
export const NewScimToken = Type.Object({ id: Type.String(), name: Type.String(), token: Type.String({ description: "shown only in this answer" }), createdAt: Timestamp });
export type NewScimToken = Static<typeof NewScimToken>;

export const GroupWarning = Type.Object({
  code: StringEnum(["NO_NAMED_SEAT_AVAILABLE", "NO_SUBSCRIPTION"]),
  product: Type.String(),
  user: UserRef,
  granted: Type.Union([SeatType, Type.Null()], { description: "the seat the member got instead (concurrent when no named seat was left), or none" }),
  at: Timestamp,
});
export type GroupWarning = Static<typeof GroupWarning>;

/** A group provisioned by SCIM, its members and its seat mapping (S7). */
export const Group = Type.Object({
  id: Type.String(),
  displayName: Type.String(),
  externalId: Nullable(Type.String()),
  memberCount: Type.Integer(),
  seat: Nullable(Type.Object({ product: Type.String(), type: SeatType })),
  warnings: Type.Array(GroupWarning, { description: "Seats the mapping could not give: shown until resolved" }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Group = Static<typeof Group>;

/** One user's changes in a CSV import, as a dry run with details=true shows them. */
export const ImportChange = Type.Object({
  row: Type.Integer(),
  email: Type.String(),
  name: Type.String(),
  kind: StringEnum(["create", "update"]),
  changed: Type.Array(Type.String(), { description: "what changes about the user itself: name, role, privileges, billingContact, password" }),
  role: Type.Optional(Type.Object({ from: Nullable(Type.String()), to: Type.String() })),
  granted: Type.Array(Type.Object({ product: Type.String(), type: SeatType, previous: Nullable(SeatType), openSessions: Type.Integer() })),
  revoked: Type.Array(Type.Object({ product: Type.String(), type: SeatType, openSessions: Type.Integer({ description: "open support sessions the revocation ends" }) })),
});
export type ImportChange = Static<typeof ImportChange>;

export const ImportResult = Type.Object({
  dryRun: Type.Boolean(),
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  errors: Type.Array(Type.Object({ row: Type.Integer({ description: "line of the file where the row starts; the header is line 1" }), field: Type.String(), message: Type.String() })),
  seatsGranted: Type.Optional(Type.Integer({ description: "extension, with details=true: seats granted or switched to the other type" })),
  seatsRevoked: Type.Optional(Type.Integer({ description: "extension, with details=true: seats revoked (replace mode only)" })),
  sessionsEnded: Type.Optional(Type.Integer({ description: "extension, with details=true: open support sessions the revocations end" })),
  changes: Type.Optional(Type.Array(ImportChange, { description: "extension, with details=true: every user the import changes, in file order" })),
});
export type ImportResult = Static<typeof ImportResult>;
/** A line of the streamed import (Accept: application/x-ndjson) before its result. */
export const ImportProgress = Type.Object({ phase: StringEnum(["validating", "hashing", "writing"]), done: Type.Integer(), total: Type.Integer() });
export type ImportProgress = Static<typeof ImportProgress>;

// Webhooks (docs/webhooks.md)
export const WebhookEventTypeName = StringEnum(WEBHOOK_EVENT_TYPES);
export const WebhookEndpoint = Type.Object({
  id: Type.String(),
  url: Type.String(),
  description: Nullable(Type.String()),
  events: Type.Array(WebhookEventTypeName),
  queueThreshold: Type.Integer({ description: "queue.waiting_over fires when this many agents wait for a seat of a product" }),
  enabled: Type.Boolean(),
  secretHint: Type.String({ description: "the first characters of the signing secret" }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type WebhookEndpoint = Static<typeof WebhookEndpoint>;
export const ListedWebhookEndpoint = Type.Object({
  ...WebhookEndpoint.properties,
  pending: Type.Integer({ description: "deliveries not sent yet (or being retried)" }),
  failed: Type.Integer({ description: "deliveries given up after 24 h" }),
});
export type ListedWebhookEndpoint = Static<typeof ListedWebhookEndpoint>;
export const WebhookEndpoints = Type.Object({ items: Type.Array(ListedWebhookEndpoint) });
export type WebhookEndpoints = Static<typeof WebhookEndpoints>;
export const WebhookEndpointWithSecret = Type.Object({
  ...WebhookEndpoint.properties,
  secret: Type.String({ description: "the signing secret (whsec_…), shown only in this answer" }),
});
export type WebhookEndpointWithSecret = Static<typeof WebhookEndpointWithSecret>;
export const WebhookAttempt = Type.Object({
  n: Type.Integer(),
  at: Timestamp,
  status: Nullable(Type.Integer()),
  error: Nullable(Type.String()),
  durationMs: Type.Integer(),
});
export const WebhookDelivery = Type.Object({
  id: Type.String(),
  eventId: Type.String(),
  eventType: WebhookEventTypeName,
  state: StringEnum(DELIVERY_STATUSES),
  attempts: Type.Integer(),
  createdAt: Timestamp,
  nextAttemptAt: Nullable(Timestamp),
  deliveredAt: Nullable(Timestamp),
  lastStatus: Nullable(Type.Integer()),
  lastError: Nullable(Type.String()),
  replayOf: Nullable(Type.String()),
  payload: Type.Record(Type.String(), Type.Unknown(), { description: "the JSON body sent" }),
  log: Type.Array(WebhookAttempt),
});
export type WebhookDelivery = Static<typeof WebhookDelivery>;

// Seat-sizing advice (GET /usage/advice)
export const ReplayedCapacity = Type.Object({
  capacity: Type.Integer(),
  refusals: Type.Integer({ description: "requests that found no free seat on arrival" }),
  turnedAway: Type.Integer({ description: "requests that never got a seat (did not wait, or gave up)" }),
  served: Type.Integer(),
  waitP95Seconds: Type.Number({ description: "95th percentile of the wait of the requests served (0 for one served at once)" }),
  waitMeanSeconds: Type.Number(),
});
export type ReplayedCapacity = Static<typeof ReplayedCapacity>;
export const SeatAdvice = Type.Object({
  product: Type.String(),
  days: Type.Integer(),
  from: Timestamp,
  to: Timestamp,
  capacity: Type.Integer({ description: "today's concurrent seats" }),
  recorded: Type.Object({
    requests: Type.Integer(),
    served: Type.Integer(),
    refusals: Type.Integer(),
    abandoned: Type.Integer({ description: "waits given up without a seat (counted as demand)" }),
    refusedWithoutWaiting: Type.Integer(),
  }),
  current: ReplayedCapacity,
  suggested: Nullable(Type.Integer({ description: "the fewest seats that would have refused at most 1 % of the requests (none, below 100 requests)" })),
  confidence: Type.Object({ level: StringEnum(["none", "low", "medium", "high"]), statement: Type.String() }),
  items: Type.Array(ReplayedCapacity, { description: "one row per capacity from −50 % to +100 % of today's" }),
});
export type SeatAdvice = Static<typeof SeatAdvice>;

// Dormant named seats
export const DormantReclaim = StringEnum(["off", "convert", "revoke"], {
  description: "what the server does with dormant named seats on its own: nothing, convert them to concurrent, or revoke them",
});
export const DormantSettings = Type.Object({
  days: Type.Integer({ minimum: 1, maximum: 365, description: "a named seat unused this many days is dormant (default 30)" }),
  reclaim: DormantReclaim,
});
export type DormantSettings = Static<typeof DormantSettings>;
export const DormantSeat = Type.Object({
  user: UserRef,
  product: Type.String(),
  grantedAt: Timestamp,
  lastUsedAt: Nullable(Timestamp),
  idleDays: Type.Integer(),
});
export type DormantSeat = Static<typeof DormantSeat>;
export const DormantSeats = Type.Object({ days: Type.Integer(), reclaim: DormantReclaim, items: Type.Array(DormantSeat) });
export type DormantSeats = Static<typeof DormantSeats>;
export const SeatRef = Type.Object({ userId: Type.String(), product: Type.String() });
export const ReclaimResult = Type.Object({
  reclaimed: Type.Array(SeatRef),
  skipped: Type.Array(SeatRef, { description: "not dormant (or not a named seat) any more" }),
});
export type ReclaimResult = Static<typeof ReclaimResult>;
/** GET /users/count: how many users match the users list's filters. */
export const UserCount = Type.Object({ total: Type.Integer() });
export type UserCount = Static<typeof UserCount>;

/** One seat for many users at once (PUT /users/seats/{product}, POST …/revoke). */
export const BulkSeatResult = Type.Object({
  matched: Type.Integer({ description: "users the request named or its filter matched" }),
  changed: Type.Integer(),
  unchanged: Type.Integer({ description: "already held that seat (or, revoking, none)" }),
  skipped: Type.Array(Type.Object({ user: Type.Object({ id: Type.String(), name: Type.String() }), code: Type.String(), message: Type.String() }), {
    description: "users left as they were, and why (an inactive user gets no named seat)",
  }),
});
export type BulkSeatResult = Static<typeof BulkSeatResult>;

/** GET /users/{id}/activity: a user's last sign-in, last seat use, and the seats its open support sessions hold now. */
export const UserActivity = Type.Object({
  lastSignInAt: Nullable(Timestamp),
  lastSeatUse: Nullable(Type.Object({ at: Timestamp, product: Type.String() }, { description: "the newest support session the user started" })),
  holding: Type.Array(
    Type.Object({
      product: Type.String(),
      seatType: SeatType,
      sharedSessionId: Nullable(Type.String({ description: "the shared session, for a concurrent seat: end it with POST /shared-sessions/end" })),
      state: StringEnum(["pending", "active"]),
      since: Timestamp,
      sessions: Type.Integer({ description: "open support sessions of that product" }),
    }),
  ),
});
export type UserActivity = Static<typeof UserActivity>;
