// SCIM bearer tokens: made by an admin, shown once, stored hashed; each sees its own
// account only (the token row carries the account).
import { notFound } from "../domain/errors.js";
import { isId, newId } from "../domain/ids.js";
import type { Db } from "../store/database.js";
import { insertAudit } from "../store/audit.repository.js";
import { decodeCursor, toPage } from "../store/pagination.js";
import { findScimToken, insertToken, listScimTokens, revokeToken } from "../store/token.repository.js";
import { auditActor, type UserPrincipal } from "./context.js";
import { hashToken, newSecretToken } from "./crypto.js";
import type { NewScimToken, Page, ScimToken } from "../domain/shapes.js";

export async function createScimToken(db: Db, principal: UserPrincipal, name: string): Promise<NewScimToken> {
  const token = newSecretToken("sks");
  const id = newId("tok");
  return db.transaction().execute(async (tx) => {
    const row = await insertToken(tx, { tokenHash: hashToken(token), id, kind: "scim", accountId: principal.accountId, userId: null, name, app: null });
    await insertAudit(tx, principal.accountId, auditActor(principal), { action: "scim_token.created", target: { type: "scim_token", id, name } });
    return { id, name, token, createdAt: row.created_at.toISOString() };
  });
}

export async function listTokens(db: Db, principal: UserPrincipal, query: { limit: number; cursor?: string }): Promise<Page<ScimToken>> {
  const after = decodeCursor(query.cursor, ["timestamp", "id"]);
  const rows = await listScimTokens(db, principal.accountId, after && { at: String(after[0]), id: String(after[1]) }, query.limit);
  return toPage(rows, query.limit, (r) => [r.created_at.toISOString(), r.id], (r) => ({
    id: r.id,
    name: r.name ?? "",
    createdAt: r.created_at.toISOString(),
    lastUsedAt: r.last_used_at?.toISOString() ?? null,
  }));
}

/** Revoking is immediate: the next SCIM request with the token is a 401. */
export async function revokeScimToken(db: Db, principal: UserPrincipal, id: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const token = isId("tok", id) ? await findScimToken(tx, principal.accountId, id) : undefined;
    if (!token) throw notFound("SCIM token");
    if (await revokeToken(tx, id)) {
      await insertAudit(tx, principal.accountId, auditActor(principal), { action: "scim_token.revoked", target: { type: "scim_token", id, name: token.name } });
    }
  });
}
