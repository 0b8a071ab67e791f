// Offline lease verification: a lease token is a JWT signed with Ed25519 by the server; the
// app checks it against the server's published keys (a JWK Set it fetched earlier) with
// WebCrypto alone, so that it can keep working through an outage up to the lease's end and
// refuses a forged or expired lease.

export const LEASE_TOKEN_TYPE = "sk-lease+jwt";

export interface LeaseClaims {
  iss: string;
  /** The user holding the seat. */
  sub: string;
  acct: string;
  product: string;
  seat: "named" | "concurrent";
  iat: number;
  /** Seconds since the epoch: the lease's end. */
  exp: number;
}

export interface Jwk {
  kid: string;
  kty: string;
  crv: string;
  x: string;
  alg?: string;
  use?: string;
}

export interface JwkSet {
  keys: Jwk[];
}

export type LeaseRefusal = "malformed" | "wrong_type" | "unknown_key" | "bad_signature" | "expired";

export class LeaseVerificationError extends Error {
  constructor(readonly reason: LeaseRefusal, message: string) {
    super(message);
    this.name = "LeaseVerificationError";
  }
}

const decoder = new TextDecoder();

function base64url(text: string): Uint8Array<ArrayBuffer> {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(text.length / 4) * 4, "=");
  const binary = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function json(part: string): Record<string, unknown> {
  const value = JSON.parse(decoder.decode(base64url(part))) as unknown;
  if (typeof value !== "object" || value === null) throw new Error("not an object");
  return value as Record<string, unknown>;
}

/** The key id a token names, without verifying anything. */
export function leaseKeyId(token: string): string | undefined {
  try {
    const kid = json(token.split(".")[0] ?? "").kid;
    return typeof kid === "string" ? kid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Verifies a lease token against `jwks` at `now`: its signature by one of the keys, its type
 * and its expiry. Throws LeaseVerificationError saying why a token is refused.
 */
export async function verifyLeaseToken(token: string, jwks: JwkSet, now: Date = new Date()): Promise<LeaseClaims> {
  const parts = token.split(".");
  if (parts.length !== 3) throw new LeaseVerificationError("malformed", "not a compact JWS");
  const [h, p, s] = parts as [string, string, string];
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = json(h);
    claims = json(p);
  } catch {
    throw new LeaseVerificationError("malformed", "the token's header or claims are not JSON");
  }
  if (header.alg !== "EdDSA" || header.typ !== LEASE_TOKEN_TYPE) throw new LeaseVerificationError("wrong_type", "not a Seatkeeper lease token");
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  if (!jwk || jwk.kty !== "OKP" || jwk.crv !== "Ed25519") throw new LeaseVerificationError("unknown_key", `no published key ${String(header.kid)}`);
  const key = await crypto.subtle.importKey("jwk", { kty: "OKP", crv: "Ed25519", x: jwk.x }, { name: "Ed25519" }, false, ["verify"]);
  const valid = await crypto.subtle.verify({ name: "Ed25519" }, key, base64url(s), new TextEncoder().encode(`${h}.${p}`));
  if (!valid) throw new LeaseVerificationError("bad_signature", "the signature does not match: the token was altered or forged");
  if (typeof claims.exp !== "number" || claims.exp * 1000 <= now.getTime()) throw new LeaseVerificationError("expired", "the lease has ended");
  return claims as unknown as LeaseClaims;
}
