import { DomainError } from "../domain/errors.js";
import { decideNamedGrant, type SeatType } from "../domain/seat-rules.js";
import type { Db } from "../store/database.js";
import { insertAudit } from "../store/audit.repository.js";
import { countNamedAssigned, deleteAssignment, findAssignment, upsertAssignment } from "../store/seat.repository.js";
import { lockSubscription } from "../store/subscription.repository.js";
import type { ProductRow, UserRow } from "../store/schema.js";
import { auditActor, type Principal } from "./context.js";
import { requireProduct } from "./product.service.js";
import { accountOf, requireUser, userWithSeats } from "./user.service.js";
import { onSeatRevoked, onSeatTypeChanged } from "./seat-engine.service.js";
import { reconcileSeatsIn } from "./group-seat.service.js";

/**
 * Grants `type` of `product` to `user` inside an open transaction. The subscription row
 * lock serialises every grant of the product, so the named count read here stays true
 * until commit: fifty concurrent grants of five named seats give exactly five.
 */
export async function grantSeatIn(tx: Db, principal: Principal, user: UserRow, product: ProductRow, type: SeatType, source = "manual") {
  const subscription = await lockSubscription(tx, user.account_id, product.id);
  if (!subscription) throw new DomainError("NO_SUBSCRIPTION", { product: product.slug });
  const current = await findAssignment(tx, user.account_id, user.id, product.id);
  if (current?.type === type) return { changed: false };
  if (type === "named") {
    const refusal = decideNamedGrant(
      { product: product.slug, namedTotal: subscription.named_total, namedAssigned: await countNamedAssigned(tx, user.account_id, product.id) },
      false,
    );
    if (refusal) throw refusal;
  }
  await upsertAssignment(tx, user.account_id, user.id, product.id, type, source);
  if (current) await onSeatTypeChanged(tx, principal, user.account_id, user.id, product, type);
  await insertAudit(tx, user.account_id, auditActor(principal), {
    action: "seat.granted",
    target: { type: "user", id: user.id, name: user.name },
    details: { product: product.slug, type, ...(current && { previous: current.type }), source },
  });
  return { changed: true };
}

export async function revokeSeatIn(tx: Db, principal: Principal, user: UserRow, product: ProductRow, reason = "manual") {
  await lockSubscription(tx, user.account_id, product.id);
  const current = await findAssignment(tx, user.account_id, user.id, product.id);
  if (!current) return { changed: false };
  await deleteAssignment(tx, user.account_id, user.id, product.id);
  await onSeatRevoked(tx, principal, user.account_id, user.id, product, reason === "manual" ? "seat_revoked" : reason);
  await insertAudit(tx, user.account_id, auditActor(principal), {
    action: "seat.revoked",
    target: { type: "user", id: user.id, name: user.name },
    details: { product: product.slug, type: current.type, reason },
  });
  return { changed: true };
}

/** A named seat an admin freed goes to the SCIM group members who wait for one, longest first. */
function handOutFreedNamedSeats(tx: Db, principal: Principal, accountId: string, productId: string): Promise<void> {
  return reconcileSeatsIn(tx, principal, accountId, [], [productId]);
}

export async function grantSeat(db: Db, principal: Principal, userId: string, productSlug: string, type: SeatType) {
  const accountId = accountOf(principal);
  const product = await requireProduct(db, productSlug);
  const user = await requireUser(db, accountId, userId);
  await db.transaction().execute(async (tx) => {
    await grantSeatIn(tx, principal, user, product, type);
    await handOutFreedNamedSeats(tx, principal, accountId, product.id);
  });
  return userWithSeats(db, user);
}

export async function revokeSeat(db: Db, principal: Principal, userId: string, productSlug: string): Promise<void> {
  const accountId = accountOf(principal);
  const product = await requireProduct(db, productSlug);
  const user = await requireUser(db, accountId, userId);
  await db.transaction().execute(async (tx) => {
    await revokeSeatIn(tx, principal, user, product);
    await handOutFreedNamedSeats(tx, principal, accountId, product.id);
  });
}
