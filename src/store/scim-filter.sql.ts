// SCIM filter AST (src/domain/scim/filter.ts) → a SQL condition on `users` or
// `scim_groups`, evaluated by the database with its indexes: never by loading rows.
// Values are always bound parameters.
import { sql, type RawBuilder } from "kysely";
import { parseAttrPath, type AttrPath, type Filter, type Value } from "../domain/scim/filter.js";
import { invalidFilter, invalidValue } from "../domain/scim/errors.js";
import { parseTimestamp } from "../domain/timestamp.js";
import { CORE_GROUP_URN, CORE_USER_URN, ENTERPRISE_USER_URN } from "../domain/scim/schemas.js";

type Sql = RawBuilder<unknown>;

type Scalar =
  | { type: "string"; expr: Sql; caseExact: boolean }
  | { type: "boolean"; expr: Sql }
  | { type: "dateTime"; expr: Sql };

interface MultiValued {
  type: "multi";
  /** The sub-attribute meant when none is named (`emails eq "…"` is `emails.value eq "…"`). */
  defaultSub: string;
  subs: Record<string, Scalar>;
  /** Some element matches `condition` (written over `subs`). */
  some(condition: Sql): Sql;
  /** What `sortBy` on the attribute sorts by (its primary value), or null where it cannot sort. */
  sort: Scalar | null;
  /** An indexed condition met by every resource with an element whose value equals `value`. */
  indexedValue?: (value: string) => Sql;
}

type Attribute = Scalar | MultiValued | { type: "complex"; subs: Record<string, Scalar> };

export interface ResourceColumns {
  urns: string[];
  attributes: Record<string, Attribute>;
}

const str = (expr: Sql, caseExact = false): Scalar => ({ type: "string", expr, caseExact });
const ref = (column: string): Sql => sql.ref(column);

// A user SCIM wrote keeps its attributes in users.scim_attributes, as written; a user it
// never wrote (user_name IS NULL) shows its name and email (src/services/scim.service.ts).
const written = (path: string[]): Sql => sql`(users.scim_attributes #>> ${`{${path.join(",")}}`}::text[])`;
const kept = (name: string): Scalar => str(written([name]));
const enterprise = (name: string): Scalar => str(written([ENTERPRISE_USER_URN, name]));
const ownOrKnown = (own: Sql, known: Sql): Sql => sql`(CASE WHEN users.user_name IS NULL THEN ${known} ELSE ${own} END)`;

/** A kept multi-valued attribute: its elements are the jsonb array `elements`, each `e.v`. */
function keptList(elements: Sql, subs: string[]): MultiValued {
  const element = (name: string): Scalar =>
    name === "primary" ? { type: "boolean", expr: sql`(e.v ->> 'primary')::boolean` } : str(sql`(e.v ->> ${name})`);
  return {
    type: "multi",
    defaultSub: "value",
    subs: Object.fromEntries(subs.map((name) => [name.toLowerCase(), element(name)])),
    some: (condition) => sql`EXISTS (SELECT 1 FROM jsonb_array_elements(${elements}) AS e(v) WHERE ${condition})`,
    sort: null,
  };
}
const keptValues = (name: string, extra: string[] = []) =>
  keptList(sql`coalesce(users.scim_attributes -> ${name}, '[]'::jsonb)`, ["value", "display", "type", "primary", ...extra]);

export const USER_COLUMNS: ResourceColumns = {
  urns: [CORE_USER_URN.toLowerCase(), ENTERPRISE_USER_URN.toLowerCase()],
  attributes: {
    id: str(ref("users.id"), true),
    // Index users_user_name.
    username: str(sql`coalesce(users.user_name, users.email)`),
    externalid: str(ref("users.external_id"), true),
    displayname: str(ownOrKnown(written(["displayName"]), ref("users.name"))),
    active: { type: "boolean", expr: ref("users.active") },
    name: {
      type: "complex",
      subs: {
        givenname: str(ref("users.given_name")),
        familyname: str(ref("users.family_name")),
        formatted: str(ownOrKnown(written(["name", "formatted"]), ref("users.name"))),
        middlename: str(written(["name", "middleName"])),
        honorificprefix: str(written(["name", "honorificPrefix"])),
        honorificsuffix: str(written(["name", "honorificSuffix"])),
      },
    },
    nickname: kept("nickName"),
    profileurl: kept("profileUrl"),
    title: kept("title"),
    usertype: kept("userType"),
    preferredlanguage: kept("preferredLanguage"),
    locale: kept("locale"),
    timezone: kept("timezone"),
    emails: {
      ...keptList(
        ownOrKnown(
          sql`coalesce(users.scim_attributes -> 'emails', '[]'::jsonb)`,
          sql`(CASE WHEN users.email IS NULL THEN '[]'::jsonb ELSE jsonb_build_array(jsonb_build_object('value', users.email, 'type', 'work', 'primary', true)) END)`,
        ),
        ["value", "display", "type", "primary"],
      ),
      // The sign-in email: the primary one, else the first work email.
      sort: str(ref("users.email")),
      // Index users_email_values.
      indexedValue: (value) => sql`scim_email_values(users.scim_attributes, users.user_name, users.email) @> ARRAY[${value.toLowerCase()}]::text[]`,
    },
    phonenumbers: keptValues("phoneNumbers"),
    ims: keptValues("ims"),
    photos: keptValues("photos"),
    entitlements: keptValues("entitlements"),
    roles: keptValues("roles"),
    addresses: keptList(sql`coalesce(users.scim_attributes -> 'addresses', '[]'::jsonb)`, [
      "formatted", "streetAddress", "locality", "region", "postalCode", "country", "type", "primary",
    ]),
    groups: {
      type: "multi",
      defaultSub: "value",
      subs: { value: str(ref("gm.group_id"), true), display: str(ref("g.display_name")) },
      some: (condition) => sql`EXISTS (SELECT 1 FROM scim_group_members gm JOIN scim_groups g ON g.account_id = gm.account_id AND g.id = gm.group_id
        WHERE gm.account_id = users.account_id AND gm.user_id = users.id AND (${condition}))`,
      sort: null,
    },
    // The enterprise extension's attributes, by name (with or without its URN).
    employeenumber: enterprise("employeeNumber"),
    costcenter: enterprise("costCenter"),
    organization: enterprise("organization"),
    division: enterprise("division"),
    department: enterprise("department"),
    manager: { type: "complex", subs: { value: str(written([ENTERPRISE_USER_URN, "manager", "value"])) } },
    meta: {
      type: "complex",
      subs: { created: { type: "dateTime", expr: ref("users.created_at") }, lastmodified: { type: "dateTime", expr: ref("users.updated_at") } },
    },
  },
};

export const GROUP_COLUMNS: ResourceColumns = {
  urns: [CORE_GROUP_URN.toLowerCase()],
  attributes: {
    id: str(ref("scim_groups.id"), true),
    displayname: str(ref("scim_groups.display_name")),
    externalid: str(ref("scim_groups.external_id"), true),
    members: {
      type: "multi",
      defaultSub: "value",
      subs: { value: str(ref("gm.user_id"), true), display: str(ref("mu.name")) },
      some: (condition) => sql`EXISTS (SELECT 1 FROM scim_group_members gm JOIN users mu ON mu.account_id = gm.account_id AND mu.id = gm.user_id
        WHERE gm.account_id = scim_groups.account_id AND gm.group_id = scim_groups.id AND (${condition}))`,
      sort: null,
    },
    meta: {
      type: "complex",
      subs: { created: { type: "dateTime", expr: ref("scim_groups.created_at") }, lastmodified: { type: "dateTime", expr: ref("scim_groups.updated_at") } },
    },
  },
};
/** A table entry by a name from the request: never one of Object.prototype's (`constructor`). */
function own<T>(table: Record<string, T>, name: string): T | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined;
}

function describe(attr: AttrPath): string {
  return attr.sub ? `${attr.name}.${attr.sub}` : attr.name;
}

function resolve(columns: ResourceColumns, attr: AttrPath): Attribute {
  if (attr.urn !== null && !columns.urns.includes(attr.urn)) throw invalidFilter(`Unknown schema '${attr.urn}'.`);
  const found = own(columns.attributes, attr.name);
  if (!found) throw invalidFilter(`Filtering on '${describe(attr)}' is not supported.`);
  return found;
}

function subOf(attribute: { subs: Record<string, Scalar> }, sub: string, attr: AttrPath): Scalar {
  const found = own(attribute.subs, sub);
  if (!found) throw invalidFilter(`Filtering on '${attr.name}.${sub}' is not supported.`);
  return found;
}

function likePattern(value: string, cmp: "co" | "sw" | "ew"): string {
  const escaped = value.replace(/[\\%_]/g, "\\$&");
  return cmp === "co" ? `%${escaped}%` : cmp === "sw" ? `${escaped}%` : `%${escaped}`;
}

const SQL_OPS = { eq: sql`=`, gt: sql`>`, ge: sql`>=`, lt: sql`<`, le: sql`<=` } as const;

function compareScalar(column: Scalar, cmp: string, value: Value, name: string): Sql {
  if (value === null) {
    if (cmp === "eq") return sql`${column.expr} IS NULL`;
    if (cmp === "ne") return sql`${column.expr} IS NOT NULL`;
    throw invalidFilter(`'${cmp} null' on '${name}' means nothing.`);
  }
  if (column.type === "boolean") {
    if (typeof value !== "boolean") throw invalidFilter(`'${name}' is a boolean: compare it with true or false.`);
    if (cmp === "eq") return sql`${column.expr} = ${value}`;
    if (cmp === "ne") return sql`${column.expr} IS DISTINCT FROM ${value}`;
    throw invalidFilter(`'${name}' is a boolean: only eq, ne and pr apply.`);
  }
  if (column.type === "dateTime") {
    const at = typeof value === "string" ? parseTimestamp(value) : undefined;
    if (!at) throw invalidFilter(`'${name}' is a dateTime: compare it with an RFC 3339 string of the years 0001 to 9999, e.g. "2026-01-31T09:30:00Z".`);
    if (cmp === "ne") return sql`${column.expr} IS DISTINCT FROM ${at}`;
    if (cmp === "co" || cmp === "sw" || cmp === "ew") throw invalidFilter(`'${name}' is a dateTime: ${cmp} does not apply.`);
    return sql`${column.expr} ${SQL_OPS[cmp as keyof typeof SQL_OPS]} ${at}`;
  }
  if (typeof value !== "string") throw invalidFilter(`'${name}' is a string: compare it with a "quoted" value.`);
  const left = column.caseExact ? column.expr : sql`lower(${column.expr})`;
  const right = column.caseExact ? value : value.toLowerCase();
  switch (cmp) {
    case "ne":
      return sql`${left} IS DISTINCT FROM ${right}`;
    case "co":
    case "sw":
    case "ew":
      return sql`${left} LIKE ${likePattern(right, cmp)}`;
    default:
      return sql`${left} ${SQL_OPS[cmp as keyof typeof SQL_OPS]} ${right}`;
  }
}

function present(column: Scalar): Sql {
  return column.type === "string" ? sql`(${column.expr} IS NOT NULL AND ${column.expr} <> '')` : sql`${column.expr} IS NOT NULL`;
}

/** Compiles a filter on one element of a multi-valued attribute (inside `some`). */
function compileElement(filter: Filter, attribute: MultiValued, outer: AttrPath): Sql {
  switch (filter.op) {
    case "and":
      return sql`(${compileElement(filter.left, attribute, outer)} AND ${compileElement(filter.right, attribute, outer)})`;
    case "or":
      return sql`(${compileElement(filter.left, attribute, outer)} OR ${compileElement(filter.right, attribute, outer)})`;
    case "not":
      return sql`(NOT ${compileElement(filter.filter, attribute, outer)})`;
    case "valuePath":
      throw invalidFilter("A value filter cannot nest another value filter.");
    case "pr":
      return present(subOf(attribute, filter.attr.name, outer));
    case "compare":
      return compareScalar(subOf(attribute, filter.attr.name, outer), filter.cmp, filter.value, `${outer.name}.${filter.attr.name}`);
  }
}

/** A `value eq "…"` among the conjuncts of an element filter: what an index can look up. */
function valueLookedUp(filter: Filter): string | null {
  if (filter.op === "compare" && filter.cmp === "eq" && filter.attr.name === "value" && typeof filter.value === "string") return filter.value;
  if (filter.op === "and") return valueLookedUp(filter.left) ?? valueLookedUp(filter.right);
  return null;
}

/** `some(condition)`, narrowed first by the attribute's index when the filter allows it. */
function someElement(attribute: MultiValued, element: Filter, condition: Sql): Sql {
  const value = attribute.indexedValue ? valueLookedUp(element) : null;
  return value === null ? attribute.some(condition) : sql`(${attribute.indexedValue!(value)} AND ${attribute.some(condition)})`;
}

export function compileFilter(filter: Filter, columns: ResourceColumns): Sql {
  switch (filter.op) {
    case "and":
      return sql`(${compileFilter(filter.left, columns)} AND ${compileFilter(filter.right, columns)})`;
    case "or":
      return sql`(${compileFilter(filter.left, columns)} OR ${compileFilter(filter.right, columns)})`;
    case "not":
      return sql`(NOT ${compileFilter(filter.filter, columns)})`;
    case "valuePath": {
      const attribute = resolve(columns, filter.attr);
      if (attribute.type !== "multi") throw invalidFilter(`'${filter.attr.name}' is not multi-valued.`);
      return someElement(attribute, filter.filter, compileElement(filter.filter, attribute, filter.attr));
    }
    case "pr":
    case "compare": {
      const attribute = resolve(columns, filter.attr);
      const name = describe(filter.attr);
      let column: Scalar;
      if (attribute.type === "multi") {
        const sub = filter.attr.sub ?? attribute.defaultSub;
        column = subOf(attribute, sub, filter.attr);
        if (filter.op === "pr") return attribute.some(present(column));
        const element: Filter = { ...filter, attr: { urn: null, name: sub, sub: null } };
        return someElement(attribute, element, compareScalar(column, filter.cmp, filter.value, name));
      }
      if (attribute.type === "complex") {
        if (filter.attr.sub === null) throw invalidFilter(`'${name}' is complex: name one of its sub-attributes.`);
        column = subOf(attribute, filter.attr.sub, filter.attr);
      } else {
        if (filter.attr.sub !== null) throw invalidFilter(`'${filter.attr.name}' has no sub-attribute '${filter.attr.sub}'.`);
        column = attribute;
      }
      return filter.op === "pr" ? present(column) : compareScalar(column, filter.cmp, filter.value, name);
    }
  }
}

/** sortBy → an ORDER BY expression; the id always follows, so pages are stable. */
export function sortExpression(columns: ResourceColumns, sortBy: string): Sql {
  const attr = parseAttrPath(sortBy);
  if (!attr) throw invalidValue(`sortBy '${sortBy}' is not an attribute.`);
  if (attr.urn !== null && !columns.urns.includes(attr.urn)) throw invalidValue(`sortBy '${sortBy}' names an unknown schema.`);
  const attribute = own(columns.attributes, attr.name);
  let column: Scalar | undefined;
  if (attribute?.type === "multi") column = attr.sub === null || attr.sub === attribute.defaultSub ? attribute.sort ?? undefined : undefined;
  else if (attribute?.type === "complex") column = attr.sub ? own(attribute.subs, attr.sub) : undefined;
  else if (attribute && attr.sub === null) column = attribute;
  if (!column) throw invalidValue(`Sorting by '${sortBy}' is not supported.`);
  return column.type === "string" && !column.caseExact ? sql`lower(${column.expr})` : column.expr;
}

/** A filter on a group's members (`members[value eq "…"]` in a PATCH path), over `mu` (users). */
export function compileMemberFilter(filter: Filter): Sql {
  const members: MultiValued = {
    type: "multi",
    defaultSub: "value",
    subs: { value: str(ref("mu.id"), true), display: str(ref("mu.name")) },
    some: (condition) => condition,
    sort: null,
  };
  return compileElement(filter, members, { urn: null, name: "members", sub: null });
}
