// Lease tokens: each granted seat comes with a short JWT signed with Ed25519 (account, user,
// product, seat type, expiry) that an agent app verifies offline against the published keys
// (GET /.well-known/jwks.json), so that it can keep working through a short outage up to the
// lease's end and refuse a forged or expired lease.
//
// The key pairs live in the database (one for every process), their private halves
// encrypted with AES-256-GCM under a secret kept outside it: SEATKEEPER_LEASE_KEY_SECRET, or
// a key file made in the data directory. A new key is made every rotation period; the one
// before stays published until the next rotation (two valid at once).
import { createCipheriv, createDecipheriv, createPrivateKey, generateKeyPairSync, hkdfSync, randomBytes, type KeyObject } from "node:crypto";
import path from "node:path";
import { CompactSign, exportJWK } from "jose";
import { ConfigError, type Config } from "../config.js";
import { LEASE_TOKEN_TYPE, leaseClaims, publishedKeys, rotationDue } from "../domain/lease.js";
import { newId } from "../domain/ids.js";
import type { Db } from "../store/database.js";
import { deleteLeaseKeysExcept, insertLeaseKey, listLeaseKeys, lockLeaseKeyRotation, type LeaseKeyRecord } from "../store/lease-key.repository.js";
import { readOrCreateSecretFile } from "./secret-file.js";

export const LEASE_KEY_FILE = "lease-key.secret";
/** Another process may have rotated: this one looks at the stored keys again this often. */
export const KEYS_RELOAD_MS = 60_000;
const DAY_MS = 24 * 60 * 60 * 1000;
const ENCODER = new TextEncoder();

export interface LeaseToIssue {
  accountId: string;
  userId: string;
  product: string;
  seat: "named" | "concurrent";
  expiresAt: Date;
}

export interface PublicJwk {
  kid: string;
  kty: "OKP";
  crv: "Ed25519";
  x: string;
  alg: "EdDSA";
  use: "sig";
}

/** The 256-bit key that encrypts the private keys, derived from the configured secret or the key file. */
export function leaseKeyEncryptionKey(config: Pick<Config, "leaseKeySecret" | "dataDir">): Buffer {
  const secret =
    config.leaseKeySecret ?? readOrCreateSecretFile(path.join(config.dataDir, LEASE_KEY_FILE), () => randomBytes(32).toString("base64url"));
  return Buffer.from(hkdfSync("sha256", secret, "seatkeeper", "lease signing keys", 32));
}

function encrypt(key: Buffer, kid: string, plain: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv).setAAD(Buffer.from(kid));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return ["v1", iv, body, cipher.getAuthTag()].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
}

function decrypt(key: Buffer, kid: string, stored: string): Buffer {
  const [version, iv, body, tag] = stored.split(".");
  if (version !== "v1" || !iv || !body || !tag) throw new Error(`lease key ${kid}: unknown format`);
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url")).setAAD(Buffer.from(kid));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]);
}

async function newKeyRecord(encryptionKey: Buffer, now: Date): Promise<LeaseKeyRecord> {
  const kid = newId("lkey");
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const jwk = await exportJWK(publicKey);
  const pkcs8 = privateKey.export({ type: "pkcs8", format: "der" });
  const publicJwk: PublicJwk = { kid, kty: "OKP", crv: "Ed25519", x: jwk.x!, alg: "EdDSA", use: "sig" };
  return { kid, publicJwk: { ...publicJwk }, privateKeyEncrypted: encrypt(encryptionKey, kid, pkcs8), createdAt: now };
}

/**
 * Makes a new signing key when one is due (or when `force`), keeping the one before it;
 * older keys are deleted. Several processes may call it at once: one rotates.
 */
export async function rotateLeaseKeys(db: Db, encryptionKey: Buffer, rotationMs: number, now = new Date(), force = false): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    await lockLeaseKeyRotation(tx);
    const keys = await listLeaseKeys(tx);
    if (!force && !rotationDue(keys, now, rotationMs)) return false;
    const fresh = await newKeyRecord(encryptionKey, now);
    await insertLeaseKey(tx, fresh);
    await deleteLeaseKeysExcept(tx, publishedKeys([fresh, ...keys]).map((k) => k.kid));
    return true;
  });
}

/** The public keys that verify lease tokens, as a JWK Set (read afresh: any process may have rotated). */
export async function leaseJwks(db: Db): Promise<{ keys: PublicJwk[] }> {
  return { keys: publishedKeys(await listLeaseKeys(db)).map((k) => k.publicJwk as unknown as PublicJwk) };
}

/** Signs lease tokens with the newest key, rotating when due. One per process. */
export class LeaseSigner {
  private signing: { kid: string; key: KeyObject; createdAt: Date } | undefined;
  private loadedAt = 0;
  private loading: Promise<void> | undefined;

  private constructor(
    private readonly db: Db,
    private readonly encryptionKey: Buffer,
    private readonly issuer: string,
    private readonly rotationMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Loads the keys (making the first one on a new database); a secret that cannot decrypt them stops start-up. */
  static async open(db: Db, config: Config, onError: (error: unknown) => void): Promise<LeaseSigner> {
    const signer = new LeaseSigner(db, leaseKeyEncryptionKey(config), config.publicUrl, config.leaseKeyRotationDays * DAY_MS, onError);
    await signer.reload(new Date());
    return signer;
  }

  /** A compact JWS of the claims (jose's SignJWT would check claims we build ourselves, at twice the cost: every heartbeat signs). */
  async sign(lease: LeaseToIssue, now = new Date()): Promise<string> {
    const key = await this.key(now);
    return new CompactSign(ENCODER.encode(JSON.stringify(leaseClaims(this.issuer, lease, now))))
      .setProtectedHeader({ alg: "EdDSA", kid: key.kid, typ: LEASE_TOKEN_TYPE })
      .sign(key.key);
  }

  private async key(now: Date) {
    const due = !this.signing || rotationDue([this.signing], now, this.rotationMs) || now.getTime() - this.loadedAt >= KEYS_RELOAD_MS;
    if (due) {
      this.loading ??= this.reload(now).finally(() => (this.loading = undefined));
      // A key still in force signs meanwhile (a failed look is tried again at the next
      // signature); a key past its rotation waits for the new one.
      if (!this.signing || rotationDue([this.signing], now, this.rotationMs)) await this.loading;
      else this.loading.catch(this.onError);
    }
    return this.signing!;
  }

  private async reload(now: Date): Promise<void> {
    await rotateLeaseKeys(this.db, this.encryptionKey, this.rotationMs, now);
    const newest = (await listLeaseKeys(this.db))[0]!;
    if (this.signing?.kid !== newest.kid) {
      let pkcs8: Buffer;
      try {
        pkcs8 = decrypt(this.encryptionKey, newest.kid, newest.privateKeyEncrypted);
      } catch {
        throw new ConfigError(
          "SEATKEEPER_LEASE_KEY_SECRET",
          `does not decrypt the lease signing key ${newest.kid} stored in the database: every process of a deployment needs the same secret (or the same ${LEASE_KEY_FILE} in its data directory)`,
        );
      }
      this.signing = { kid: newest.kid, key: createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" }), createdAt: newest.createdAt };
    }
    this.loadedAt = now.getTime();
  }
}
