// Query parameters of a SCIM list (RFC 7644 §3.4.2): filter, sort, 1-based pagination.
import { invalidValue } from "./errors.js";
import { parseFilter, type Filter } from "./filter.js";
import { readAttributeList } from "./resources.js";
import { DEFAULT_COUNT, MAX_COUNT } from "./schemas.js";

export interface ListQuery {
  filter: Filter | null;
  startIndex: number;
  count: number;
  sortBy: string | null;
  descending: boolean;
  attributes: string[];
  excludedAttributes: string[];
}

function integer(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === "") return undefined;
  if (!/^-?\d{1,9}$/.test(value)) throw invalidValue(`'${name}' must be an integer.`);
  return Number(value);
}

function single(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw invalidValue(`'${name}' may be given once.`);
  return value;
}

/** Reads a query string; parameter names are case-insensitive. */
export function readListQuery(raw: Record<string, unknown>): ListQuery {
  const query: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) query[key.toLowerCase()] = value;
  const filter = single(query.filter, "filter");
  // Below 1 means 1, and a negative count means 0 (RFC 7644 §3.4.2.4).
  const startIndex = Math.max(1, integer(single(query.startindex, "startIndex"), "startIndex") ?? 1);
  const count = Math.min(MAX_COUNT, Math.max(0, integer(single(query.count, "count"), "count") ?? DEFAULT_COUNT));
  const sortOrder = single(query.sortorder, "sortOrder")?.toLowerCase();
  if (sortOrder !== undefined && sortOrder !== "ascending" && sortOrder !== "descending") throw invalidValue("'sortOrder' must be ascending or descending.");
  const sortBy = single(query.sortby, "sortBy");
  return {
    filter: filter === undefined ? null : parseFilter(filter),
    startIndex,
    count,
    sortBy: sortBy === undefined || sortBy === "" ? null : sortBy,
    descending: sortOrder === "descending",
    attributes: readAttributeList(single(query.attributes, "attributes")),
    excludedAttributes: readAttributeList(single(query.excludedattributes, "excludedAttributes")),
  };
}

/** True when an answer needs `name` (e.g. a group's members, costly to load for big groups). */
export function wants(query: Pick<ListQuery, "attributes" | "excludedAttributes">, name: string): boolean {
  if (query.attributes.length > 0) return query.attributes.some((a) => a === name || a.startsWith(`${name}.`));
  return !query.excludedAttributes.includes(name);
}
