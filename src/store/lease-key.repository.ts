// The keys that sign lease tokens: a small global table, read when a process starts and
// whenever its newest key is due to rotate.
import { sql } from "kysely";
import type { Db } from "./database.js";

export interface LeaseKeyRecord {
  kid: string;
  publicJwk: Record<string, unknown>;
  privateKeyEncrypted: string;
  createdAt: Date;
}

/** Rotations from several processes take turns ("leasekey" folded to 31 bits). */
const ROTATION_LOCK_KEY = 0x1ea5_e4e7;

/** Newest first. */
export async function listLeaseKeys(db: Db): Promise<LeaseKeyRecord[]> {
  const rows = await db.selectFrom("lease_signing_keys").selectAll().orderBy("created_at", "desc").orderBy("kid", "desc").execute();
  return rows.map((r) => ({
    kid: r.kid,
    publicJwk: (typeof r.public_jwk === "string" ? JSON.parse(r.public_jwk) : r.public_jwk) as Record<string, unknown>,
    privateKeyEncrypted: r.private_key_encrypted,
    createdAt: r.created_at,
  }));
}

/** Inside a transaction: waits for any other process rotating at the same time. */
export async function lockLeaseKeyRotation(tx: Db): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${ROTATION_LOCK_KEY})`.execute(tx);
}

export async function insertLeaseKey(tx: Db, key: LeaseKeyRecord): Promise<void> {
  await tx
    .insertInto("lease_signing_keys")
    .values({ kid: key.kid, public_jwk: JSON.stringify(key.publicJwk), private_key_encrypted: key.privateKeyEncrypted, created_at: key.createdAt })
    .execute();
}

export async function deleteLeaseKeysExcept(tx: Db, keep: string[]): Promise<void> {
  if (keep.length === 0) return;
  await tx.deleteFrom("lease_signing_keys").where("kid", "not in", keep).execute();
}
