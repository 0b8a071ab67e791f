import { randomFillSync } from "node:crypto";

// Ids are opaque strings with a type prefix, e.g. `usr_3h7k…`. Time-ordered (a
// millisecond clock first) so that new rows land at the end of indexes.
export type IdPrefix = "acct" | "usr" | "prod" | "tok" | "aud" | "sess" | "ss" | "rr" | "grp" | "scim" | "wait" | "lkey" | "whk" | "evt";

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

function base32(bytes: Uint8Array): string {
  let out = "";
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

/** Random bytes drawn a page at a time: one system call per 400 ids, not one per id. */
const pool = Buffer.alloc(4000);
let used = pool.length;

export function newId(prefix: IdPrefix, now: number = Date.now()): string {
  if (used + 10 > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  const bytes = Buffer.alloc(16);
  bytes.writeUIntBE(now, 0, 6);
  pool.copy(bytes, 6, used, used + 10);
  used += 10;
  return `${prefix}_${base32(bytes)}`;
}

const ID_PATTERN = /^[a-z]+_[0-9a-z]{26}$/;

/** A malformed id can never name anything: callers answer 404 without asking the database. */
export function isId(prefix: IdPrefix, value: string): boolean {
  return value.startsWith(`${prefix}_`) && ID_PATTERN.test(value);
}

/** An id of any type. */
export function looksLikeId(value: string): boolean {
  return ID_PATTERN.test(value);
}
