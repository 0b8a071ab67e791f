import { sql } from "kysely";
import type { Db } from "./database.js";
import type { AuthTokenRow, UserRow } from "./schema.js";

export interface NewToken {
  tokenHash: string;
  id: string;
  kind: "user" | "operator" | "scim";
  accountId: string | null;
  userId: string | null;
  name: string | null;
  app: "desktop" | "mobile" | null;
}

export async function insertToken(db: Db, token: NewToken): Promise<{ id: string; created_at: Date }> {
  return db
    .insertInto("auth_tokens")
    .values({
      token_hash: token.tokenHash,
      id: token.id,
      kind: token.kind,
      account_id: token.accountId,
      user_id: token.userId,
      name: token.name,
      app: token.app,
      created_at: new Date(), // millisecond precision, so a list cursor round-trips exactly
    })
    .returning(["id", "created_at"])
    .executeTakeFirstOrThrow();
}

export async function revokeToken(db: Db, id: string): Promise<boolean> {
  const result = await db.updateTable("auth_tokens").set({ revoked_at: new Date() }).where("id", "=", id).where("revoked_at", "is", null).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Revokes every live token of the users but `keep` (a token id: the caller's own, say). */
export async function revokeUserTokens(db: Db, accountId: string, userIds: readonly string[], keep?: string): Promise<void> {
  if (userIds.length === 0) return;
  let query = db
    .updateTable("auth_tokens")
    .set({ revoked_at: new Date() })
    .where("account_id", "=", accountId)
    // One array parameter, however many users an import touches.
    .where(sql<boolean>`user_id = ANY(${[...userIds]}::text[])`)
    .where("revoked_at", "is", null);
  if (keep !== undefined) query = query.where("id", "<>", keep);
  await query.execute();
}

/** The account's live SCIM tokens, newest first, keyset-paginated by (created_at, id). */
export async function listScimTokens(db: Db, accountId: string, after: { at: string; id: string } | undefined, limit: number) {
  let query = db
    .selectFrom("auth_tokens")
    .select(["id", "name", "created_at", "last_used_at"])
    .where("account_id", "=", accountId)
    .where("kind", "=", "scim")
    .where("revoked_at", "is", null)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(limit + 1);
  if (after) {
    const at = new Date(after.at);
    query = query.where((eb) => eb.or([eb("created_at", "<", at), eb.and([eb("created_at", "=", at), eb("id", "<", after.id)])]));
  }
  return query.execute();
}

export async function findScimToken(db: Db, accountId: string, id: string) {
  return db
    .selectFrom("auth_tokens")
    .select(["id", "name", "revoked_at"])
    .where("account_id", "=", accountId)
    .where("kind", "=", "scim")
    .where("id", "=", id)
    .executeTakeFirst();
}

/** Records when a SCIM token was last used, at most once a minute (one write, not one per request). */
export async function touchToken(db: Db, id: string, now: Date): Promise<void> {
  await db
    .updateTable("auth_tokens")
    .set({ last_used_at: now })
    .where("id", "=", id)
    .where((eb) => eb.or([eb("last_used_at", "is", null), eb("last_used_at", "<", new Date(now.getTime() - 60_000))]))
    .execute();
}

/** Whether a user's token still lets it in: not revoked, and its user exists and is active. */
export async function isUserTokenValid(db: Db, accountId: string, tokenId: string): Promise<boolean> {
  const row = await db
    .selectFrom("auth_tokens as t")
    .innerJoin("users as u", (j) => j.onRef("u.account_id", "=", "t.account_id").onRef("u.id", "=", "t.user_id"))
    .select("t.id")
    .where("t.id", "=", tokenId)
    .where("t.account_id", "=", accountId)
    .where("t.revoked_at", "is", null)
    .where("u.active", "=", true)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The live tokens among `hashes`, each with its user (null for operator and SCIM tokens, or
 * a user deleted since), in one statement for any number of requests.
 */
export async function findActiveTokensWithUsers(db: Db, hashes: string[]): Promise<(AuthTokenRow & { user: UserRow | null })[]> {
  const { rows } = await sql<AuthTokenRow & { u: (Omit<UserRow, "created_at" | "updated_at"> & { created_at: string; updated_at: string }) | null }>`
    SELECT t.*, row_to_json(u) AS u
    FROM auth_tokens t LEFT JOIN users u ON u.account_id = t.account_id AND u.id = t.user_id
    WHERE t.token_hash = ANY(${hashes}::text[]) AND t.revoked_at IS NULL`.execute(db);
  return rows.map(({ u, ...token }) => ({
    ...token,
    user: u && { ...u, created_at: new Date(u.created_at), updated_at: new Date(u.updated_at) },
  }));
}
