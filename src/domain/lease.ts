// Lease tokens: what a signed lease says, and which signing keys are in use. Pure.

/** The JOSE `typ` of a lease token, so that no other token signed by these keys passes for one. */
export const LEASE_TOKEN_TYPE = "sk-lease+jwt";
/** How many keys are published at once: the one signing now and the one before it. */
export const PUBLISHED_KEYS = 2;

/** The claims of a lease token (a JWT signed with Ed25519). */
export interface LeaseClaims {
  /** The server's public URL. */
  iss: string;
  /** The user holding the seat. */
  sub: string;
  acct: string;
  product: string;
  seat: "named" | "concurrent";
  /** Seconds since the epoch. */
  iat: number;
  exp: number;
}

export interface DatedKey {
  kid: string;
  createdAt: Date;
}

/** Keys newest first → the ones to publish in the JWKS (the newest signs). */
export function publishedKeys<K extends DatedKey>(newestFirst: K[]): K[] {
  return newestFirst.slice(0, PUBLISHED_KEYS);
}

/** Whether a new signing key is due: there is none, or the newest is a rotation period old. */
export function rotationDue(newestFirst: DatedKey[], now: Date, rotationMs: number): boolean {
  const newest = newestFirst[0];
  return newest === undefined || now.getTime() - newest.createdAt.getTime() >= rotationMs;
}

/** A lease token's claims; `expiresAt` is rounded down to a whole second (never past the lease). */
export function leaseClaims(issuer: string, lease: { accountId: string; userId: string; product: string; seat: "named" | "concurrent"; expiresAt: Date }, now: Date): LeaseClaims {
  return {
    iss: issuer,
    sub: lease.userId,
    acct: lease.accountId,
    product: lease.product,
    seat: lease.seat,
    iat: Math.floor(now.getTime() / 1000),
    exp: Math.floor(lease.expiresAt.getTime() / 1000),
  };
}
