// Idempotency-Key on POSTs that create or take something (routes with config.idempotent):
// a retry by the same caller within 24 h gets the first result; a different body under
// the same key is refused. Keys live in the database, so any process can answer a retry.
// A request claims its key while it runs; a claim older than any request can last was left
// by a process that died mid-request, and a retry takes it over and runs afresh.
import { createHash } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { DomainError, validationFailed } from "../../domain/errors.js";
import type { Db } from "../../store/database.js";
import {
  claimIdempotencyKey, completeIdempotencyKey, reclaimIdempotencyKey, releaseIdempotencyKey, type IdempotencyScope,
} from "../../store/idempotency.repository.js";
import type { Principal } from "../../services/context.js";

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** Longer than the longest idempotent request: POST /me/sessions may wait 60 s for a seat. */
export const IN_FLIGHT_CLAIM_MS = 2 * 60 * 1000;
const MAX_KEY_LENGTH = 255;

declare module "fastify" {
  interface FastifyContextConfig {
    idempotent?: boolean;
  }
  interface FastifyRequest {
    idempotency: IdempotencyScope | null;
  }
}

function scopeOf(principal: Principal): { accountId: string; scope: string } {
  switch (principal.kind) {
    case "user":
      return { accountId: principal.accountId, scope: principal.user.id };
    case "scim":
      return { accountId: principal.accountId, scope: principal.tokenId };
    case "operator":
      return { accountId: "", scope: principal.tokenId };
  }
}

/** What a key is bound to: the method, the URL and the validated body. */
export function requestHash(method: string, url: string, body: unknown): string {
  return createHash("sha256").update(`${method} ${url}\n${JSON.stringify(body ?? null)}`).digest("hex");
}

export function installIdempotency(app: FastifyInstance, db: Db): void {
  app.decorateRequest("idempotency", null);

  app.addHook("preHandler", async (request, reply) => {
    if (!request.routeOptions.config.idempotent || !request.principal) return;
    const key = request.headers["idempotency-key"];
    if (key === undefined) return;
    if (typeof key !== "string" || key.length === 0 || key.length > MAX_KEY_LENGTH) {
      throw validationFailed("Idempotency-Key", "idempotencyKeyLength", { max: MAX_KEY_LENGTH });
    }
    const id = { ...scopeOf(request.principal), key };
    const hash = requestHash(request.method, request.url, request.body);
    for (let attempt = 0; attempt < 2; attempt++) {
      const claim = await claimIdempotencyKey(db, id, hash);
      if (claim.claimed) {
        request.idempotency = id;
        return;
      }
      const existing = claim.existing;
      if (!existing) continue; // released between our insert and read: claim again
      if (existing.created_at.getTime() < Date.now() - IDEMPOTENCY_TTL_MS) {
        await releaseIdempotencyKey(db, id, true);
        continue;
      }
      if (existing.request_hash !== hash) throw new DomainError("IDEMPOTENCY_KEY_REUSED");
      if (existing.status_code === null) {
        if (!(await reclaimIdempotencyKey(db, id, hash, IN_FLIGHT_CLAIM_MS))) throw new DomainError("IDEMPOTENCY_KEY_IN_USE");
        request.idempotency = id;
        return;
      }
      reply.header("idempotent-replayed", "true");
      return reply.code(existing.status_code).send(existing.response);
    }
    throw new DomainError("IDEMPOTENCY_KEY_IN_USE");
  });

  app.addHook("onSend", async (request, reply, payload) => {
    const id = request.idempotency;
    if (!id) return payload;
    request.idempotency = null;
    // Only successes are remembered: a refused request may well succeed when retried.
    if (reply.statusCode >= 200 && reply.statusCode < 300 && typeof payload === "string") {
      await completeIdempotencyKey(db, id, reply.statusCode, payload === "" ? null : JSON.parse(payload));
    } else {
      await releaseIdempotencyKey(db, id);
    }
    return payload;
  });
}
