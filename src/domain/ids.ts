import { randomBytes } from "node:crypto";

// Ids are opaque strings with a type prefix, e.g. `usr_3h7k…`. Time-ordered (a
// millisecond clock first) so that new rows land at the end of indexes.
export type IdPrefix = "acct" | "usr" | "prod" | "tok" | "aud" | "sess" | "ss" | "rr" | "grp" | "scim" | "wait";

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

export function newId(prefix: IdPrefix, now: number = Date.now()): string {
  const time = Buffer.alloc(6);
  time.writeUIntBE(now, 0, 6);
  return `${prefix}_${base32(Buffer.concat([time, randomBytes(10)]))}`;
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
