import { sql, type RawBuilder } from "kysely";
import type { Db } from "./database.js";
import type { UserRow } from "./schema.js";
import type { Role } from "../domain/access.js";
import type { SeatType } from "../domain/seat-rules.js";

export interface NewUser {
  accountId: string;
  id: string;
  /** null: a SCIM user without an email, who cannot sign in; then userName is required. */
  email: string | null;
  userName?: string | null;
  name: string;
  role: Role;
  privileges: string[];
  billingContact: boolean;
  passwordHash: string | null;
  externalId?: string | null;
  active?: boolean;
  givenName?: string | null;
  familyName?: string | null;
  scimAttributes?: Record<string, unknown> | null;
}

/** PostgreSQL's unique_violation: here, a userName taken in the account (index users_user_name). */
function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "23505";
}

/**
 * Inserts the user and its global sign-in row; undefined when the email is taken or the
 * userName (the email when there is none) is taken in the account.
 */
export async function insertUser(db: Db, user: NewUser): Promise<UserRow | undefined> {
  if (user.email !== null) {
    const login = await db
      .insertInto("user_logins")
      .values({ email_lower: user.email.toLowerCase(), account_id: user.accountId, user_id: user.id })
      .onConflict((oc) => oc.column("email_lower").doNothing())
      .returning("user_id")
      .executeTakeFirst();
    if (!login) return undefined;
  }
  return db
    .insertInto("users")
    .values({
      account_id: user.accountId,
      id: user.id,
      email: user.email,
      user_name: user.userName ?? null,
      name: user.name,
      role: user.role,
      privileges: user.privileges,
      billing_contact: user.billingContact,
      active: user.active ?? true,
      password_hash: user.passwordHash,
      external_id: user.externalId ?? null,
      given_name: user.givenName ?? null,
      family_name: user.familyName ?? null,
      scim_attributes: user.scimAttributes ? JSON.stringify(user.scimAttributes) : null,
    })
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function findUser(db: Db, accountId: string, id: string): Promise<UserRow | undefined> {
  return db.selectFrom("users").selectAll().where("account_id", "=", accountId).where("id", "=", id).executeTakeFirst();
}

/** Reads the user FOR SHARE: a seat grant cannot race the user's deactivation or deletion. */
export async function shareUser(db: Db, accountId: string, id: string): Promise<UserRow | undefined> {
  return db.selectFrom("users").selectAll().where("account_id", "=", accountId).where("id", "=", id).forShare().executeTakeFirst();
}

export async function lockUser(db: Db, accountId: string, id: string): Promise<UserRow | undefined> {
  return db.selectFrom("users").selectAll().where("account_id", "=", accountId).where("id", "=", id).forNoKeyUpdate().executeTakeFirst();
}

/** Sign-in looks the email up in the global index, then reads the user in its account. */
export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  const login = await db.selectFrom("user_logins").selectAll().where("email_lower", "=", email.toLowerCase()).executeTakeFirst();
  if (!login) return undefined;
  return findUser(db, login.account_id, login.user_id);
}

export interface UserChange {
  name?: string;
  email?: string | null;
  userName?: string;
  role?: Role;
  privileges?: string[];
  active?: boolean;
  billingContact?: boolean;
  passwordHash?: string | null;
  externalId?: string | null;
  givenName?: string | null;
  familyName?: string | null;
  scimAttributes?: Record<string, unknown> | null;
}

/**
 * Updates the user; when the email changes, moves its sign-in row. undefined when the new
 * email is taken, or the new userName (or, for a user SCIM never wrote, the new email) is
 * taken in the account.
 */
export async function updateUser(db: Db, user: UserRow, change: UserChange): Promise<UserRow | undefined> {
  const before = user.email?.toLowerCase() ?? null;
  const after = change.email === undefined ? before : change.email?.toLowerCase() ?? null;
  if (after !== before) {
    if (after !== null) {
      const moved = await db
        .insertInto("user_logins")
        .values({ email_lower: after, account_id: user.account_id, user_id: user.id })
        .onConflict((oc) => oc.column("email_lower").doNothing())
        .returning("user_id")
        .executeTakeFirst();
      if (!moved) return undefined;
    }
    if (before !== null) await db.deleteFrom("user_logins").where("email_lower", "=", before).where("user_id", "=", user.id).execute();
  }
  try {
    return await db
      .updateTable("users")
      .set({
        ...(change.name !== undefined && { name: change.name }),
        ...(change.email !== undefined && { email: change.email }),
        ...(change.userName !== undefined && { user_name: change.userName }),
        ...(change.role !== undefined && { role: change.role }),
        ...(change.privileges !== undefined && { privileges: change.privileges }),
        ...(change.active !== undefined && { active: change.active }),
        ...(change.billingContact !== undefined && { billing_contact: change.billingContact }),
        ...(change.passwordHash !== undefined && { password_hash: change.passwordHash }),
        ...(change.externalId !== undefined && { external_id: change.externalId }),
        ...(change.givenName !== undefined && { given_name: change.givenName }),
        ...(change.familyName !== undefined && { family_name: change.familyName }),
        ...(change.scimAttributes !== undefined && { scim_attributes: change.scimAttributes === null ? null : JSON.stringify(change.scimAttributes) }),
        updated_at: new Date(),
      })
      .where("account_id", "=", user.account_id)
      .where("id", "=", user.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (error) {
    // The caller refuses the change, which rolls its transaction back.
    if (isUniqueViolation(error)) return undefined;
    throw error;
  }
}

/** Another user of the account whose userName is `userName` (case-insensitive), if any. */
export async function findUserNameOwner(db: Db, accountId: string, userName: string, exceptId: string | null): Promise<string | undefined> {
  let query = db
    .selectFrom("users")
    .select("id")
    .where("account_id", "=", accountId)
    .where(sql<boolean>`lower(coalesce(user_name, email)) = lower(${userName})`);
  if (exceptId !== null) query = query.where("id", "<>", exceptId);
  return (await query.executeTakeFirst())?.id;
}

/**
 * Stores a stronger hash of the same password, unless the password changed meanwhile. Not a
 * change anyone sees: `updated_at` (a SCIM version) stays.
 */
export async function replacePasswordHash(db: Db, user: UserRow, from: string, to: string): Promise<void> {
  await db
    .updateTable("users")
    .set({ password_hash: to })
    .where("account_id", "=", user.account_id)
    .where("id", "=", user.id)
    .where("password_hash", "=", from)
    .execute();
}

export async function deleteUser(db: Db, user: UserRow): Promise<void> {
  if (user.email !== null) await db.deleteFrom("user_logins").where("email_lower", "=", user.email.toLowerCase()).execute();
  await db.deleteFrom("users").where("account_id", "=", user.account_id).where("id", "=", user.id).execute();
}

/** Counted under the account lock: see lockAccount. */
export async function countGuards(db: Db, accountId: string): Promise<{ activeAdmins: number; billingContacts: number }> {
  const row = await db
    .selectFrom("users")
    .select([
      sql<number>`count(*) FILTER (WHERE role = 'admin' AND active)`.as("activeAdmins"),
      sql<number>`count(*) FILTER (WHERE billing_contact AND active)`.as("billingContacts"),
    ])
    .where("account_id", "=", accountId)
    .executeTakeFirstOrThrow();
  return { activeAdmins: Number(row.activeAdmins), billingContacts: Number(row.billingContacts) };
}

export type UserSortKey = "name" | "email";

export interface UserMatch {
  seat?: { productId: string; type: SeatType };
  /** Users holding no seat of any product. */
  noSeat?: boolean;
  q?: string;
  role?: Role;
  active?: boolean;
}

export interface UserFilter extends UserMatch {
  sort?: { key: UserSortKey; descending: boolean };
  /** The last row of the previous page: its sort value and id. */
  after?: { value: string; id: string };
  limit: number;
}

function likePattern(q: string): string {
  return `%${q.toLowerCase().replace(/[\\%_]/g, "\\$&")}%`;
}

/** What each sort orders by, matching the indexes users_by_sort_name and users_by_sort_email. */
const SORT_EXPRESSIONS: Record<UserSortKey, RawBuilder<string>> = {
  name: sql<string>`users.sort_name`,
  email: sql<string>`lower(coalesce(users.email, users.user_name))`,
};

/** The users of an account that match: the seat filter walks seat_assignments_by_seat, the search the trigram indexes. */
function matchingUsers(db: Db, accountId: string, match: UserMatch) {
  let query = db.selectFrom("users").where("users.account_id", "=", accountId);
  if (match.seat) {
    const { productId, type } = match.seat;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom("seat_assignments as sa")
          .select(sql`1`.as("one"))
          .whereRef("sa.account_id", "=", "users.account_id")
          .whereRef("sa.user_id", "=", "users.id")
          .where("sa.product_id", "=", productId)
          .where("sa.type", "=", type),
      ),
    );
  }
  if (match.noSeat) {
    query = query.where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("seat_assignments as sa")
            .select(sql`1`.as("one"))
            .whereRef("sa.account_id", "=", "users.account_id")
            .whereRef("sa.user_id", "=", "users.id"),
        ),
      ),
    );
  }
  if (match.q) {
    const pattern = likePattern(match.q);
    query = query.where((eb) => eb.or([eb(sql`lower(users.name)`, "like", pattern), eb(sql`lower(users.email)`, "like", pattern)]));
  }
  if (match.role) query = query.where("users.role", "=", match.role);
  if (match.active !== undefined) query = query.where("users.active", "=", match.active);
  return query;
}

/**
 * Keyset pagination by (sort value, id), ascending or descending, on the index of that sort.
 * Each row carries `sort_value`, the value a cursor names.
 */
export function userListQuery(db: Db, accountId: string, filter: UserFilter) {
  const { key, descending } = filter.sort ?? { key: "name", descending: false };
  const value = SORT_EXPRESSIONS[key];
  const direction = descending ? sql`DESC` : sql`ASC`;
  let query = matchingUsers(db, accountId, filter)
    .selectAll("users")
    .select(value.as("sort_value"))
    .orderBy(sql`${value} ${direction}`)
    .orderBy(sql`users.id ${direction}`)
    .limit(filter.limit + 1);
  if (filter.after) {
    const { value: last, id } = filter.after;
    query = query.where(descending ? sql<boolean>`(${value}, users.id) < (${last}, ${id})` : sql<boolean>`(${value}, users.id) > (${last}, ${id})`);
  }
  return query;
}

export async function listUsers(db: Db, accountId: string, filter: UserFilter): Promise<(UserRow & { sort_value: string })[]> {
  return userListQuery(db, accountId, filter).execute();
}

export async function countUsers(db: Db, accountId: string, match: UserMatch): Promise<number> {
  const row = await matchingUsers(db, accountId, match).select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow();
  return Number(row.total);
}

/** Every matching user (a bulk seat change, under the account lock). */
export async function listMatchingUsers(db: Db, accountId: string, match: UserMatch): Promise<UserRow[]> {
  return matchingUsers(db, accountId, match).selectAll("users").orderBy("users.id").execute();
}

/** The global sign-in rows of these lower-cased emails, whichever account they belong to. */
export async function findLogins(db: Db, emailsLower: string[]): Promise<{ email_lower: string; account_id: string; user_id: string }[]> {
  if (emailsLower.length === 0) return [];
  return db.selectFrom("user_logins").selectAll().where(sql<boolean>`email_lower = ANY(${emailsLower}::text[])`).execute();
}

/** Users of one account by id; with `lock`, locked until commit like lockUser. */
export async function findUsersByIds(db: Db, accountId: string, ids: string[], lock = false): Promise<UserRow[]> {
  if (ids.length === 0) return [];
  const query = db.selectFrom("users").selectAll().where("account_id", "=", accountId).where(sql<boolean>`id = ANY(${ids}::text[])`);
  return lock ? query.forNoKeyUpdate().execute() : query.execute();
}

/** Rows per multi-row statement: well under PostgreSQL's 65,535 parameters, and few round trips. */
export const BATCH_ROWS = 1000;

export function batches<T>(items: T[], size = BATCH_ROWS): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Inserts many users of one account and their sign-in rows, a batch per statement.
 * Returns the lower-cased emails that are taken (by another transaction meanwhile, or as
 * a SCIM userName in the account): then the caller must roll back, since their users were
 * not inserted.
 */
export async function insertUsers(db: Db, users: (NewUser & { email: string })[]): Promise<string[]> {
  const taken: string[] = [];
  for (const batch of batches(users)) {
    const logins = await db
      .insertInto("user_logins")
      .values(batch.map((u) => ({ email_lower: u.email.toLowerCase(), account_id: u.accountId, user_id: u.id })))
      .onConflict((oc) => oc.column("email_lower").doNothing())
      .returning("email_lower")
      .execute();
    const inserted = new Set(logins.map((l) => l.email_lower));
    taken.push(...batch.map((u) => u.email.toLowerCase()).filter((e) => !inserted.has(e)));
    if (taken.length > 0) return taken;
    // An email can also be a SCIM user's userName in the account (index users_user_name).
    const rows = await db
      .insertInto("users")
      .values(
        batch.map((u) => ({
          account_id: u.accountId,
          id: u.id,
          email: u.email,
          name: u.name,
          role: u.role,
          privileges: u.privileges,
          billing_contact: u.billingContact,
          active: u.active ?? true,
          password_hash: u.passwordHash,
          external_id: u.externalId ?? null,
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .returning("id")
      .execute();
    if (rows.length < batch.length) {
      const ids = new Set(rows.map((r) => r.id));
      return batch.filter((u) => !ids.has(u.id)).map((u) => u.email.toLowerCase());
    }
  }
  return taken;
}

export interface UserRowChange {
  id: string;
  name: string;
  role: Role;
  privileges: string[];
  billingContact: boolean;
  /** undefined keeps the current hash. */
  passwordHash: string | undefined;
}

/** Updates many users of one account, a batch per statement (UPDATE … FROM VALUES). */
export async function updateUsers(db: Db, accountId: string, changes: UserRowChange[]): Promise<void> {
  const now = new Date();
  for (const batch of batches(changes)) {
    const values = sql.join(
      batch.map(
        (c) =>
          sql`(${c.id}::text, ${c.name}::text, ${c.role}::text, ${c.privileges}::text[], ${c.billingContact}::boolean, ${c.passwordHash ?? null}::text, ${c.passwordHash !== undefined}::boolean)`,
      ),
    );
    await sql`
      UPDATE users AS u SET
        name = v.name,
        role = v.role,
        privileges = v.privileges,
        billing_contact = v.billing_contact,
        password_hash = CASE WHEN v.set_password THEN v.password_hash ELSE u.password_hash END,
        updated_at = ${now}
      FROM (VALUES ${values}) AS v(id, name, role, privileges, billing_contact, password_hash, set_password)
      WHERE u.account_id = ${accountId} AND u.id = v.id`.execute(db);
  }
}

export interface ScimListQuery {
  where: RawBuilder<unknown> | null;
  orderBy: RawBuilder<unknown> | null;
  descending: boolean;
  offset: number;
  count: number;
}

/** A page of a SCIM list: the filter and sort are compiled SQL (src/store/scim-filter.sql.ts). */
export async function listScimUsers(db: Db, accountId: string, query: ScimListQuery): Promise<{ rows: UserRow[]; total: number }> {
  let base = db.selectFrom("users").where("users.account_id", "=", accountId);
  if (query.where) base = base.where(query.where as RawBuilder<boolean>);
  const { total } = await base.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow();
  const direction = query.descending ? sql`DESC` : sql`ASC`;
  const rows = query.count === 0 ? [] : await base
    .selectAll("users")
    .orderBy(query.orderBy ? sql`${query.orderBy} ${direction}` : sql`users.created_at ${direction}`)
    .orderBy(sql`users.id ${direction}`)
    .offset(query.offset)
    .limit(query.count)
    .execute();
  return { rows, total: Number(total) };
}
