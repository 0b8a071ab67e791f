// SCIM groups, their members, their seat mappings and the warnings of those mappings.
import { sql, type RawBuilder } from "kysely";
import type { Db } from "./database.js";
import type { ScimGroupRow } from "./schema.js";
import type { SeatType } from "../domain/seat-rules.js";
import type { Filter } from "../domain/scim/filter.js";
import { compileMemberFilter } from "./scim-filter.sql.js";

export async function insertGroup(db: Db, group: { accountId: string; id: string; displayName: string; externalId: string | null }): Promise<ScimGroupRow> {
  return db
    .insertInto("scim_groups")
    .values({ account_id: group.accountId, id: group.id, display_name: group.displayName, external_id: group.externalId })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findGroup(db: Db, accountId: string, id: string): Promise<ScimGroupRow | undefined> {
  return db.selectFrom("scim_groups").selectAll().where("account_id", "=", accountId).where("id", "=", id).executeTakeFirst();
}

/** Member changes of one group serialise on its row. */
export async function lockGroup(db: Db, accountId: string, id: string): Promise<ScimGroupRow | undefined> {
  return db.selectFrom("scim_groups").selectAll().where("account_id", "=", accountId).where("id", "=", id).forNoKeyUpdate().executeTakeFirst();
}

export async function updateGroup(db: Db, accountId: string, id: string, change: { displayName?: string; externalId?: string | null }): Promise<ScimGroupRow> {
  return db
    .updateTable("scim_groups")
    .set({
      ...(change.displayName !== undefined && { display_name: change.displayName }),
      ...(change.externalId !== undefined && { external_id: change.externalId }),
      updated_at: new Date(),
    })
    .where("account_id", "=", accountId)
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteGroup(db: Db, accountId: string, id: string): Promise<void> {
  await db.deleteFrom("scim_groups").where("account_id", "=", accountId).where("id", "=", id).execute();
}

export interface ListQuery {
  where: RawBuilder<unknown> | null;
  orderBy: RawBuilder<unknown> | null;
  descending: boolean;
  offset: number;
  count: number;
}

export async function listGroups(db: Db, accountId: string, query: ListQuery): Promise<{ rows: ScimGroupRow[]; total: number }> {
  let base = db.selectFrom("scim_groups").where("scim_groups.account_id", "=", accountId);
  if (query.where) base = base.where(query.where as RawBuilder<boolean>);
  const { total } = await base.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow();
  const direction = query.descending ? sql`DESC` : sql`ASC`;
  const rows = query.count === 0 ? [] : await base
    .selectAll("scim_groups")
    .orderBy(query.orderBy ? sql`${query.orderBy} ${direction}` : sql`scim_groups.created_at ${direction}`)
    .orderBy(sql`scim_groups.id ${direction}`)
    .offset(query.offset)
    .limit(query.count)
    .execute();
  return { rows, total: Number(total) };
}

/** The users among `ids` that belong to the account. */
export async function existingUserIds(db: Db, accountId: string, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom("users").select("id").where("account_id", "=", accountId).where("id", "in", ids).execute();
  return rows.map((r) => r.id);
}

/** Adds members; returns those that were not members yet. */
export async function addMembers(db: Db, accountId: string, groupId: string, userIds: string[]): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await db
    .insertInto("scim_group_members")
    .values(userIds.map((userId) => ({ account_id: accountId, group_id: groupId, user_id: userId })))
    .onConflict((oc) => oc.doNothing())
    .returning("user_id")
    .execute();
  return rows.map((r) => r.user_id);
}

/** Removes the given members, all of them (userIds null), or those a filter matches; returns who left. */
export async function removeMembers(db: Db, accountId: string, groupId: string, which: { userIds: string[] } | { all: true } | { filter: Filter }): Promise<string[]> {
  let query = db.deleteFrom("scim_group_members").where("account_id", "=", accountId).where("group_id", "=", groupId);
  if ("userIds" in which) {
    if (which.userIds.length === 0) return [];
    query = query.where("user_id", "in", which.userIds);
  } else if ("filter" in which) {
    const condition = compileMemberFilter(which.filter);
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom("users as mu")
          .select(sql`1`.as("one"))
          .whereRef("mu.account_id", "=", "scim_group_members.account_id")
          .whereRef("mu.id", "=", "scim_group_members.user_id")
          .where(condition as RawBuilder<boolean>),
      ),
    );
  }
  const rows = await query.returning("user_id").execute();
  return rows.map((r) => r.user_id);
}

export async function memberIds(db: Db, accountId: string, groupId: string): Promise<string[]> {
  const rows = await db.selectFrom("scim_group_members").select("user_id").where("account_id", "=", accountId).where("group_id", "=", groupId).orderBy("user_id").execute();
  return rows.map((r) => r.user_id);
}

export interface MemberRow {
  groupId: string;
  userId: string;
  name: string;
}

export async function listMembers(db: Db, accountId: string, groupIds: string[]): Promise<MemberRow[]> {
  if (groupIds.length === 0) return [];
  const rows = await db
    .selectFrom("scim_group_members as gm")
    .innerJoin("users as u", (j) => j.onRef("u.account_id", "=", "gm.account_id").onRef("u.id", "=", "gm.user_id"))
    .select(["gm.group_id", "gm.user_id", "u.name"])
    .where("gm.account_id", "=", accountId)
    .where("gm.group_id", "in", groupIds)
    .orderBy("gm.added_at")
    .orderBy("gm.user_id")
    .execute();
  return rows.map((r) => ({ groupId: r.group_id, userId: r.user_id, name: r.name }));
}

export async function groupsOfUsers(db: Db, accountId: string, userIds: string[]): Promise<{ userId: string; groupId: string; displayName: string }[]> {
  if (userIds.length === 0) return [];
  const rows = await db
    .selectFrom("scim_group_members as gm")
    .innerJoin("scim_groups as g", (j) => j.onRef("g.account_id", "=", "gm.account_id").onRef("g.id", "=", "gm.group_id"))
    .select(["gm.user_id", "g.id", "g.display_name"])
    .where("gm.account_id", "=", accountId)
    .where("gm.user_id", "in", userIds)
    .orderBy("g.display_name")
    .execute();
  return rows.map((r) => ({ userId: r.user_id, groupId: r.id, displayName: r.display_name }));
}

export async function touchGroup(db: Db, accountId: string, id: string): Promise<void> {
  await db.updateTable("scim_groups").set({ updated_at: new Date() }).where("account_id", "=", accountId).where("id", "=", id).execute();
}

// ---------------------------------------------------------------------------------------
// Seat mappings

export async function findMapping(db: Db, accountId: string, groupId: string) {
  return db.selectFrom("group_seat_mappings").selectAll().where("account_id", "=", accountId).where("group_id", "=", groupId).executeTakeFirst();
}

export async function upsertMapping(db: Db, accountId: string, groupId: string, productId: string, type: SeatType): Promise<void> {
  await db
    .insertInto("group_seat_mappings")
    .values({ account_id: accountId, group_id: groupId, product_id: productId, type })
    .onConflict((oc) => oc.columns(["account_id", "group_id"]).doUpdateSet({ product_id: productId, type, created_at: new Date() }))
    .execute();
}

export async function deleteMapping(db: Db, accountId: string, groupId: string): Promise<void> {
  await db.deleteFrom("group_seat_mappings").where("account_id", "=", accountId).where("group_id", "=", groupId).execute();
}

/** The mappings of `productId` among the groups `userId` belongs to, oldest first. */
export async function mappingsOfUser(db: Db, accountId: string, userId: string, productId: string): Promise<{ groupId: string; type: SeatType }[]> {
  const rows = await db
    .selectFrom("group_seat_mappings as m")
    .innerJoin("scim_group_members as gm", (j) => j.onRef("gm.account_id", "=", "m.account_id").onRef("gm.group_id", "=", "m.group_id"))
    .select(["m.group_id", "m.type"])
    .where("m.account_id", "=", accountId)
    .where("gm.user_id", "=", userId)
    .where("m.product_id", "=", productId)
    .orderBy("m.created_at")
    .orderBy("m.group_id")
    .execute();
  return rows.map((r) => ({ groupId: r.group_id, type: r.type }));
}

// ---------------------------------------------------------------------------------------
// Warnings

export interface Warning {
  groupId: string;
  code: "NO_NAMED_SEAT_AVAILABLE" | "NO_SUBSCRIPTION";
  granted: "concurrent" | null;
}

/** Records the warning; true when it is new or changed (then it is audited). */
export async function setWarning(db: Db, accountId: string, userId: string, productId: string, warning: Warning): Promise<boolean> {
  const existing = await db
    .selectFrom("group_seat_warnings")
    .selectAll()
    .where("account_id", "=", accountId)
    .where("user_id", "=", userId)
    .where("product_id", "=", productId)
    .executeTakeFirst();
  if (existing && existing.group_id === warning.groupId && existing.code === warning.code && existing.granted === warning.granted) return false;
  await db
    .insertInto("group_seat_warnings")
    .values({ account_id: accountId, user_id: userId, product_id: productId, group_id: warning.groupId, code: warning.code, granted: warning.granted, at: new Date() })
    .onConflict((oc) => oc.columns(["account_id", "user_id", "product_id"]).doUpdateSet({ group_id: warning.groupId, code: warning.code, granted: warning.granted, at: new Date() }))
    .execute();
  return true;
}

export async function clearWarning(db: Db, accountId: string, userId: string, productId: string): Promise<void> {
  await db.deleteFrom("group_seat_warnings").where("account_id", "=", accountId).where("user_id", "=", userId).where("product_id", "=", productId).execute();
}

/** Users still waiting for a named seat of the product, oldest warning first. */
export async function usersWaitingForNamed(db: Db, accountId: string, productId: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom("group_seat_warnings")
    .select("user_id")
    .where("account_id", "=", accountId)
    .where("product_id", "=", productId)
    .where("code", "=", "NO_NAMED_SEAT_AVAILABLE")
    .orderBy("at")
    .orderBy("user_id")
    .limit(limit)
    .execute();
  return rows.map((r) => r.user_id);
}

// ---------------------------------------------------------------------------------------
// The admin center's view (GET /api/v1/groups)

export async function listGroupSummaries(db: Db, accountId: string, after: { name: string; id: string } | undefined, limit: number) {
  let query = db
    .selectFrom("scim_groups as g")
    .leftJoin("group_seat_mappings as m", (j) => j.onRef("m.account_id", "=", "g.account_id").onRef("m.group_id", "=", "g.id"))
    .leftJoin("products as p", "p.id", "m.product_id")
    .select([
      "g.id", "g.display_name", "g.external_id", "g.created_at", "g.updated_at", "p.slug", "m.type",
      sql<number>`(SELECT count(*) FROM scim_group_members gm WHERE gm.account_id = g.account_id AND gm.group_id = g.id)`.as("member_count"),
    ])
    .where("g.account_id", "=", accountId)
    .orderBy("g.display_name")
    .orderBy("g.id")
    .limit(limit + 1);
  if (after) query = query.where((eb) => eb.or([eb("g.display_name", ">", after.name), eb.and([eb("g.display_name", "=", after.name), eb("g.id", ">", after.id)])]));
  return query.execute();
}

export async function listWarnings(db: Db, accountId: string, groupIds: string[]) {
  if (groupIds.length === 0) return [];
  return db
    .selectFrom("group_seat_warnings as w")
    .innerJoin("users as u", (j) => j.onRef("u.account_id", "=", "w.account_id").onRef("u.id", "=", "w.user_id"))
    .innerJoin("products as p", "p.id", "w.product_id")
    .select(["w.group_id", "w.code", "w.granted", "w.at", "u.id as user_id", "u.name", "u.email", "p.slug"])
    .where("w.account_id", "=", accountId)
    .where("w.group_id", "in", groupIds)
    .orderBy("w.at")
    .execute();
}

/** Products whose seats a change of the user can touch: its seats and its groups' mappings. */
export async function seatProductsOfUser(db: Db, accountId: string, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("seat_assignments")
    .select("product_id")
    .where("account_id", "=", accountId)
    .where("user_id", "=", userId)
    .union(
      db
        .selectFrom("group_seat_mappings as m")
        .innerJoin("scim_group_members as gm", (j) => j.onRef("gm.account_id", "=", "m.account_id").onRef("gm.group_id", "=", "m.group_id"))
        .select("m.product_id")
        .where("m.account_id", "=", accountId)
        .where("gm.user_id", "=", userId),
    )
    .execute();
  return rows.map((r) => r.product_id).sort();
}
