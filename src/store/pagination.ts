import { validationFailed } from "../domain/errors.js";
import { looksLikeId } from "../domain/ids.js";
import { isStorableText } from "../domain/text.js";
import type { Page } from "../domain/shapes.js";

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

/** Cursors are opaque to clients: the last row's sort key, base64url-encoded JSON. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

/**
 * What each element of a cursor is: `timestamp` an instant as toISOString() wrote it,
 * `id` one of our ids, `text` any storable string (a name, a slug).
 */
export type CursorPart = "timestamp" | "id" | "text";

const CURSOR_PARTS: Record<CursorPart, (value: unknown) => boolean> = {
  timestamp: (v) => typeof v === "string" && !Number.isNaN(Date.parse(v)) && new Date(v).toISOString() === v,
  id: (v) => typeof v === "string" && looksLikeId(v),
  text: (v) => typeof v === "string" && isStorableText(v),
};

/**
 * The sort key a cursor carries, checked against the shape the endpoint issues: a cursor
 * is client input, so anything else (edited, or from another endpoint) is a 400 before
 * it reaches SQL.
 */
export function decodeCursor<const S extends readonly CursorPart[]>(cursor: string | undefined, shape: S): { [K in keyof S]: string } | undefined {
  if (cursor === undefined || cursor === "") return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw validationFailed("cursor", "cursor");
  }
  if (Array.isArray(key) && key.length === shape.length && shape.every((part, i) => CURSOR_PARTS[part](key[i]))) return key as { [K in keyof S]: string };
  throw validationFailed("cursor", "cursor");
}

/** Fetch limit + 1 rows; the extra one only says whether there is a next page. */
export function toPage<R, T>(rows: R[], limit: number, key: (row: R) => (string | number)[], map: (row: R) => T): Page<T> {
  const items = rows.slice(0, limit);
  const nextCursor = rows.length > limit ? encodeCursor(key(items[items.length - 1])) : null;
  return { items: items.map(map), nextCursor };
}
