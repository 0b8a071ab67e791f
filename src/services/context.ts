import type { Db } from "../store/database.js";
import type { UserRow } from "../store/schema.js";
import type { AuditActor } from "../store/audit.repository.js";

/** Who is calling, resolved from the bearer token on every request. */
export type Principal =
  | { kind: "user"; tokenId: string; accountId: string; user: UserRow; app: "desktop" | "mobile" | null }
  | { kind: "operator"; tokenId: string }
  | { kind: "scim"; tokenId: string; accountId: string; name: string };

export type UserPrincipal = Extract<Principal, { kind: "user" }>;

export interface Services {
  readonly db: Db;
  readonly operatorToken: string | undefined;
}

export function auditActor(principal: Principal): AuditActor {
  switch (principal.kind) {
    case "user":
      return { type: "user", id: principal.user.id, name: principal.user.name };
    case "operator":
      return { type: "operator", id: principal.tokenId, name: "operator" };
    case "scim":
      return { type: "scim", id: principal.tokenId, name: principal.name };
  }
}

export const SYSTEM_ACTOR: AuditActor = { type: "system", id: null, name: "Seatkeeper" };
