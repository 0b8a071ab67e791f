import { checkAccountGuards, checkUserChange, type Role } from "../domain/access.js";
import { DomainError, notFound, validationFailed } from "../domain/errors.js";
import { isId, newId } from "../domain/ids.js";
import type { SeatType } from "../domain/seat-rules.js";
import type { Db } from "../store/database.js";
import { insertAudit } from "../store/audit.repository.js";
import { lockAccount } from "../store/account.repository.js";
import { decodeCursor, toPage } from "../store/pagination.js";
import { findSeatActivity, listAssignments } from "../store/seat.repository.js";
import { seatProductsOfUser } from "../store/scim-group.repository.js";
import {
  countGuards, countUsers, deleteUser as deleteUserRow, findUser, insertUser, listUsers as listUserRows, lockUser, updateUser as updateUserRow,
  type UserChange, type UserMatch, type UserSortKey,
} from "../store/user.repository.js";
import type { UserRow } from "../store/schema.js";
import { lastSignIn, lastSupportSession, openSupportSessionsOfUser } from "../store/user-activity.repository.js";
import { auditActor, type Principal } from "./context.js";
import { hashPassword } from "./crypto.js";
import { requireProduct } from "./product.service.js";
import { userView } from "./views.js";
import { withSeats, type SeatChange } from "./seat-pool.service.js";
import { revokeSignIns } from "./auth.service.js";
import type { Page, User, UserActivity, UserCount } from "../domain/shapes.js";

export function accountOf(principal: Principal): string {
  if (principal.kind === "operator") throw new DomainError("FORBIDDEN");
  return principal.accountId;
}

/** The acting user's role and privileges; SCIM provisioning acts as an admin of its account. */
function actorShape(principal: Principal) {
  if (principal.kind === "user") return principal.user;
  return { role: "admin" as Role, privileges: [] as string[] };
}

export async function userWithSeats(db: Db, user: UserRow): Promise<User> {
  return userView(user, await listAssignments(db, user.account_id, [user.id]));
}

export async function requireUser(db: Db, accountId: string, id: string): Promise<UserRow> {
  const user = isId("usr", id) ? await findUser(db, accountId, id) : undefined;
  if (!user) throw notFound("user");
  return user;
}

export interface UserMatchQuery {
  /** `<product>:named`, `<product>:concurrent`, or `none` for users without any seat. */
  seat?: string;
  q?: string;
  role?: Role;
  active?: boolean;
}

export interface ListUsersQuery extends UserMatchQuery {
  /** `name` (the default), `email`, or either with a leading `-` for descending. */
  sort?: string;
  limit: number;
  cursor?: string;
}

export const USER_SORTS = ["name", "-name", "email", "-email"] as const;

/** The query's filters as the store reads them: an unknown product is a 404, a malformed seat a 400. */
export async function userMatch(db: Db, query: UserMatchQuery): Promise<UserMatch> {
  const match: UserMatch = { q: query.q, role: query.role, active: query.active };
  if (query.seat === "none") match.noSeat = true;
  else if (query.seat !== undefined) {
    const parsed = /^([a-z0-9][a-z0-9-]*):(named|concurrent)$/.exec(query.seat);
    if (!parsed) throw validationFailed("seat", "seatFilter");
    match.seat = { productId: (await requireProduct(db, parsed[1])).id, type: parsed[2] as SeatType };
  }
  return match;
}

export async function listUsers(db: Db, principal: Principal, query: ListUsersQuery): Promise<Page<User>> {
  const accountId = accountOf(principal);
  const match = await userMatch(db, query);
  const sortName = query.sort ?? "name";
  const sort = { key: sortName.replace(/^-/, "") as UserSortKey, descending: sortName.startsWith("-") };
  // The cursor names its sort: a page of another order cannot continue it.
  const after = decodeCursor(query.cursor, ["text", "text", "id"]);
  if (after && after[0] !== sortName) throw validationFailed("cursor", "cursor");
  const rows = await listUserRows(db, accountId, {
    ...match,
    sort,
    after: after && { value: after[1], id: after[2] },
    limit: query.limit,
  });
  const page = toPage(rows, query.limit, (u) => [sortName, u.sort_value, u.id], (u) => u);
  const seats = await listAssignments(db, accountId, page.items.map((u) => u.id));
  return { items: page.items.map((u) => userView(u, seats)), nextCursor: page.nextCursor };
}

/** How many users match, for "312 users, 55 with a Remote Support v5 – Concurrent seat". */
export async function countMatchingUsers(db: Db, principal: Principal, query: UserMatchQuery): Promise<UserCount> {
  return { total: await countUsers(db, accountOf(principal), await userMatch(db, query)) };
}

export async function getUser(db: Db, principal: Principal, id: string): Promise<User> {
  return userWithSeats(db, await requireUser(db, accountOf(principal), id));
}

export interface CreateUserInput {
  email: string;
  name: string;
  role: Role;
  privileges?: string[];
  password?: string;
  billingContact?: boolean;
  externalId?: string | null;
  active?: boolean;
  givenName?: string | null;
  familyName?: string | null;
}

/** What createUserIn writes: SCIM adds a userName, its kept attributes, and may have no email. */
export type NewUserInput = Omit<CreateUserInput, "password" | "email"> & {
  email: string | null;
  userName?: string;
  scimAttributes?: Record<string, unknown> | null;
  passwordHash: string | null;
};

function checkShape(role: Role, billingContact: boolean): void {
  if (billingContact && role !== "admin") throw validationFailed("billingContact", "billingContactAdminOnly");
}

/** Creates a user inside an open transaction; used by the API, SCIM and CSV import. */
export async function createUserIn(tx: Db, principal: Principal, accountId: string, input: NewUserInput): Promise<UserRow> {
  const billingContact = input.billingContact ?? false;
  const privileges = input.role === "manager" ? [...new Set(input.privileges ?? [])] : [];
  const denied = checkUserChange(actorShape(principal), null, { role: input.role, privileges, billingContact });
  if (denied) throw denied;
  checkShape(input.role, billingContact);
  const user = await insertUser(tx, {
    accountId,
    id: newId("usr"),
    email: input.email,
    userName: input.userName ?? null,
    name: input.name,
    role: input.role,
    privileges,
    billingContact,
    passwordHash: input.passwordHash,
    externalId: input.externalId ?? null,
    active: input.active ?? true,
    givenName: input.givenName ?? null,
    familyName: input.familyName ?? null,
    scimAttributes: input.scimAttributes ?? null,
  });
  // The email is taken, or (rarely: the SCIM service checks first) the userName.
  if (!user) throw new DomainError("EMAIL_TAKEN", { email: input.email ?? input.userName ?? "" });
  await insertAudit(tx, accountId, auditActor(principal), {
    action: "user.created",
    target: { type: "user", id: user.id, name: user.name },
    details: { email: user.email, role: user.role, privileges, billingContact },
  });
  return user;
}

export async function createUser(db: Db, principal: Principal, input: CreateUserInput): Promise<User> {
  const accountId = accountOf(principal);
  // Hash outside the transaction: scrypt is slow, and a transaction must not wait on it.
  const { password, ...rest } = input;
  const passwordHash = password ? await hashPassword(password) : null;
  const user = await db.transaction().execute((tx) => createUserIn(tx, principal, accountId, { ...rest, passwordHash }));
  return userWithSeats(db, user);
}

export interface UpdateUserInput {
  name?: string;
  /** null: SCIM left the user without an email; it cannot sign in until it has one. */
  email?: string | null;
  userName?: string;
  role?: Role;
  privileges?: string[];
  active?: boolean;
  billingContact?: boolean;
  password?: string;
  externalId?: string | null;
  givenName?: string | null;
  familyName?: string | null;
  scimAttributes?: Record<string, unknown> | null;
}

/**
 * Suspending, reactivating or deleting a user changes its seats on every product it has a
 * seat of, a mapped group for, or anything running on: those seat locks are taken together,
 * after the account and user rows (the lock order of seat-pool.service).
 */
async function withSeatsOfUser<T>(
  tx: Db,
  principal: Principal,
  accountId: string,
  userId: string,
  change: (seats: SeatChange, productIds: string[]) => Promise<T>,
): Promise<T> {
  const running = [...(await findSeatActivity(tx, accountId, [userId]))].map((key) => key.split(" ")[1]);
  const productIds = [...new Set([...(await seatProductsOfUser(tx, accountId, userId)), ...running])].sort();
  return withSeats(tx, accountId, principal, productIds, (seats) => change(seats, productIds));
}

/**
 * Changes a user inside an open transaction. Takes the account lock so that two changes
 * can never together remove the last admin or billing contact.
 */
export async function updateUserIn(tx: Db, principal: Principal, accountId: string, id: string, input: UpdateUserInput, passwordHash?: string) {
  await lockAccount(tx, accountId);
  const before = isId("usr", id) ? await lockUser(tx, accountId, id) : undefined;
  if (!before) throw notFound("user");
  const role = input.role ?? before.role;
  // Admins only can be billing contacts: demoting one ends that duty.
  const billingContact = input.billingContact ?? (role === "admin" ? before.billing_contact : false);
  const privileges = role === "manager" ? [...new Set(input.privileges ?? before.privileges)] : [];
  const active = input.active ?? before.active;

  const denied = checkUserChange(
    actorShape(principal),
    { role: before.role, privileges: before.privileges, billingContact: before.billing_contact },
    { role, privileges, billingContact },
  );
  if (denied) throw denied;
  checkShape(role, billingContact);
  const guard = checkAccountGuards(
    await countGuards(tx, accountId),
    { role: before.role, active: before.active, billingContact: before.billing_contact },
    { role, active, billingContact },
  );
  if (guard) throw guard;

  const change: UserChange = {
    ...(input.name !== undefined && { name: input.name }),
    ...(input.email !== undefined && { email: input.email }),
    ...(input.userName !== undefined && { userName: input.userName }),
    ...(role !== before.role && { role }),
    ...(privileges.join() !== before.privileges.join() && { privileges }),
    ...(active !== before.active && { active }),
    ...(billingContact !== before.billing_contact && { billingContact }),
    ...(passwordHash !== undefined && { passwordHash }),
    ...(input.externalId !== undefined && { externalId: input.externalId }),
    ...(input.givenName !== undefined && { givenName: input.givenName }),
    ...(input.familyName !== undefined && { familyName: input.familyName }),
    ...(input.scimAttributes !== undefined && { scimAttributes: input.scimAttributes }),
  };
  const after = await updateUserRow(tx, before, change);
  if (!after) throw new DomainError("EMAIL_TAKEN", { email: input.email ?? input.userName ?? "" });

  const actor = auditActor(principal);
  if (active !== before.active) {
    await withSeatsOfUser(tx, principal, accountId, after.id, async (seats, productIds) => {
      // Deactivation: no more sign-ins, sessions end, named seats go back.
      if (!after.active) {
        await revokeSignIns(tx, accountId, [after.id]);
        await seats.removeUser(after, "user_deactivated");
      }
      // Group seats follow `active` (revoked while inactive, back on reactivation).
      await seats.reconcileGroups([after.id], productIds);
    });
  }
  if (passwordHash !== undefined && after.active) {
    // A new password shuts out whoever knew the old one: every sign-in of the user ends,
    // but the caller's own, so that a user setting its own password stays signed in there.
    await revokeSignIns(tx, accountId, [after.id], principal.tokenId);
  }
  const changed = Object.keys(change).map((k) => (k === "passwordHash" ? "password" : k));
  if (changed.length > 0) {
    await insertAudit(tx, accountId, actor, {
      action: "user.updated",
      target: { type: "user", id: after.id, name: after.name },
      details: {
        changed,
        ...(change.role && { role: { from: before.role, to: after.role } }),
        ...(change.active !== undefined && { active: after.active }),
        ...(change.billingContact !== undefined && { billingContact: after.billing_contact }),
        ...(change.privileges && { privileges: after.privileges }),
      },
    });
  }
  return after;
}

export async function updateUser(db: Db, principal: Principal, id: string, input: UpdateUserInput): Promise<User> {
  const accountId = accountOf(principal);
  const passwordHash = input.password !== undefined ? await hashPassword(input.password) : undefined;
  const user = await db.transaction().execute((tx) => updateUserIn(tx, principal, accountId, id, input, passwordHash));
  return userWithSeats(db, user);
}

export async function deleteUserIn(tx: Db, principal: Principal, accountId: string, id: string): Promise<void> {
  await lockAccount(tx, accountId);
  const user = isId("usr", id) ? await lockUser(tx, accountId, id) : undefined;
  if (!user) throw notFound("user");
  const denied = checkUserChange(
    actorShape(principal),
    { role: user.role, privileges: user.privileges, billingContact: user.billing_contact },
    { role: user.role, privileges: user.privileges, billingContact: user.billing_contact },
  );
  if (denied) throw denied;
  const guard = checkAccountGuards(
    await countGuards(tx, accountId),
    { role: user.role, active: user.active, billingContact: user.billing_contact },
    null,
  );
  if (guard) throw guard;
  const actor = auditActor(principal);
  await withSeatsOfUser(tx, principal, accountId, user.id, async (seats) => {
    await revokeSignIns(tx, accountId, [user.id]);
    await seats.removeUser(user, "user_deleted");
    await deleteUserRow(tx, user);
  });
  await insertAudit(tx, accountId, actor, {
    action: "user.deleted",
    target: { type: "user", id: user.id, name: user.name },
    details: { email: user.email },
  });
}

export async function deleteUser(db: Db, principal: Principal, id: string): Promise<void> {
  const accountId = accountOf(principal);
  await db.transaction().execute((tx) => deleteUserIn(tx, principal, accountId, id));
}

/**
 * A user's detail beside its seats: last sign-in, last seat use, and what it holds now —
 * per product, the shared session (concurrent seat) or the named seat its open support
 * sessions use.
 */
export async function getUserActivity(db: Db, principal: Principal, id: string): Promise<UserActivity> {
  const accountId = accountOf(principal);
  const user = await requireUser(db, accountId, id);
  const [signIn, lastUse, open] = await Promise.all([
    lastSignIn(db, accountId, user.id),
    lastSupportSession(db, accountId, user.id),
    openSupportSessionsOfUser(db, accountId, user.id),
  ]);
  const holdings = new Map<string, { product: string; seatType: "named" | "concurrent"; sharedSessionId: string | null; state: "pending" | "active"; since: string; sessions: number }>();
  for (const s of open) {
    const held = holdings.get(s.product);
    if (held) {
      held.sessions++;
      if (s.state === "active") held.state = "active";
    } else {
      holdings.set(s.product, { product: s.product, seatType: s.seatType, sharedSessionId: s.sharedSessionId, state: s.state, since: s.createdAt.toISOString(), sessions: 1 });
    }
  }
  return {
    lastSignInAt: signIn?.toISOString() ?? null,
    lastSeatUse: lastUse && { at: lastUse.at.toISOString(), product: lastUse.product },
    holding: [...holdings.values()],
  };
}
