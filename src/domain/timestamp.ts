// Timestamps as sent on the wire: RFC 3339 date-times that both a JS Date and PostgreSQL
// hold exactly. A leap second (23:59:60), a day that does not exist (02-30) or a year a
// Date can hold but the database cannot (-200000) is refused, not rounded or passed on.

import { validationFailed } from "./errors.js";

const RFC_3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

export const MIN_YEAR = 1;
export const MAX_YEAR = 9999;

/** The instant a timestamp names, or undefined when it is not one we can store exactly. */
export function parseTimestamp(text: string): Date | undefined {
  const match = RFC_3339.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const millis = Number((match[7] ?? "").slice(0, 3).padEnd(3, "0"));
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
  const local = new Date(0);
  local.setUTCFullYear(year, month - 1, day);
  local.setUTCHours(hour, minute, second, millis);
  const exact =
    local.getUTCFullYear() === year && local.getUTCMonth() === month - 1 && local.getUTCDate() === day &&
    local.getUTCHours() === hour && local.getUTCMinutes() === minute && local.getUTCSeconds() === second;
  if (!exact) return undefined;
  let offsetMinutes = 0;
  if (match[8]) {
    const offsetHours = Number(match[9]);
    const offsetMins = Number(match[10]);
    if (offsetHours > 23 || offsetMins > 59) return undefined;
    offsetMinutes = (match[8] === "-" ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const instant = new Date(local.getTime() - offsetMinutes * 60_000);
  const utcYear = instant.getUTCFullYear();
  return utcYear >= MIN_YEAR && utcYear <= MAX_YEAR ? instant : undefined;
}

export function isTimestamp(text: string): boolean {
  return parseTimestamp(text) !== undefined;
}

/** A query's time bound, which its route's schema already checked: read the same way, a 400 naming `field` if not. */
export function requireTimestamp(field: string, text: string): Date {
  const at = parseTimestamp(text);
  if (!at) throw validationFailed(field, "format", { format: "date-time" });
  return at;
}
