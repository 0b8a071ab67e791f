// Seats granted and revoked by hand (S7, S10): the admin center's and the API's way. The
// seat-pool service carries the change out; freed named seats go to waiting group members.
import { notFound } from "../domain/errors.js";
import { isId } from "../domain/ids.js";
import type { SeatType } from "../domain/seat-rules.js";
import type { Db } from "../store/database.js";
import { shareUser } from "../store/user.repository.js";
import type { Principal } from "./context.js";
import { requireProduct } from "./product.service.js";
import { withSeats } from "./seat-pool.service.js";
import { accountOf, requireUser, userWithSeats } from "./user.service.js";
import type { User } from "../domain/shapes.js";

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
