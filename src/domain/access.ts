// Who may do what. Pure: callers pass the acting user as it is now.
import { DomainError } from "./errors.js";

export type Role = "admin" | "manager" | "agent";
export type Privilege = "users:write" | "seats:manage";
export const ROLES: readonly Role[] = ["admin", "manager", "agent"];
export const PRIVILEGES: readonly Privilege[] = ["users:write", "seats:manage"];

export interface Actor {
  role: Role;
  privileges: readonly string[];
}

/** Admins hold every privilege; managers the ones listed on them; agents none. */
export function effectivePrivileges(user: Actor): Privilege[] {
  if (user.role === "admin") return [...PRIVILEGES];
  if (user.role === "agent") return [];
  return PRIVILEGES.filter((p) => user.privileges.includes(p));
}

export function hasPrivilege(user: Actor, privilege: Privilege): boolean {
  return effectivePrivileges(user).includes(privilege);
}

/** Admins and managers see the admin center's read-only views. */
export function isStaff(user: Actor): boolean {
  return user.role === "admin" || user.role === "manager";
}

export interface UserShape {
  role: Role;
  privileges: readonly string[];
  billingContact: boolean;
}

/**
 * What an actor may make of a user (created, changed or removed: `before` null for a new
 * user, `after` equal to `before` for a removal), checked after the route's own privilege.
 * Only admins touch admins, create admins or move the billing contact. A manager changes
 * only users whose privileges are all its own: else a manager with "add/remove users"
 * could set the password of one who also manages seats and sign in as it. Nor does a
 * manager give a privilege it does not hold.
 */
export function checkUserChange(actor: Actor, before: UserShape | null, after: UserShape): DomainError | null {
  if (actor.role === "admin") return null;
  if (before?.role === "admin" || after.role === "admin") return new DomainError("FORBIDDEN", { reason: "admin_only" });
  if ((before?.billingContact ?? false) !== after.billingContact) return new DomainError("FORBIDDEN", { reason: "admin_only" });
  const held = effectivePrivileges(actor);
  const outside = (user: Actor) => effectivePrivileges(user).some((p) => !held.includes(p));
  if (before && outside(before)) return new DomainError("FORBIDDEN", { reason: "outranked" });
  if (outside(after)) return new DomainError("FORBIDDEN", { reason: "privilege_escalation" });
  return null;
}

export interface AccountGuards {
  activeAdmins: number;
  billingContacts: number;
}

/**
 * An account always keeps one active admin and one billing contact. `before`/`after`
 * describe one user (after = null when the user is deleted).
 */
export function checkAccountGuards(
  guards: AccountGuards,
  before: { role: Role; active: boolean; billingContact: boolean },
  after: { role: Role; active: boolean; billingContact: boolean } | null,
): DomainError | null {
  const wasAdmin = before.role === "admin" && before.active;
  const isAdmin = after !== null && after.role === "admin" && after.active;
  if (wasAdmin && !isAdmin && guards.activeAdmins <= 1) return new DomainError("LAST_ADMIN");
  const wasBilling = before.billingContact;
  const isBilling = after !== null && after.billingContact && after.active;
  if (wasBilling && !isBilling && guards.billingContacts <= 1) return new DomainError("LAST_BILLING_CONTACT");
  return null;
}
