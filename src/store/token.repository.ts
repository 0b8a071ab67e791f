import type { Db } from "./database.js";

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
    })
    .returning(["id", "created_at"])
    .executeTakeFirstOrThrow();
}

export async function findActiveToken(db: Db, tokenHash: string) {
  return db.selectFrom("auth_tokens").selectAll().where("token_hash", "=", tokenHash).where("revoked_at", "is", null).executeTakeFirst();
}

export async function revokeToken(db: Db, id: string): Promise<boolean> {
  const result = await db.updateTable("auth_tokens").set({ revoked_at: new Date() }).where("id", "=", id).where("revoked_at", "is", null).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function revokeUserTokens(db: Db, accountId: string, userId: string): Promise<void> {
  await db
    .updateTable("auth_tokens")
    .set({ revoked_at: new Date() })
    .where("account_id", "=", accountId)
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .execute();
}

export async function listScimTokens(db: Db, accountId: string) {
  return db
    .selectFrom("auth_tokens")
    .select(["id", "name", "created_at"])
    .where("account_id", "=", accountId)
    .where("kind", "=", "scim")
    .where("revoked_at", "is", null)
    .orderBy("created_at", "desc")
    .execute();
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
