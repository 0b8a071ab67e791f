import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

// Passwords: scrypt (salted, deliberately slow). Bearer tokens are 256 random bits, so a
// fast hash is enough to store them: nobody can guess a preimage.
//
// N = 2^14, r = 8, p = 5 is one of OWASP's equivalent minimums (Password Storage Cheat
// Sheet). With N = 2^13, p = 10 (half its memory) it costs the least time of them on the
// reference machine: ~140 ms of CPU a hash, against ~200 ms for N = 2^15, p = 3 and
// ~300 ms for N = 2^17, p = 1. And 16 MiB a hash, where N = 2^17 takes 128 MiB: four
// sign-ins or import hashes at once on libuv's thread pool stay at 64 MiB instead of half
// a gigabyte beside the embedded database.
const SCRYPT: ScryptParams = { N: 2 ** 14, r: 8, p: 5, keylen: 32 };

interface ScryptParams {
  N: number;
  r: number;
  p: number;
  keylen: number;
}

/** Node refuses scrypt above maxmem; scrypt needs about 128·N·r bytes. */
function scryptAsync(password: string, salt: Buffer, { N, r, p, keylen }: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r };
  return new Promise((resolve, reject) => scrypt(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))));
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

/** A stored hash carries its own parameters: `scrypt$N$r$p$salt$key`. */
function parseHash(stored: string): { params: ScryptParams; salt: Buffer; key: Buffer } | null {
  const [scheme, n, r, p, salt, key, ...rest] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !key || rest.length > 0) return null;
  const keyBytes = Buffer.from(key, "base64url");
  const params = { N: Number(n), r: Number(r), p: Number(p), keylen: keyBytes.length };
  if (![params.N, params.r, params.p].every((x) => Number.isSafeInteger(x) && x > 0)) return null;
  return { params, salt: Buffer.from(salt, "base64url"), key: keyBytes };
}

export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const hash = stored === null ? null : parseHash(stored);
  if (!hash) return false;
  return timingSafeEqual(hash.key, await scryptAsync(password, hash.salt, hash.params));
}

/**
 * Whether a hash is weaker than what hashPassword makes now (made before the cost was
 * raised): the next successful sign-in hashes the password again. Only weaker, never
 * merely different: a process of an older version, during a rolling upgrade, must not
 * undo a stronger hash.
 */
export function needsRehash(stored: string): boolean {
  const hash = parseHash(stored);
  if (!hash) return false;
  const { N, r, p, keylen } = hash.params;
  return N < SCRYPT.N || N * r * p < SCRYPT.N * SCRYPT.r * SCRYPT.p || keylen < SCRYPT.keylen;
}

/** A hash that no password matches, verified on unknown emails so timing reveals nothing. */
export const DUMMY_PASSWORD_HASH = `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${"A".repeat(22)}$${"A".repeat(43)}`;

export function newSecretToken(prefix: "skt" | "sko" | "sks"): string {
  return `${prefix}_${randomBytes(32).toString("base64url")}`;
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function sameSecret(a: string, b: string): boolean {
  const x = createHash("sha256").update(a).digest();
  const y = createHash("sha256").update(b).digest();
  return timingSafeEqual(x, y);
}
