// Seats granted and revoked by hand (S7, S10): the admin center's and the API's way. The
// seat-pool service carries the change out; freed named seats go to waiting group members.
import { DomainError, notFound } from "../domain/errors.js";
import { isId } from "../domain/ids.js";
import { errorDetail, type Language } from "../domain/messages.js";
import type { SeatType } from "../domain/seat-rules.js";
import type { Db } from "../store/database.js";
import { insertAudits } from "../store/audit.repository.js";
import { countNamedAssigned, holdersOfProduct } from "../store/seat.repository.js";
import { findUsersByIds, listMatchingUsers, shareUser } from "../store/user.repository.js";
import { lockAccount } from "../store/account.repository.js";
import type { Principal } from "./context.js";
import { requireProduct } from "./product.service.js";
import { withSeats } from "./seat-pool.service.js";
import { accountOf, requireUser, userMatch, userWithSeats, type UserMatchQuery } from "./user.service.js";
import type { BulkSeatResult, User } from "../domain/shapes.js";

async function changeSeat(db: Db, principal: Principal, userId: string, productSlug: string, type: SeatType | null) {
  const accountId = accountOf(principal);
  const product = await requireProduct(db, productSlug);
  await requireUser(db, accountId, userId);
  return db.transaction().execute(async (tx) => {
    // The user row first (FOR SHARE): a grant cannot race the user's deactivation or deletion.
    const user = isId("usr", userId) ? await shareUser(tx, accountId, userId) : undefined;
    if (!user) throw notFound("user");
    await withSeats(tx, accountId, principal, [product.id], async (seats) => {
      if (type === null) await seats.revoke(user, product.id, "manual");
      else await seats.grant(user, product.id, type, "manual");
    }, { products: [product] });
    return user;
  });
}

export async function grantSeat(db: Db, principal: Principal, userId: string, productSlug: string, type: SeatType): Promise<User> {
  return userWithSeats(db, await changeSeat(db, principal, userId, productSlug, type));
}

export async function revokeSeat(db: Db, principal: Principal, userId: string, productSlug: string): Promise<void> {
  await changeSeat(db, principal, userId, productSlug, null);
}

export interface BulkSeatInput {
  /** A seat type grants it (replacing the other type); null revokes the product's seat. */
  type: SeatType | null;
  /** Either these users, or every user matching the filter (the users list's filters). */
  users?: string[];
  filter?: UserMatchQuery;
}

/**
 * One seat for many users at once ("select all 312 matching", then grant), in one
 * transaction. Named grants are all or nothing: without enough named seats left for every
 * user who needs one, nothing changes (409). Inactive users cannot get a named seat: they
 * are listed as skipped and the others proceed.
 */
export async function changeSeats(db: Db, principal: Principal, productSlug: string, input: BulkSeatInput, lang: Language): Promise<BulkSeatResult> {
  const accountId = accountOf(principal);
  const product = await requireProduct(db, productSlug);
  const match = input.filter ? await userMatch(db, input.filter) : null;
  const ids = [...new Set(input.users ?? [])].filter((id) => isId("usr", id));
  return db.transaction().execute(async (tx) => {
    // The account row first (lock order, 1): every deactivation and deletion of a user takes
    // it, so none races these grants; thousands of row locks would cost more (and a page of
    // FOR SHARE locks with the deletes crashed the embedded database).
    await lockAccount(tx, accountId);
    const users = match ? await listMatchingUsers(tx, accountId, match) : await findUsersByIds(tx, accountId, ids);
    return withSeats(tx, accountId, principal, [product.id], async (seats) => {
      if (input.type !== null && !seats.subscription(product.id)) throw new DomainError("NO_SUBSCRIPTION", { product: product.slug });
      const held = await holdersOfProduct(tx, accountId, product.id);
      const skipped: { user: { id: string; name: string }; code: string; message: string }[] = [];
      const grants: { userId: string; productId: string; type: SeatType; previous: SeatType | null }[] = [];
      const revokes: { userId: string; productId: string; type: SeatType }[] = [];
      for (const user of users) {
        const current = held.get(user.id) ?? null;
        if (input.type === null) {
          if (current) revokes.push({ userId: user.id, productId: product.id, type: current });
        } else if (current !== input.type) {
          if (input.type === "named" && !user.active) {
            skipped.push({ user: { id: user.id, name: user.name }, code: "USER_INACTIVE", message: errorDetail("USER_INACTIVE", { name: user.name }, lang) });
          } else grants.push({ userId: user.id, productId: product.id, type: input.type, previous: current });
        }
      }
      if (input.type === "named" && grants.length > 0) {
        const subscription = seats.subscription(product.id)!;
        const assigned = await countNamedAssigned(tx, accountId, product.id);
        if (assigned + grants.length > subscription.named_total) {
          throw new DomainError("NO_NAMED_SEAT_AVAILABLE", { product: product.name, total: subscription.named_total, wanted: grants.length, left: Math.max(0, subscription.named_total - assigned) });
        }
      }
      await seats.changeMany(grants, revokes, "manual");
      // Thousands of entries: written in batches here, as the CSV import writes its own.
      const names = new Map(users.map((u) => [u.id, u.name]));
      await insertAudits(tx, accountId, seats.actor, [
        ...grants.map((g) => ({
          action: "seat.granted",
          target: { type: "user", id: g.userId, name: names.get(g.userId) },
          details: { product: product.slug, type: g.type, ...(g.previous && { previous: g.previous }), source: "manual", bulk: true },
        })),
        ...revokes.map((v) => ({
          action: "seat.revoked",
          target: { type: "user", id: v.userId, name: names.get(v.userId) },
          details: { product: product.slug, type: v.type, reason: "manual", bulk: true },
        })),
      ]);
      return { matched: users.length, changed: grants.length + revokes.length, unchanged: users.length - grants.length - revokes.length - skipped.length, skipped };
    }, { products: [product] });
  });
}
