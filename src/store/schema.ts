// Table types for Kysely. Every account-owned table carries `account_id` and is keyed
// by it first, so that accounts can be spread over database nodes by that column.
// Global tables (small, read-mostly): products, user_logins, auth_tokens, login_failures,
// lease_signing_keys.
import type { ColumnType, Generated, Selectable } from "kysely";

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<unknown, string, string>;

export interface ProductTable {
  id: string;
  slug: string;
  name: string;
  created_at: Timestamp;
}

export interface AccountTable {
  id: string;
  name: string;
  lease_ttl_seconds: Generated<number>;
  pending_timeout_seconds: Generated<number>;
  ended_cooldown_seconds: Generated<number>;
  /** A named seat unused this many days is dormant. */
  dormant_days: Generated<number>;
  /** What the sweeper does with dormant named seats: nothing, convert them to concurrent, or revoke them. */
  dormant_reclaim: Generated<"off" | "convert" | "revoke">;
  created_at: Timestamp;
}

export interface UserTable {
  account_id: string;
  id: string;
  /** The sign-in email; null for a SCIM user without one (it cannot sign in). */
  email: string | null;
  /** The SCIM userName once SCIM wrote the user; until then the email is its userName. */
  user_name: Generated<string | null>;
  name: string;
  /** The name as the users list sorts it: accents stripped, lower-cased (generated). */
  sort_name: Generated<string>;
  role: "admin" | "manager" | "agent";
  privileges: ColumnType<string[], string[], string[]>;
  billing_contact: boolean;
  active: boolean;
  password_hash: string | null;
  external_id: string | null;
  given_name: Generated<string | null>;
  family_name: Generated<string | null>;
  /** SCIM attributes kept as written without being acted on (emails, phones, extension…). */
  scim_attributes: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Global sign-in index: an email is unique across the deployment, compared lower-cased. */
export interface UserLoginTable {
  email_lower: string;
  account_id: string;
  user_id: string;
}

export interface AuthTokenTable {
  token_hash: string;
  id: string;
  kind: "user" | "operator" | "scim";
  account_id: string | null;
  user_id: string | null;
  name: string | null;
  app: "desktop" | "mobile" | null;
  created_at: Timestamp;
  revoked_at: Timestamp | null;
  last_used_at: Generated<Date | null>;
}

export interface LoginFailureTable {
  id: Generated<number>;
  email_lower: string;
  client_ip: string;
  at: Timestamp;
}

export interface SubscriptionTable {
  account_id: string;
  product_id: string;
  named_total: number;
  concurrent_total: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SeatAssignmentTable {
  account_id: string;
  user_id: string;
  product_id: string;
  type: "named" | "concurrent";
  source: string;
  granted_at: Timestamp;
}

export interface AuditLogTable {
  account_id: string;
  id: string;
  at: Timestamp;
  actor_type: "user" | "operator" | "scim" | "system";
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  target_type: string;
  target_id: string;
  target_name: string | null;
  details: Json;
}

export interface IdempotencyKeyTable {
  account_id: string;
  scope: string;
  key: string;
  request_hash: string;
  status_code: number | null;
  response: Json | null;
  created_at: Timestamp;
}

export interface SharedSessionTable {
  account_id: string;
  id: string;
  product_id: string;
  user_id: string;
  created_at: Timestamp;
  lease_expires_at: Timestamp;
  ended_at: Timestamp | null;
  end_reason: string | null;
  ended_by_id: string | null;
  ended_by_name: string | null;
  report_pending: Generated<boolean>;
}

export interface SupportSessionTable {
  account_id: string;
  id: string;
  user_id: string;
  product_id: string;
  shared_session_id: string | null;
  seat_type: "named" | "concurrent";
  state: "pending" | "active" | "ended";
  mode: "attended" | "unattended" | null;
  platform: "windows" | "mac" | "ios" | "android" | null;
  support_key: string;
  token_id: string | null;
  created_at: Timestamp;
  connected_at: Timestamp | null;
  ended_at: Timestamp | null;
  end_reason: string | null;
  ended_by_admin: Generated<boolean>;
  /** The waiting request it was made for, when another process served it. */
  request_id: Generated<string | null>;
}

export interface QueueEntryTable {
  account_id: string;
  product_id: string;
  user_id: string;
  seq: Generated<number>;
  enqueued_at: Timestamp;
  held_until: Timestamp;
  waiting_until: Timestamp | null;
  reserved_until: Timestamp | null;
  waiting_request_id: string | null;
  waiting_token_id: string | null;
}

export interface SeatCooldownTable {
  account_id: string;
  product_id: string;
  user_id: string;
  until: Timestamp;
}

export interface ReleaseRequestTable {
  account_id: string;
  id: string;
  user_id: string;
  product_id: string;
  message: string | null;
  created_at: Timestamp;
  resolved_at: Timestamp | null;
  outcome: ReleaseOutcome | null;
  note: string | null;
  closed_by_id: string | null;
  closed_by_name: string | null;
}

export type ReleaseOutcome = "seat_granted" | "gave_up" | "dismissed" | "resolved";

export interface UsageEventTable {
  account_id: string;
  id: Generated<number>;
  product_id: string;
  at: Timestamp;
  kind: "occupancy" | "refusal" | "wait" | "abandon";
  occupied: number;
  total: number;
  wait_seconds: number | null;
  /** The licensed total before this row's change (null on rows written before it was recorded). */
  total_before: number | null;
  /** Refusals a batch recorded in one row; 1 for other kinds. */
  count: Generated<number>;
}

export interface AgentPresenceTable {
  account_id: string;
  user_id: string;
  seen_until: Timestamp;
  /** The last heartbeat (null before it was recorded). */
  heard_at: Timestamp | null;
}

export interface LeaseSigningKeyTable {
  kid: string;
  public_jwk: Json;
  private_key_encrypted: string;
  created_at: Timestamp;
}

export interface AgentEventTable {
  account_id: string;
  user_id: string;
  /** int8: a string from pg, a number from PGlite. */
  id: Generated<string | number>;
  event: Json;
  created_at: Timestamp;
}

export interface ScimGroupTable {
  account_id: string;
  id: string;
  display_name: string;
  external_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ScimGroupMemberTable {
  account_id: string;
  group_id: string;
  user_id: string;
  added_at: Timestamp;
}

export interface GroupSeatMappingTable {
  account_id: string;
  group_id: string;
  product_id: string;
  type: "named" | "concurrent";
  created_at: Timestamp;
}

export interface GroupSeatWarningTable {
  account_id: string;
  user_id: string;
  product_id: string;
  group_id: string;
  code: "NO_NAMED_SEAT_AVAILABLE" | "NO_SUBSCRIPTION";
  /** The seat given instead (concurrent, from another mapped group), or null. */
  granted: "concurrent" | null;
  at: Timestamp;
}

export interface WebhookEndpointTable {
  account_id: string;
  id: string;
  url: string;
  description: string | null;
  events: ColumnType<string[], string[], string[]>;
  queue_threshold: number;
  secret_sealed: string;
  secret_hint: string;
  enabled: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
  claimed_until: Timestamp | null;
  claim_id: string | null;
}

export interface WebhookDeliveryTable {
  account_id: string;
  seq: Generated<number>;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  body: string;
  created_at: Timestamp;
  status: Generated<"pending" | "delivered" | "failed">;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  give_up_at: Timestamp;
  last_attempt_at: Timestamp | null;
  last_status: number | null;
  last_error: string | null;
  delivered_at: Timestamp | null;
  replay_of: number | null;
}

export interface WebhookAttemptTable {
  account_id: string;
  delivery_seq: number;
  n: number;
  at: Timestamp;
  status: number | null;
  error: string | null;
  duration_ms: number;
}

export interface Database {
  products: ProductTable;
  accounts: AccountTable;
  users: UserTable;
  user_logins: UserLoginTable;
  auth_tokens: AuthTokenTable;
  login_failures: LoginFailureTable;
  subscriptions: SubscriptionTable;
  seat_assignments: SeatAssignmentTable;
  audit_log: AuditLogTable;
  idempotency_keys: IdempotencyKeyTable;
  shared_sessions: SharedSessionTable;
  support_sessions: SupportSessionTable;
  queue_entries: QueueEntryTable;
  seat_cooldowns: SeatCooldownTable;
  release_requests: ReleaseRequestTable;
  usage_events: UsageEventTable;
  scim_groups: ScimGroupTable;
  scim_group_members: ScimGroupMemberTable;
  group_seat_mappings: GroupSeatMappingTable;
  group_seat_warnings: GroupSeatWarningTable;
  agent_presence: AgentPresenceTable;
  webhook_endpoints: WebhookEndpointTable;
  webhook_deliveries: WebhookDeliveryTable;
  webhook_attempts: WebhookAttemptTable;
  lease_signing_keys: LeaseSigningKeyTable;
  agent_events: AgentEventTable;
}

export type ProductRow = Selectable<ProductTable>;
export type AccountRow = Selectable<AccountTable>;
export type UserRow = Selectable<UserTable>;
export type SubscriptionRow = Selectable<SubscriptionTable>;
export type AuthTokenRow = Selectable<AuthTokenTable>;
export type AuditRow = Selectable<AuditLogTable>;
export type SharedSessionRow = Selectable<SharedSessionTable>;
export type SupportSessionRow = Selectable<SupportSessionTable>;
export type QueueEntryRow = Selectable<QueueEntryTable>;
export type ScimGroupRow = Selectable<ScimGroupTable>;
export type WebhookEndpointRow = Selectable<WebhookEndpointTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveryTable>;
