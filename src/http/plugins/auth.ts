// Resolves the bearer token before the body is even read, so that 401 and 403 (privilege)
// take precedence over 400, as the API contract orders them.
import type { FastifyInstance, FastifyRequest } from "fastify";
import { hasPrivilege, isStaff, type Privilege } from "../../domain/access.js";
import { DomainError } from "../../domain/errors.js";
import type { Db } from "../../store/database.js";
import { Authenticator } from "../../services/auth.service.js";
import type { Principal, UserPrincipal } from "../../services/context.js";

/** Who may call a route, set as `config.access` on every route. */
export type Access =
  | { auth: "public" }
  | { auth: "operator" }
  | { auth: "any" }
  | { auth: "scim" }
  | { auth: "user"; staff?: true; admin?: true; privilege?: Privilege; billingContact?: true };

declare module "fastify" {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

function checkAccess(access: Access, principal: Principal | null): void {
  if (access.auth === "public") return;
  if (!principal) throw new DomainError("UNAUTHENTICATED");
  // A SCIM token is someone on /scim/v2 only, and only a SCIM token is someone there.
  if ((principal.kind === "scim") !== (access.auth === "scim")) throw new DomainError("UNAUTHENTICATED");
  switch (access.auth) {
    case "any":
    case "scim":
      return;
    case "operator":
      if (principal.kind !== "operator") throw new DomainError("FORBIDDEN", { reason: "operator" });
      return;
    case "user": {
      if (principal.kind !== "user") throw new DomainError("FORBIDDEN");
      const user = principal.user;
      if (access.admin && user.role !== "admin") throw new DomainError("FORBIDDEN", { reason: "admin_only" });
      if (access.staff && !isStaff(user)) throw new DomainError("FORBIDDEN");
      if (access.privilege && !hasPrivilege(user, access.privilege)) throw new DomainError("FORBIDDEN", { privilege: access.privilege });
      if (access.billingContact && !user.billing_contact) throw new DomainError("NOT_BILLING_CONTACT");
      return;
    }
  }
}

export function installAuth(app: FastifyInstance, db: Db, operatorToken: string | undefined): void {
  const authenticator = new Authenticator(db, operatorToken);
  app.decorateRequest("principal", null);
  app.addHook("onRequest", async (request) => {
    const access = request.routeOptions.config.access;
    if (!access || access.auth === "public") return;
    const token = bearer(request);
    request.principal = token ? await authenticator.authenticate(token) : null;
    checkAccess(access, request.principal);
  });
}

/** For handlers of `auth: "user"` routes: the hook has already made sure. */
export function userOf(request: FastifyRequest): UserPrincipal {
  const principal = request.principal;
  if (principal?.kind !== "user") throw new DomainError("UNAUTHENTICATED");
  return principal;
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new DomainError("UNAUTHENTICATED");
  return request.principal;
}
