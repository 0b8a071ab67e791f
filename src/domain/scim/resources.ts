// SCIM resources in and out, pure: reading request bodies (attribute names and schema
// URNs are case-insensitive, booleans may come as "True"/"False" as Entra sends them),
// applying PATCH operations, and trimming answers to `attributes`/`excludedAttributes`.
import { invalidPath, invalidSyntax, invalidValue, mutability, noTarget } from "./errors.js";
import { matchesElement, parsePatchPath, type Filter } from "./filter.js";
import { CORE_GROUP_URN, CORE_USER_URN, ENTERPRISE_USER_URN, PATCH_OP_URN } from "./schemas.js";

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

function optionalString(object: Json, name: string, max = 200): string | null | undefined {
  const value = get(object, name);
  if (value === undefined || value === null) return value as null | undefined;
  if (typeof value !== "string") throw invalidValue(`'${name}' must be a string.`);
  if (value.length > max) throw invalidValue(`'${name}' must be at most ${max} characters long.`);
  return value;
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

export interface UserInput {
  userName: string;
  externalId: string | null;
  displayName: string | null;
  givenName: string | null;
  familyName: string | null;
  formatted: string | null;
  active: boolean;
  password: string | undefined;
  enterprise: Json | null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const MIN_SCIM_PASSWORD_LENGTH = 8;

/** A full User (POST, PUT, or the result of a PATCH): what is absent is cleared. */
export function readUser(body: unknown): UserInput {
  const object = requireObject(body);
  checkSchemas(object, CORE_USER_URN);
  const userName = get(object, "userName");
  if (typeof userName !== "string" || userName.trim() === "") throw invalidValue("'userName' is required.");
  if (!EMAIL.test(userName) || userName.length > 254) throw invalidValue("'userName' must be an email address.");
  const name = get(object, "name");
  if (name !== undefined && name !== null && !isObject(name)) throw invalidValue("'name' must be an object.");
  const nameObject = isObject(name) ? name : {};
  const active = get(object, "active");
  const password = get(object, "password");
  if (password !== undefined && (typeof password !== "string" || password.length < MIN_SCIM_PASSWORD_LENGTH || password.length > 200)) {
    throw invalidValue(`'password' must be a string of ${MIN_SCIM_PASSWORD_LENGTH} to 200 characters.`);
  }
  const enterprise = get(object, ENTERPRISE_USER_URN);
  if (enterprise !== undefined && enterprise !== null && !isObject(enterprise)) throw invalidValue(`'${ENTERPRISE_USER_URN}' must be an object.`);
  if (enterprise !== undefined && JSON.stringify(enterprise).length > 10_000) throw invalidValue("The enterprise extension is too large.");
  const groups = get(object, "groups");
  if (groups !== undefined && !Array.isArray(groups)) throw invalidValue("'groups' must be a list.");
  return {
    userName: userName.trim(),
    externalId: optionalString(object, "externalId") ?? null,
    displayName: optionalString(object, "displayName") ?? null,
    givenName: optionalString(nameObject, "givenName") ?? null,
    familyName: optionalString(nameObject, "familyName") ?? null,
    formatted: optionalString(nameObject, "formatted") ?? null,
    active: active === undefined || active === null ? true : readBoolean(active, "active"),
    password: password as string | undefined,
    enterprise: isObject(enterprise) && Object.keys(enterprise).length > 0 ? enterprise : null,
  };
}

/** The name shown everywhere else: displayName, else the formatted or given + family name, else the email. */
export function personName(input: UserInput): string {
  const joined = [input.givenName, input.familyName].filter((x) => x && x.trim()).join(" ");
  return (input.displayName?.trim() || input.formatted?.trim() || joined || input.userName).slice(0, 200);
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
  return { displayName: displayName.trim(), externalId: optionalString(object, "externalId") ?? null, members: readMemberIds(get(object, "members")) };
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

function applyOne(resource: Json, operation: PatchOperation, coreUrn: string): void {
  const { op, value } = operation;
  if (operation.path === undefined) {
    if (!isObject(value)) throw invalidValue(`'${op}' without a path needs an object value.`);
    for (const [name, v] of Object.entries(value)) {
      if (name.toLowerCase().startsWith("urn:") && isObject(v)) {
        if (name.toLowerCase() === coreUrn.toLowerCase()) {
          for (const [inner, w] of Object.entries(v)) applyOne(resource, { op, path: inner, value: w }, coreUrn);
          continue;
        }
        const key = keyOf(resource, name);
        resource[key] = { ...(isObject(resource[key]) ? resource[key] : {}), ...v };
        continue;
      }
      applyOne(resource, { op, path: name, value: v }, coreUrn);
    }
    return;
  }
  const path = parsePatchPath(operation.path);
  let container = resource;
  if (path.attr.urn !== null && path.attr.urn !== coreUrn.toLowerCase()) {
    const key = keyOf(resource, path.attr.urn);
    if (!isObject(resource[key])) resource[key] = {};
    container = resource[key] as Json;
  } else if (READ_ONLY.has(path.attr.name)) {
    if (path.attr.name === "meta" || (path.attr.name === "id" && op !== "remove" && value === resource.id)) return;
    throw mutability(`'${path.attr.name}' cannot be changed.`);
  } else if (path.attr.name === "schemas") {
    return;
  }
  const key = keyOf(container, path.attr.name);

  if (path.filter === null) {
    if (path.attr.sub === null) {
      if (op === "remove") delete container[key];
      else if (op === "add") addTo(container, key, value);
      else container[key] = value;
      return;
    }
    if (!isObject(container[key])) {
      if (op === "remove") return;
      container[key] = {};
    }
    const parent = container[key] as Json;
    const subKey = keyOf(parent, path.attr.sub);
    if (op === "remove") delete parent[subKey];
    else parent[subKey] = value;
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
    return;
  }
  for (const e of matches) {
    if (path.sub !== null) e[keyOf(e, path.sub)] = value;
    else if (isObject(value)) Object.assign(e, value);
    else throw invalidValue(`A value of '${path.attr.name}' must be an object.`);
  }
}

/** Applies the operations to a copy of `resource` (a full SCIM representation). */
export function applyPatch(resource: Json, operations: PatchOperation[], coreUrn: string): Json {
  const copy = structuredClone(resource);
  for (const operation of operations) applyOne(copy, operation, coreUrn);
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
