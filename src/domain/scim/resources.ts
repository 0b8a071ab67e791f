// SCIM resources in and out, pure: reading request bodies (attribute names and schema
// URNs are case-insensitive, booleans may come as "True"/"False" as Entra sends them),
// applying PATCH operations, and trimming answers to `attributes`/`excludedAttributes`.
// A User body is read against the schemas served by /Schemas: what they describe is kept,
// checked and in their spelling; anything else is ignored.
import { invalidPath, invalidSyntax, invalidValue, mutability, noTarget } from "./errors.js";
import { matchesElement, parsePatchPath, type Filter } from "./filter.js";
import {
  CORE_GROUP_URN, CORE_USER_URN, ENTERPRISE_USER_URN, PATCH_OP_URN, enterpriseAttributes, userAttributes, type AttributeDefinition,
} from "./schemas.js";

export type Json = Record<string, unknown>;

export const MAX_MEMBERS_PER_REQUEST = 1000;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value of `name` in `object`, whatever the case of its key. */
export function get(object: Json, name: string): unknown {
  const lower = name.toLowerCase();
  const key = Object.keys(object).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : object[key];
}

/** A SCIM boolean: true/false, or the strings "True"/"False" in any case. */
export function readBoolean(value: unknown, name: string): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "string" && /^(true|false)$/i.test(value)) return value.toLowerCase() === "true";
  throw invalidValue(`'${name}' must be true or false.`);
}

function checkSchemas(body: Json, core: string): void {
  const schemas = get(body, "schemas");
  if (schemas === undefined) return;
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === "string" && s.toLowerCase() === core.toLowerCase())) {
    throw invalidSyntax(`'schemas' must list ${core}.`);
  }
}

export function requireObject(body: unknown): Json {
  if (!isObject(body)) throw invalidSyntax("The request body must be a JSON object.");
  return body;
}

// ---------------------------------------------------------------------------------------
// Users

export const MAX_USER_NAME_LENGTH = 512;
export const MAX_IDENTIFIER_LENGTH = 512;
export const MAX_STRING_LENGTH = 2048;
export const MAX_BINARY_LENGTH = 16_384;
export const MAX_VALUES = 100;
export const MAX_ATTRIBUTES_SIZE = 65_536;
export const MIN_SCIM_PASSWORD_LENGTH = 8;

export interface UserInput {
  userName: string;
  externalId: string | null;
  active: boolean;
  password: string | undefined;
  /**
   * Every other attribute written (core and enterprise extension), in the schemas' spelling:
   * the user's SCIM document, returned as written.
   */
  attributes: Json;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_EMAIL_LENGTH = 254;
const CORE_USER = CORE_USER_URN.toLowerCase();
const ENTERPRISE_USER = ENTERPRISE_USER_URN.toLowerCase();

function byName(definitions: AttributeDefinition[]): Map<string, AttributeDefinition> {
  return new Map(definitions.map((d) => [d.name.toLowerCase(), d]));
}
const CORE_ATTRIBUTES = byName(userAttributes);
const ENTERPRISE_ATTRIBUTES = byName(enterpriseAttributes);

/** Read apart from the kept document: columns of their own, write-only, or read-only. */
const USER_OWN = new Set(["username", "externalid", "active", "password", "id", "schemas", "meta", "groups"]);

function readString(value: unknown, path: string, max: number): string {
  if (typeof value !== "string") throw invalidValue(`'${path}' must be a string.`);
  if (value.length > max) throw invalidValue(`'${path}' must be at most ${max} characters long.`);
  return value;
}

function readSingle(definition: AttributeDefinition, value: unknown, path: string): unknown {
  if (value === undefined || value === null) return undefined;
  switch (definition.type) {
    case "boolean":
      return readBoolean(value, path);
    case "binary": {
      const text = readString(value, path, MAX_BINARY_LENGTH);
      if (!/^[A-Za-z0-9+/=\s]*$/.test(text)) throw invalidValue(`'${path}' must be base64.`);
      return text;
    }
    case "complex": {
      let object = value;
      if (!definition.multiValued) {
        // Entra ID sends a manager as a bare id, or as a list of one.
        if (typeof object === "string" && definition.subAttributes!.some((s) => s.name === "value")) object = { value: object };
        if (Array.isArray(object) && object.length === 1) object = object[0];
      }
      if (!isObject(object)) throw invalidValue(`'${path}' must be an object.`);
      const out: Json = {};
      for (const [key, v] of Object.entries(object)) {
        const sub = definition.subAttributes!.find((s) => s.name.toLowerCase() === key.toLowerCase());
        if (!sub || sub.mutability === "readOnly") continue;
        const read = readSingle(sub, v, `${path}.${sub.name}`);
        if (read !== undefined) out[sub.name] = read;
      }
      return Object.keys(out).length === 0 ? undefined : out;
    }
    default:
      return readString(value, path, MAX_STRING_LENGTH);
  }
}

/** null, [] and {} are unassigned (RFC 7643 §2.5); a single value where a list is due is a list of one. */
function readAttribute(definition: AttributeDefinition, value: unknown, path: string): unknown {
  if (!definition.multiValued) return readSingle(definition, value, path);
  if (value === undefined || value === null) return undefined;
  const list = Array.isArray(value) ? value : [value];
  if (list.length > MAX_VALUES) throw invalidValue(`'${path}' has more than ${MAX_VALUES} values.`);
  const values = list.map((v, i) => readSingle({ ...definition, multiValued: false }, v, `${path}[${i}]`)).filter((v) => v !== undefined);
  if (values.filter((v) => isObject(v) && v.primary === true).length > 1) throw invalidValue(`At most one value of '${path}' may be primary.`);
  return values.length === 0 ? undefined : values;
}

/** A full User (POST, PUT, or the result of a PATCH): what is absent is cleared. */
export function readUser(body: unknown): UserInput {
  const object = requireObject(body);
  checkSchemas(object, CORE_USER_URN);
  const userName = get(object, "userName");
  if (typeof userName !== "string" || userName.trim() === "") throw invalidValue("'userName' is required.");
  if (userName.length > MAX_USER_NAME_LENGTH) throw invalidValue(`'userName' must be at most ${MAX_USER_NAME_LENGTH} characters long.`);
  const active = get(object, "active");
  const password = get(object, "password");
  if (password !== undefined && (typeof password !== "string" || password.length < MIN_SCIM_PASSWORD_LENGTH || password.length > 200)) {
    throw invalidValue(`'password' must be a string of ${MIN_SCIM_PASSWORD_LENGTH} to 200 characters.`);
  }
  const groups = get(object, "groups");
  if (groups !== undefined && groups !== null && !Array.isArray(groups)) throw invalidValue("'groups' must be a list.");

  const attributes: Json = {};
  const enterprise: Json = {};
  const keep = (into: Json, definition: AttributeDefinition, value: unknown, path: string) => {
    const read = readAttribute(definition, value, path);
    if (read === undefined) delete into[definition.name];
    else into[definition.name] = read;
  };
  for (const [key, value] of Object.entries(object)) {
    const lower = key.toLowerCase();
    if (USER_OWN.has(lower)) continue;
    if (lower === ENTERPRISE_USER) {
      if (value === null) continue;
      if (!isObject(value)) throw invalidValue(`'${ENTERPRISE_USER_URN}' must be an object.`);
      for (const [name, v] of Object.entries(value)) {
        const definition = ENTERPRISE_ATTRIBUTES.get(name.toLowerCase());
        if (definition) keep(enterprise, definition, v, `${ENTERPRISE_USER_URN}:${definition.name}`);
      }
      continue;
    }
    const core = CORE_ATTRIBUTES.get(lower);
    // Entra ID has sent enterprise attributes (department, manager) without their URN.
    const extension = core ? undefined : ENTERPRISE_ATTRIBUTES.get(lower);
    if (core) keep(attributes, core, value, core.name);
    else if (extension) keep(enterprise, extension, value, `${ENTERPRISE_USER_URN}:${extension.name}`);
  }
  if (Object.keys(enterprise).length > 0) attributes[ENTERPRISE_USER_URN] = enterprise;
  if (JSON.stringify(attributes).length > MAX_ATTRIBUTES_SIZE) throw invalidValue(`The user's attributes take more than ${MAX_ATTRIBUTES_SIZE} characters.`);
  const externalId = get(object, "externalId");
  return {
    userName,
    externalId: externalId === undefined || externalId === null ? null : readString(externalId, "externalId", MAX_IDENTIFIER_LENGTH),
    active: active === undefined || active === null ? true : readBoolean(active, "active"),
    password: password as string | undefined,
    attributes,
  };
}

function text(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

/** name.givenName and name.familyName, which are filtered and sorted on. */
export function nameParts(input: UserInput): { givenName: string | null; familyName: string | null } {
  const name = isObject(input.attributes.name) ? input.attributes.name : {};
  return { givenName: text(name.givenName), familyName: text(name.familyName) };
}

/** The name shown everywhere else: displayName, else the formatted or given + family name, else the userName. */
export function personName(input: UserInput): string {
  const name = isObject(input.attributes.name) ? input.attributes.name : {};
  const { givenName, familyName } = nameParts(input);
  const joined = [givenName, familyName].filter((x) => x && x.trim()).join(" ");
  return (text(input.attributes.displayName)?.trim() || text(name.formatted)?.trim() || joined || input.userName.trim()).slice(0, 200);
}

/**
 * The sign-in email: the primary email, else the first work email, else the userName when it
 * is an email address; null when there is none (the user cannot sign in). A primary or work
 * email that is not an address is refused, since the user would sign in with it.
 */
export function signInEmail(input: UserInput): string | null {
  const emails = (Array.isArray(input.attributes.emails) ? input.attributes.emails : []) as Json[];
  const chosen = emails.find((e) => e.primary === true) ?? emails.find((e) => text(e.type)?.toLowerCase() === "work");
  if (chosen) {
    const value = text(chosen.value);
    if (value === null || !EMAIL.test(value) || value.length > MAX_EMAIL_LENGTH) {
      throw invalidValue(`The ${chosen.primary === true ? "primary" : "work"} email${value ? ` '${value}'` : ""} is not an email address.`);
    }
    return value;
  }
  return EMAIL.test(input.userName) && input.userName.length <= MAX_EMAIL_LENGTH ? input.userName : null;
}

// ---------------------------------------------------------------------------------------
// Groups

export interface GroupInput {
  displayName: string;
  externalId: string | null;
  members: string[];
}

export function readMemberIds(value: unknown): string[] {
  const list = value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
  if (list.length > MAX_MEMBERS_PER_REQUEST) throw invalidValue(`At most ${MAX_MEMBERS_PER_REQUEST} members per request.`);
  return [
    ...new Set(
      list.map((m) => {
        const id = isObject(m) ? get(m, "value") : undefined;
        if (typeof id !== "string" || id === "") throw invalidValue("Each member must be an object with a 'value' (a user id).");
        return id;
      }),
    ),
  ];
}

export function readGroup(body: unknown): GroupInput {
  const object = requireObject(body);
  checkSchemas(object, CORE_GROUP_URN);
  const displayName = get(object, "displayName");
  if (typeof displayName !== "string" || displayName.trim() === "") throw invalidValue("'displayName' is required.");
  if (displayName.length > 200) throw invalidValue("'displayName' must be at most 200 characters long.");
  const externalId = get(object, "externalId");
  return {
    displayName: displayName.trim(),
    externalId: externalId === undefined || externalId === null ? null : readString(externalId, "externalId", MAX_IDENTIFIER_LENGTH),
    members: readMemberIds(get(object, "members")),
  };
}

// ---------------------------------------------------------------------------------------
// PATCH (RFC 7644 §3.5.2)

export interface PatchOperation {
  op: "add" | "replace" | "remove";
  path: string | undefined;
  value: unknown;
}

export const MAX_PATCH_OPERATIONS = 100;

export function readPatch(body: unknown): PatchOperation[] {
  const object = requireObject(body);
  checkSchemas(object, PATCH_OP_URN);
  const operations = get(object, "Operations");
  if (!Array.isArray(operations) || operations.length === 0) throw invalidSyntax("'Operations' must be a non-empty list.");
  if (operations.length > MAX_PATCH_OPERATIONS) throw invalidSyntax(`At most ${MAX_PATCH_OPERATIONS} operations per request.`);
  return operations.map((o) => {
    if (!isObject(o)) throw invalidSyntax("Each operation must be an object.");
    const op = get(o, "op");
    if (typeof op !== "string" || !/^(add|replace|remove)$/i.test(op)) throw invalidSyntax("'op' must be add, replace or remove.");
    const path = get(o, "path");
    if (path !== undefined && typeof path !== "string") throw invalidPath("'path' must be a string.");
    const value = get(o, "value");
    const kind = op.toLowerCase() as PatchOperation["op"];
    if (kind !== "remove" && value === undefined) throw invalidValue(`'${op}' needs a 'value'.`);
    if (kind === "remove" && path === undefined) throw noTarget("'remove' needs a 'path'.");
    return { op: kind, path: path === "" ? undefined : path, value };
  });
}

/** Attributes a PATCH may not change: answered 400 mutability. */
const READ_ONLY = new Set(["id", "groups", "meta"]);

function keyOf(object: Json, name: string): string {
  return Object.keys(object).find((k) => k.toLowerCase() === name.toLowerCase()) ?? name;
}

function addTo(container: Json, key: string, value: unknown): void {
  const current = container[key];
  if (Array.isArray(current)) {
    const added = Array.isArray(value) ? value : [value];
    container[key] = [...current, ...added.filter((v) => !current.some((c) => JSON.stringify(c) === JSON.stringify(v)))];
  } else if (isObject(current) && isObject(value)) {
    container[key] = { ...current, ...value };
  } else {
    container[key] = value;
  }
}

/** `type eq "work"` (and conjunctions of eq) describe the element a PATCH may create. */
function elementFromFilter(filter: Filter): Json | null {
  if (filter.op === "compare" && filter.cmp === "eq") return { [filter.attr.name]: filter.value };
  if (filter.op === "and") {
    const left = elementFromFilter(filter.left);
    const right = elementFromFilter(filter.right);
    return left && right ? { ...left, ...right } : null;
  }
  return null;
}

function isPrimary(element: unknown): boolean {
  if (!isObject(element)) return false;
  const primary = get(element, "primary");
  return primary === true || (typeof primary === "string" && primary.toLowerCase() === "true");
}

/** RFC 7644 §3.5.2: a value a PATCH makes primary makes the others not primary. */
function settlePrimary(list: unknown, before: Set<unknown>): void {
  if (!Array.isArray(list)) return;
  const primaries = list.filter(isPrimary);
  const fresh = primaries.filter((e) => !before.has(e));
  if (primaries.length < 2 || fresh.length === 0) return;
  for (const e of primaries) if (!fresh.includes(e)) (e as Json)[keyOf(e as Json, "primary")] = false;
}

/**
 * Where a path's attribute lives: the user itself, or its enterprise extension (named by
 * URN, or, as Entra ID does for `manager`, by a name only the extension defines). null for
 * another extension, which is not kept.
 */
function targetOf(resource: Json, urn: string | null, name: string): { container: Json; definition: AttributeDefinition | undefined } | null {
  const enterprise = urn === ENTERPRISE_USER || (urn === null && !CORE_ATTRIBUTES.has(name) && ENTERPRISE_ATTRIBUTES.has(name));
  if (enterprise) {
    const key = keyOf(resource, ENTERPRISE_USER_URN);
    if (!isObject(resource[key])) resource[key] = {};
    return { container: resource[key] as Json, definition: ENTERPRISE_ATTRIBUTES.get(name) };
  }
  if (urn !== null && urn !== CORE_USER) return null;
  return { container: resource, definition: CORE_ATTRIBUTES.get(name) };
}

function applyOne(resource: Json, operation: PatchOperation): void {
  const { op, value } = operation;
  if (operation.path === undefined) {
    if (!isObject(value)) throw invalidValue(`'${op}' without a path needs an object value.`);
    for (const [name, v] of Object.entries(value)) {
      const lower = name.toLowerCase();
      // A schema's attributes, grouped under its URN, each apply as if named by a path.
      if ((lower === CORE_USER || lower === ENTERPRISE_USER) && isObject(v)) {
        for (const [inner, w] of Object.entries(v)) applyOne(resource, { op, path: lower === CORE_USER ? inner : `${ENTERPRISE_USER_URN}:${inner}`, value: w });
        continue;
      }
      applyOne(resource, { op, path: name, value: v });
    }
    return;
  }
  const path = parsePatchPath(operation.path);
  const name = path.attr.name;
  if (path.attr.urn === null || path.attr.urn === CORE_USER) {
    if (READ_ONLY.has(name)) {
      if (name === "meta" || (name === "id" && op !== "remove" && value === resource.id)) return;
      throw mutability(`'${path.attr.name}' cannot be changed.`);
    }
    if (name === "schemas") return;
  }
  const target = targetOf(resource, path.attr.urn, name);
  if (target === null) return;
  const { container, definition } = target;
  const key = keyOf(container, definition?.name ?? name);
  const before = new Set(Array.isArray(container[key]) ? (container[key] as unknown[]).filter(isPrimary) : []);

  if (path.filter === null) {
    if (path.attr.sub === null) {
      if (op === "remove") delete container[key];
      else if (op === "add") addTo(container, key, value);
      // Replacing a complex attribute replaces the sub-attributes given (RFC 7644 §3.5.2.3).
      else if (definition?.type === "complex" && !definition.multiValued && isObject(container[key]) && isObject(value)) addTo(container, key, value);
      else container[key] = value;
      settlePrimary(container[key], before);
      return;
    }
    // `emails.type` without a filter names that sub-attribute of every value.
    const parents = Array.isArray(container[key]) ? (container[key] as unknown[]).filter(isObject) : [container[key]];
    if (!Array.isArray(container[key]) && !isObject(container[key])) {
      if (op === "remove") return;
      parents[0] = container[key] = {};
    }
    for (const parent of parents as Json[]) {
      const subKey = keyOf(parent, path.attr.sub);
      if (op === "remove") delete parent[subKey];
      else parent[subKey] = value;
    }
    settlePrimary(container[key], before);
    return;
  }

  const list = Array.isArray(container[key]) ? (container[key] as unknown[]) : [];
  const matches = list.filter((e) => isObject(e) && matchesElement(path.filter!, e)) as Json[];
  if (op === "remove") {
    if (path.sub === null) container[key] = list.filter((e) => !matches.includes(e as Json));
    else for (const e of matches) delete e[keyOf(e, path.sub)];
    return;
  }
  if (matches.length === 0) {
    const element = elementFromFilter(path.filter);
    if (!element) throw noTarget(`No value of '${path.attr.name}' matches the filter.`);
    const created = path.sub === null ? { ...element, ...(isObject(value) ? value : {}) } : { ...element, [path.sub]: value };
    container[key] = [...list, created];
  } else {
    for (const e of matches) {
      if (path.sub !== null) e[keyOf(e, path.sub)] = value;
      else if (isObject(value)) Object.assign(e, value);
      else throw invalidValue(`A value of '${path.attr.name}' must be an object.`);
    }
  }
  settlePrimary(container[key], before);
}

/** Applies the operations to a copy of `user` (its full SCIM representation). */
export function applyUserPatch(user: Json, operations: PatchOperation[]): Json {
  const copy = structuredClone(user);
  for (const operation of operations) applyOne(copy, operation);
  return copy;
}

// ---------------------------------------------------------------------------------------
// attributes / excludedAttributes (RFC 7644 §3.9)

export function readAttributeList(value: string | undefined): string[] {
  if (value === undefined || value.trim() === "") return [];
  return value.split(",").map((a) => a.trim().toLowerCase()).filter(Boolean).map((a) => {
    if (!a.startsWith("urn:")) return a;
    for (const urn of [CORE_USER_URN, CORE_GROUP_URN]) {
      if (a.startsWith(`${urn.toLowerCase()}:`)) return a.slice(urn.length + 1);
    }
    return a;
  });
}

const ALWAYS = new Set(["id", "schemas"]);

/** Keeps `attributes` (plus id and schemas), or drops `excludedAttributes`. */
export function project(resource: Json, attributes: string[], excluded: string[]): Json {
  if (attributes.length > 0) {
    const out: Json = {};
    for (const [key, value] of Object.entries(resource)) {
      const lower = key.toLowerCase();
      if (ALWAYS.has(lower) || attributes.includes(lower)) {
        out[key] = value;
        continue;
      }
      const subs = attributes.filter((a) => a.startsWith(`${lower}.`) || a.startsWith(`${lower}:`)).map((a) => a.slice(lower.length + 1));
      if (subs.length === 0 || !(isObject(value) || Array.isArray(value))) continue;
      out[key] = Array.isArray(value)
        ? value.map((v) => (isObject(v) ? project(v, subs, []) : v))
        : project(value, subs, []);
    }
    return out;
  }
  if (excluded.length === 0) return resource;
  const out: Json = {};
  for (const [key, value] of Object.entries(resource)) {
    const lower = key.toLowerCase();
    if (!ALWAYS.has(lower) && excluded.includes(lower)) continue;
    const subs = excluded.filter((a) => a.startsWith(`${lower}.`) || a.startsWith(`${lower}:`)).map((a) => a.slice(lower.length + 1));
    out[key] = subs.length === 0 ? value : Array.isArray(value) ? value.map((v) => (isObject(v) ? project(v, [], subs) : v)) : isObject(value) ? project(value, [], subs) : value;
  }
  return out;
}
