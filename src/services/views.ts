// Rows → the API's JSON shapes (src/domain/shapes.ts: camelCase, ISO times). Nothing here
// reads the database.
import { effectivePrivileges } from "../domain/access.js";
import type { Account, AuditEntry, Product, SupportSession, User, UserSummary } from "../domain/shapes.js";
import type { AccountRow, AuditRow, ProductRow, SupportSessionRow, UserRow } from "../store/schema.js";
import type { SeatAssignment } from "../store/seat.repository.js";

export function productView(p: ProductRow): Product {
  return { id: p.id, slug: p.slug, name: p.name, createdAt: p.created_at.toISOString() };
}

export function userSummaryView(u: UserRow): UserSummary {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    privileges: effectivePrivileges(u),
    billingContact: u.billing_contact,
  };
}

export function userView(u: UserRow, seats: SeatAssignment[]): User {
  return {
    ...userSummaryView(u),
    // The users_named constraint: a user has a userName or an email.
    userName: (u.user_name ?? u.email)!,
    active: u.active,
    hasPassword: u.password_hash !== null,
    externalId: u.external_id,
    seats: seats.filter((s) => s.userId === u.id).map((s) => ({ product: s.product, type: s.type, source: s.source })),
    createdAt: u.created_at.toISOString(),
    updatedAt: u.updated_at.toISOString(),
  };
}

export function accountView(a: AccountRow): Account {
  return {
    id: a.id,
    name: a.name,
    settings: {
      leaseTtlSeconds: a.lease_ttl_seconds,
      pendingTimeoutSeconds: a.pending_timeout_seconds,
      endedCooldownSeconds: a.ended_cooldown_seconds,
    },
    createdAt: a.created_at.toISOString(),
  };
}

export function auditView(r: AuditRow): AuditEntry {
  return {
    id: r.id,
    at: r.at.toISOString(),
    actor: { type: r.actor_type, id: r.actor_id, name: r.actor_name },
    action: r.action,
    target: { type: r.target_type, id: r.target_id, ...(r.target_name !== null && { name: r.target_name }) },
    details: r.details as Record<string, unknown>,
  };
}

export function supportSessionView(s: SupportSessionRow, product: string, leaseExpiresAt: Date | null): SupportSession {
  return {
    id: s.id,
    product,
    state: s.state,
    supportKey: s.support_key,
    seat: { type: s.seat_type, leaseExpiresAt: leaseExpiresAt?.toISOString() ?? null },
    ...(s.mode && { mode: s.mode }),
    ...(s.platform && { platform: s.platform }),
    createdAt: s.created_at.toISOString(),
    ...(s.connected_at && { connectedAt: s.connected_at.toISOString() }),
    ...(s.ended_at && { endedAt: s.ended_at.toISOString(), endReason: s.end_reason }),
  };
}
