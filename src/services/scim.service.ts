// SCIM 2.0 use cases (RFC 7643/7644): Users and Groups of the token's account. Writes go
// through the same transactional user rules as the API (createUserIn, updateUserIn,
// deleteUserIn) and group membership changes re-decide group seats in the same commit.
import { isDeepStrictEqual } from "node:util";
import { isId, newId } from "../domain/ids.js";
import { ScimError, invalidPath, invalidValue, mutability, noTarget } from "../domain/scim/errors.js";
import { parsePatchPath } from "../domain/scim/filter.js";
import { wants, type ListQuery } from "../domain/scim/list.js";
import {
  applyUserPatch, get, nameParts, personName, project, readGroup, readMemberIds, readPatch, readUser, requireObject, signInEmail,
  type Json, type PatchOperation, type UserInput,
} from "../domain/scim/resources.js";
import { CORE_GROUP_URN, CORE_USER_URN, ENTERPRISE_USER_URN, LIST_RESPONSE_URN } from "../domain/scim/schemas.js";
import type { Db } from "../store/database.js";
import { lockAccount } from "../store/account.repository.js";
import { insertAudit } from "../store/audit.repository.js";
import { compileFilter, GROUP_COLUMNS, sortExpression, USER_COLUMNS, type ResourceColumns } from "../store/scim-filter.sql.js";
import {
  addMembers, deleteGroup, existingUserIds, findGroup, groupsOfUsers, insertGroup, listGroups, listMembers, lockGroup, memberIds,
  removeMembers, touchGroup, updateGroup,
} from "../store/scim-group.repository.js";
import { lockPools } from "../store/pool.repository.js";
import { findUser, findUserNameOwner, listScimUsers, lockUser } from "../store/user.repository.js";
import type { ScimGroupRow, UserRow } from "../store/schema.js";
import { auditActor, type Principal } from "./context.js";
import { hashPassword } from "./crypto.js";
import { mappedProductOf, reconcileSeatsIn } from "./group-seat.service.js";
import { createUserIn, deleteUserIn, updateUserIn, type UpdateUserInput } from "./user.service.js";

export type ScimPrincipal = Extract<Principal, { kind: "scim" }>;

/** Where the resources live, for meta.location and $ref: `https://host/scim/v2`. */
export interface ScimContext {
  db: Db;
  principal: ScimPrincipal;
  base: string;
}

function version(updatedAt: Date): string {
  return `W/"${updatedAt.getTime().toString(36)}"`;
}

/** If-Match (RFC 7644 §3.14): a stale version is 412, nothing written. */
function checkVersion(ifMatch: string | undefined, updatedAt: Date): void {
  if (ifMatch === undefined) return;
  const wanted = ifMatch.split(",").map((v) => v.trim());
  if (wanted.includes("*") || wanted.includes(version(updatedAt))) return;
  throw new ScimError(412, undefined, "The resource changed since that version (If-Match).");
}

const userNotFound = () => new ScimError(404, undefined, "No such user.");
const groupNotFound = () => new ScimError(404, undefined, "No such group.");

// ---------------------------------------------------------------------------------------
// Users

/**
 * A user SCIM wrote is its attributes as written, with userName, externalId and active from
 * their columns (an admin may deactivate the user). A user SCIM never wrote (made in the
 * admin center or by import) is shown from what Seatkeeper knows: its email and name.
 */
function userView(base: string, u: UserRow, groups: { groupId: string; displayName: string }[]) {
  const attributes = u.scim_attributes ?? {};
  const known = u.user_name === null && {
    name: {
      formatted: [u.given_name, u.family_name].filter(Boolean).join(" ") || u.name,
      ...(u.given_name !== null && { givenName: u.given_name }),
      ...(u.family_name !== null && { familyName: u.family_name }),
    },
    displayName: u.name,
    ...(u.email !== null && { emails: [{ value: u.email, type: "work", primary: true }] }),
  };
  return {
    schemas: attributes[ENTERPRISE_USER_URN] ? [CORE_USER_URN, ENTERPRISE_USER_URN] : [CORE_USER_URN],
    id: u.id,
    ...(u.external_id !== null && { externalId: u.external_id }),
    // The users_named constraint: a user has a userName or an email.
    userName: (u.user_name ?? u.email)!,
    ...known,
    ...attributes,
    active: u.active,
    groups: groups.map((g) => ({ value: g.groupId, display: g.displayName, $ref: `${base}/Groups/${g.groupId}` })),
    meta: { resourceType: "User", created: u.created_at.toISOString(), lastModified: u.updated_at.toISOString(), location: `${base}/Users/${u.id}`, version: version(u.updated_at) },
  };
}

async function viewUsers(db: Db, base: string, accountId: string, users: UserRow[]) {
  const groups = await groupsOfUsers(db, accountId, users.map((u) => u.id));
  return users.map((u) => userView(base, u, groups.filter((g) => g.userId === u.id)));
}

async function requireScimUser(db: Db, accountId: string, id: string): Promise<UserRow> {
  const user = isId("usr", id) ? await findUser(db, accountId, id) : undefined;
  if (!user) throw userNotFound();
  return user;
}

export async function getScimUser(ctx: ScimContext, id: string) {
  const user = await requireScimUser(ctx.db, ctx.principal.accountId, id);
  return (await viewUsers(ctx.db, ctx.base, ctx.principal.accountId, [user]))[0];
}

/** A SCIM list query as a repository page request: filter and sort compiled to SQL, 1-based index to offset. */
function pageRequest(query: ListQuery, columns: ResourceColumns) {
  return {
    where: query.filter ? compileFilter(query.filter, columns) : null,
    orderBy: query.sortBy ? sortExpression(columns, query.sortBy) : null,
    descending: query.descending,
    offset: query.startIndex - 1,
    count: query.count,
  };
}

export async function listScimUserPage(ctx: ScimContext, query: ListQuery) {
  const { rows, total } = await listScimUsers(ctx.db, ctx.principal.accountId, pageRequest(query, USER_COLUMNS));
  const resources = await viewUsers(ctx.db, ctx.base, ctx.principal.accountId, rows);
  return listResponse(resources, total, query);
}

function listResponse(resources: Json[], total: number, query: ListQuery) {
  return {
    schemas: [LIST_RESPONSE_URN],
    totalResults: total,
    startIndex: query.startIndex,
    itemsPerPage: resources.length,
    Resources: resources.map((r) => project(r, query.attributes, query.excludedAttributes)),
  };
}

/** userName is unique in the account, case-insensitively (the users_user_name index backs this up). */
async function checkUserNameFree(tx: Db, accountId: string, userName: string, exceptId: string | null): Promise<void> {
  if (await findUserNameOwner(tx, accountId, userName, exceptId)) {
    throw new ScimError(409, "uniqueness", `The userName '${userName}' is already taken in this account.`);
  }
}

export async function createScimUser(ctx: ScimContext, body: unknown) {
  const { db, principal } = ctx;
  const input = readUser(body);
  const email = signInEmail(input);
  // Hash outside the transaction: scrypt is slow, and a transaction must not wait on it.
  const passwordHash = input.password !== undefined ? await hashPassword(input.password) : null;
  const user = await db.transaction().execute(async (tx) => {
    await checkUserNameFree(tx, principal.accountId, input.userName, null);
    return createUserIn(tx, principal, principal.accountId, {
      email,
      userName: input.userName,
      name: personName(input),
      role: "agent",
      externalId: input.externalId,
      active: input.active,
      ...nameParts(input),
      scimAttributes: input.attributes,
      passwordHash,
    });
  });
  return (await viewUsers(db, ctx.base, principal.accountId, [user]))[0];
}

/** What a full SCIM User changes on a user: only what differs is written and audited. */
function userChange(before: UserRow, input: UserInput): UpdateUserInput {
  const name = personName(input);
  const email = signInEmail(input);
  const { givenName, familyName } = nameParts(input);
  return {
    ...(input.userName !== before.user_name && { userName: input.userName }),
    ...(email !== before.email && { email }),
    ...(name !== before.name && { name }),
    ...(input.externalId !== before.external_id && { externalId: input.externalId }),
    ...(givenName !== before.given_name && { givenName }),
    ...(familyName !== before.family_name && { familyName }),
    // jsonb keeps its own key order: compare values, not texts.
    ...(!isDeepStrictEqual(input.attributes, before.scim_attributes) && { scimAttributes: input.attributes }),
    ...(input.active !== before.active && { active: input.active }),
  };
}

/** Locks the account then the user (the order updateUserIn takes them), checks If-Match. */
async function lockForChange(tx: Db, accountId: string, id: string, ifMatch: string | undefined): Promise<UserRow> {
  await lockAccount(tx, accountId);
  const user = isId("usr", id) ? await lockUser(tx, accountId, id) : undefined;
  if (!user) throw userNotFound();
  checkVersion(ifMatch, user.updated_at);
  return user;
}

async function changeUser(ctx: ScimContext, id: string, ifMatch: string | undefined, password: string | undefined, next: (tx: Db, before: UserRow) => Promise<UserInput>) {
  const { db, principal } = ctx;
  const accountId = principal.accountId;
  const passwordHash = password !== undefined ? await hashPassword(password) : undefined;
  const user = await db.transaction().execute(async (tx) => {
    const before = await lockForChange(tx, accountId, id, ifMatch);
    const input = await next(tx, before);
    const change = userChange(before, input);
    if (change.userName !== undefined) await checkUserNameFree(tx, accountId, input.userName, id);
    if (Object.keys(change).length === 0 && passwordHash === undefined) return before;
    return updateUserIn(tx, principal, accountId, id, change, passwordHash);
  });
  return (await viewUsers(db, ctx.base, accountId, [user]))[0];
}

export async function replaceScimUser(ctx: ScimContext, id: string, body: unknown, ifMatch: string | undefined) {
  const input = readUser(body);
  const given = get(requireObject(body), "id");
  if (given !== undefined && given !== id) throw mutability("'id' cannot be changed.");
  return changeUser(ctx, id, ifMatch, input.password, async () => input);
}

const CORE_USER_PREFIX = `${CORE_USER_URN.toLowerCase()}:`;

/**
 * The password a PATCH sets — `path: "password"`, or a `password` member of a path-less
 * value (also inside the core schema's URN) — found before the transaction so that it is
 * hashed outside it.
 */
function patchedPassword(operations: PatchOperation[]): string | undefined {
  const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
  let password: unknown;
  for (const o of operations) {
    if (o.op === "remove") continue;
    if (o.path !== undefined) {
      const path = o.path.toLowerCase();
      if ((path.startsWith(CORE_USER_PREFIX) ? path.slice(CORE_USER_PREFIX.length) : path) === "password") password = o.value;
    } else if (isObject(o.value)) {
      const core = get(o.value, CORE_USER_URN);
      password = get(o.value, "password") ?? (isObject(core) ? get(core, "password") : undefined) ?? password;
    }
  }
  if (password !== undefined && typeof password !== "string") throw invalidValue("'password' must be a string.");
  return password as string | undefined;
}

export async function patchScimUser(ctx: ScimContext, id: string, body: unknown, ifMatch: string | undefined) {
  const operations = readPatch(body);
  const password = patchedPassword(operations);
  return changeUser(ctx, id, ifMatch, password, async (tx, before) => {
    const [current] = await viewUsers(tx, ctx.base, ctx.principal.accountId, [before]);
    // groups and meta are read-only: applyUserPatch refuses (groups) or skips (meta) them.
    const resource: Json = { ...current };
    delete resource.groups;
    delete resource.meta;
    return readUser(applyUserPatch(resource, operations));
  });
}

export async function deleteScimUser(ctx: ScimContext, id: string, ifMatch: string | undefined): Promise<void> {
  const { db, principal } = ctx;
  await db.transaction().execute(async (tx) => {
    await lockForChange(tx, principal.accountId, id, ifMatch);
    await deleteUserIn(tx, principal, principal.accountId, id);
  });
}

// ---------------------------------------------------------------------------------------
// Groups

function groupView(base: string, g: ScimGroupRow, members: { userId: string; name: string }[] | null) {
  return {
    schemas: [CORE_GROUP_URN],
    id: g.id,
    ...(g.external_id !== null && { externalId: g.external_id }),
    displayName: g.display_name,
    ...(members !== null && { members: members.map((m) => ({ value: m.userId, display: m.name, type: "User", $ref: `${base}/Users/${m.userId}` })) }),
    meta: { resourceType: "Group", created: g.created_at.toISOString(), lastModified: g.updated_at.toISOString(), location: `${base}/Groups/${g.id}`, version: version(g.updated_at) },
  };
}

type Wanted = Pick<ListQuery, "attributes" | "excludedAttributes">;
const EVERYTHING: Wanted = { attributes: [], excludedAttributes: [] };

async function viewGroups(db: Db, base: string, accountId: string, groups: ScimGroupRow[], wanted: Wanted) {
  const members = wants(wanted, "members") ? await listMembers(db, accountId, groups.map((g) => g.id)) : null;
  return groups.map((g) => groupView(base, g, members && members.filter((m) => m.groupId === g.id)));
}

/** One group, unprojected (the route projects it after reading its version for the ETag). */
export async function getScimGroup(ctx: ScimContext, id: string, wanted: Wanted) {
  const group = isId("grp", id) ? await findGroup(ctx.db, ctx.principal.accountId, id) : undefined;
  if (!group) throw groupNotFound();
  return (await viewGroups(ctx.db, ctx.base, ctx.principal.accountId, [group], wanted))[0];
}

export async function listScimGroupPage(ctx: ScimContext, query: ListQuery) {
  const { rows, total } = await listGroups(ctx.db, ctx.principal.accountId, pageRequest(query, GROUP_COLUMNS));
  return listResponse(await viewGroups(ctx.db, ctx.base, ctx.principal.accountId, rows, query), total, query);
}

async function checkMembers(tx: Db, accountId: string, ids: string[]): Promise<void> {
  const valid = ids.filter((id) => isId("usr", id));
  const found = new Set(await existingUserIds(tx, accountId, valid));
  const unknown = ids.filter((id) => !found.has(id));
  if (unknown.length > 0) throw invalidValue(`No such user: ${unknown.slice(0, 5).join(", ")}.`);
}

/** Members joined or left: their seats follow the group's mapping, in the same transaction. */
async function afterMembersChanged(tx: Db, principal: ScimPrincipal, group: ScimGroupRow, added: string[], removed: string[]): Promise<void> {
  const accountId = principal.accountId;
  await touchGroup(tx, accountId, group.id);
  if (added.length + removed.length > 0) {
    await insertAudit(tx, accountId, auditActor(principal), {
      action: "group.members_changed",
      target: { type: "group", id: group.id, name: group.display_name },
      details: { added, removed },
    });
  }
  const productId = await mappedProductOf(tx, accountId, group.id);
  if (productId) await reconcileSeatsIn(tx, principal, accountId, [...added, ...removed], [productId]);
}

export async function createScimGroup(ctx: ScimContext, body: unknown) {
  const { db, principal } = ctx;
  const accountId = principal.accountId;
  const input = readGroup(body);
  const group = await db.transaction().execute(async (tx) => {
    await checkMembers(tx, accountId, input.members);
    const created = await insertGroup(tx, { accountId, id: newId("grp"), displayName: input.displayName, externalId: input.externalId });
    await addMembers(tx, accountId, created.id, input.members);
    await insertAudit(tx, accountId, auditActor(principal), {
      action: "group.created",
      target: { type: "group", id: created.id, name: created.display_name },
      details: { members: input.members.length },
    });
    return created;
  });
  return (await viewGroups(db, ctx.base, accountId, [group], EVERYTHING))[0];
}

/**
 * Takes the mapped product's seat lock before any membership row is written: a new member
 * row holds a key-share lock on its user, and a user deletion that already holds the seat
 * lock would otherwise wait for it while it waits for the seat lock.
 */
async function lockMappedSubscription(tx: Db, accountId: string, groupId: string): Promise<string | null> {
  const productId = await mappedProductOf(tx, accountId, groupId);
  if (productId) await lockPools(tx, accountId, [productId]);
  return productId;
}

async function changeGroup(ctx: ScimContext, id: string, ifMatch: string | undefined, change: (tx: Db, group: ScimGroupRow) => Promise<void>) {
  const { db, principal } = ctx;
  const accountId = principal.accountId;
  const group = await db.transaction().execute(async (tx) => {
    const before = isId("grp", id) ? await lockGroup(tx, accountId, id) : undefined;
    if (!before) throw groupNotFound();
    checkVersion(ifMatch, before.updated_at);
    await lockMappedSubscription(tx, accountId, id);
    await change(tx, before);
    const after = (await findGroup(tx, accountId, id))!;
    if (after.display_name !== before.display_name || after.external_id !== before.external_id) {
      await insertAudit(tx, accountId, auditActor(principal), {
        action: "group.updated",
        target: { type: "group", id, name: after.display_name },
        details: { displayName: { from: before.display_name, to: after.display_name }, externalId: after.external_id },
      });
    }
    return after;
  });
  return (await viewGroups(db, ctx.base, accountId, [group], EVERYTHING))[0];
}

export async function replaceScimGroup(ctx: ScimContext, id: string, body: unknown, ifMatch: string | undefined) {
  const input = readGroup(body);
  const accountId = ctx.principal.accountId;
  return changeGroup(ctx, id, ifMatch, async (tx, group) => {
    await checkMembers(tx, accountId, input.members);
    await updateGroup(tx, accountId, id, { displayName: input.displayName, externalId: input.externalId });
    const current = await memberIds(tx, accountId, id);
    const wanted = new Set(input.members);
    const removed = await removeMembers(tx, accountId, id, { userIds: current.filter((m) => !wanted.has(m)) });
    const added = await addMembers(tx, accountId, id, input.members);
    await afterMembersChanged(tx, ctx.principal, group, added, removed);
  });
}

/**
 * Group PATCH works on the database, not on a loaded copy: a group may have 100k members.
 * Supported: displayName/externalId (with or without path), members add/replace/remove,
 * remove with `members[<filter>]`, and remove of `members` (all, or the listed values).
 */
export async function patchScimGroup(ctx: ScimContext, id: string, body: unknown, ifMatch: string | undefined) {
  const operations = readPatch(body);
  const accountId = ctx.principal.accountId;
  return changeGroup(ctx, id, ifMatch, async (tx, group) => {
    const added = new Set<string>();
    const removed = new Set<string>();
    const add = async (ids: string[]) => {
      await checkMembers(tx, accountId, ids);
      for (const m of await addMembers(tx, accountId, id, ids)) added.add(m);
    };
    const remove = async (which: Parameters<typeof removeMembers>[3]) => {
      for (const m of await removeMembers(tx, accountId, id, which)) removed.add(m);
    };
    const setAttribute = async (op: PatchOperation["op"], name: string, value: unknown) => {
      switch (name) {
        case "displayname":
          if (op === "remove") throw mutability("'displayName' is required.");
          if (typeof value !== "string" || value.trim() === "" || value.length > 200) throw invalidValue("'displayName' must be a non-empty string.");
          await updateGroup(tx, accountId, id, { displayName: value.trim() });
          return;
        case "externalid":
          if (op !== "remove" && typeof value !== "string") throw invalidValue("'externalId' must be a string.");
          await updateGroup(tx, accountId, id, { externalId: op === "remove" ? null : (value as string) });
          return;
        case "members": {
          const ids = op === "remove" && value === undefined ? null : readMemberIds(value);
          if (op === "add") await add(ids!);
          else if (op === "remove") await remove(ids === null ? { all: true } : { userIds: ids });
          else {
            await checkMembers(tx, accountId, ids!);
            const keepIds = new Set(ids);
            await remove({ userIds: (await memberIds(tx, accountId, id)).filter((m) => !keepIds.has(m)) });
            await add(ids!);
          }
          return;
        }
        case "id":
        case "schemas":
        case "meta":
          if (name === "id" && value !== id) throw mutability("'id' cannot be changed.");
          return;
        default:
          throw invalidPath(`Groups have no attribute '${name}' that can be changed.`);
      }
    };

    for (const o of operations) {
      if (o.path === undefined) {
        if (typeof o.value !== "object" || o.value === null || Array.isArray(o.value)) throw invalidValue(`'${o.op}' without a path needs an object value.`);
        for (const [key, value] of Object.entries(o.value)) await setAttribute(o.op, key.toLowerCase(), value);
        continue;
      }
      const path = parsePatchPath(o.path);
      if (path.attr.urn !== null && path.attr.urn !== CORE_GROUP_URN.toLowerCase()) throw invalidPath(`Unknown schema '${path.attr.urn}'.`);
      if (path.filter === null && path.attr.sub === null) {
        await setAttribute(o.op, path.attr.name, o.value);
        continue;
      }
      if (path.attr.name !== "members") throw invalidPath(`'${o.path}' is not a path of a Group.`);
      if (o.op !== "remove" || path.sub !== null || path.attr.sub !== null) {
        throw noTarget(`'${o.op}' on '${o.path}' is not supported: add or replace 'members' with a list of values.`);
      }
      await remove({ filter: path.filter! });
    }
    await afterMembersChanged(tx, ctx.principal, group, [...added], [...removed]);
  });
}

export async function deleteScimGroup(ctx: ScimContext, id: string, ifMatch: string | undefined): Promise<void> {
  const { db, principal } = ctx;
  const accountId = principal.accountId;
  await db.transaction().execute(async (tx) => {
    const group = isId("grp", id) ? await lockGroup(tx, accountId, id) : undefined;
    if (!group) throw groupNotFound();
    checkVersion(ifMatch, group.updated_at);
    const productId = await lockMappedSubscription(tx, accountId, id);
    const members = await memberIds(tx, accountId, id);
    await deleteGroup(tx, accountId, id);
    await insertAudit(tx, accountId, auditActor(principal), { action: "group.deleted", target: { type: "group", id, name: group.display_name }, details: { members: members.length } });
    if (productId) await reconcileSeatsIn(tx, principal, accountId, members, [productId]);
  });
}
