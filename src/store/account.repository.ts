import type { Db } from "./database.js";
import type { AccountRow } from "./schema.js";

export interface AccountSettings {
  leaseTtlSeconds: number;
  pendingTimeoutSeconds: number;
  endedCooldownSeconds: number;
}

export async function insertAccount(db: Db, account: { id: string; name: string }): Promise<AccountRow> {
  return db.insertInto("accounts").values(account).returningAll().executeTakeFirstOrThrow();
}

export async function findAccount(db: Db, id: string): Promise<AccountRow | undefined> {
  return db.selectFrom("accounts").selectAll().where("id", "=", id).executeTakeFirst();
}

/**
 * Locks the account row. Changes that could leave an account without an admin or a
 * billing contact take this lock first, so two of them never both pass the check.
 */
export async function lockAccount(db: Db, id: string): Promise<AccountRow | undefined> {
  return db.selectFrom("accounts").selectAll().where("id", "=", id).forNoKeyUpdate().executeTakeFirst();
}

export async function updateAccount(db: Db, id: string, change: { name?: string } & Partial<AccountSettings>): Promise<AccountRow> {
  const values = {
    ...(change.name !== undefined && { name: change.name }),
    ...(change.leaseTtlSeconds !== undefined && { lease_ttl_seconds: change.leaseTtlSeconds }),
    ...(change.pendingTimeoutSeconds !== undefined && { pending_timeout_seconds: change.pendingTimeoutSeconds }),
    ...(change.endedCooldownSeconds !== undefined && { ended_cooldown_seconds: change.endedCooldownSeconds }),
  };
  // An UPDATE needs a column to set: a PATCH of nothing changes nothing.
  if (Object.keys(values).length === 0) return db.selectFrom("accounts").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  return db.updateTable("accounts").set(values).where("id", "=", id).returningAll().executeTakeFirstOrThrow();
}
