// Seats from SCIM groups (S7). Every decision runs inside the caller's transaction under
// the product's subscription row lock (the lock every seat grant takes), and is carried
// out by grantSeatIn/revokeSeatIn: the same rules, audit and session endings as an admin's.
import { DomainError, notFound } from "../domain/errors.js";
import { decideGroupSeat, GROUP_SOURCE } from "../domain/group-seat.js";
import { isId } from "../domain/ids.js";
import type { SeatType } from "../domain/seat-rules.js";
import type { Db } from "../store/database.js";
import { insertAudit } from "../store/audit.repository.js";
import { decodeCursor, toPage } from "../store/pagination.js";
import { findProductById } from "../store/product.repository.js";
import {
  clearWarning, deleteMapping, findGroup, findMapping, listGroupSummaries, listWarnings, lockGroup, mappingsOfUser,
  memberIds, setWarning, upsertMapping, usersWaitingForNamed,
} from "../store/scim-group.repository.js";
import { countNamedAssigned, findAssignment } from "../store/seat.repository.js";
import { lockSubscription } from "../store/subscription.repository.js";
import { findUser } from "../store/user.repository.js";
import { auditActor, type Principal, type UserPrincipal } from "./context.js";
import { requireProduct } from "./product.service.js";
import { grantSeatIn, revokeSeatIn } from "./seat.service.js";

/** Brings one user's seat of one product in line with its mapped groups. */
async function reconcileOne(tx: Db, principal: Principal, accountId: string, userId: string, productId: string): Promise<void> {
  const product = await findProductById(tx, productId);
  const subscription = await lockSubscription(tx, accountId, productId);
  const user = await findUser(tx, accountId, userId);
  if (!product || !user) return;
  const current = await findAssignment(tx, accountId, userId, productId);
  const decision = decideGroupSeat({
    mapped: await mappingsOfUser(tx, accountId, userId, productId),
    active: user.active,
    hasSubscription: subscription !== undefined,
    current: current ? { type: current.type, source: current.source } : null,
    namedLeft: subscription ? subscription.named_total - (await countNamedAssigned(tx, accountId, productId)) : 0,
  });
  const { action, warning } = decision;
  if (action.kind === "grant") await grantSeatIn(tx, principal, user, product, action.type, GROUP_SOURCE);
  if (action.kind === "revoke") await revokeSeatIn(tx, principal, user, product, "group_membership");
  if (warning) {
    if (await setWarning(tx, accountId, userId, productId, warning)) {
      await insertAudit(tx, accountId, auditActor(principal), {
        action: "group.seat_warning",
        target: { type: "user", id: user.id, name: user.name },
        details: { product: product.slug, groupId: warning.groupId, code: warning.code, granted: warning.granted },
      });
    }
  } else {
    await clearWarning(tx, accountId, userId, productId);
  }
}

/** Reconciles users × products, in a fixed order (products by id) so that locks never cross. */
export async function reconcileSeatsIn(tx: Db, principal: Principal, accountId: string, userIds: string[], productIds: string[]): Promise<void> {
  for (const productId of [...new Set(productIds)].sort()) {
    for (const userId of [...new Set(userIds)]) await reconcileOne(tx, principal, accountId, userId, productId);
    // Named seats left free (given back, or added to the subscription) go to the users
    // their mappings could not serve yet, longest waiting first.
    const subscription = await lockSubscription(tx, accountId, productId);
    const left = subscription ? subscription.named_total - (await countNamedAssigned(tx, accountId, productId)) : 0;
    if (left > 0) {
      for (const waiting of await usersWaitingForNamed(tx, accountId, productId, left)) {
        await reconcileOne(tx, principal, accountId, waiting, productId);
      }
    }
  }
}

/** The product a group is mapped to, if any. */
export async function mappedProductOf(tx: Db, accountId: string, groupId: string): Promise<string | null> {
  return (await findMapping(tx, accountId, groupId))?.product_id ?? null;
}

// ---------------------------------------------------------------------------------------
// The admin API

async function requireGroup(db: Db, accountId: string, id: string) {
  const group = isId("grp", id) ? await findGroup(db, accountId, id) : undefined;
  if (!group) throw notFound("group");
  return group;
}

export async function listGroups(db: Db, principal: UserPrincipal, query: { limit: number; cursor?: string }) {
  const after = decodeCursor(query.cursor, ["text", "id"]);
  const rows = await listGroupSummaries(db, principal.accountId, after && { name: String(after[0]), id: String(after[1]) }, query.limit);
  const page = toPage(rows, query.limit, (r) => [r.display_name, r.id], (r) => r);
  const warnings = await listWarnings(db, principal.accountId, page.items.map((r) => r.id));
  return {
    items: page.items.map((r) => groupView(r, warnings.filter((w) => w.group_id === r.id))),
    nextCursor: page.nextCursor,
  };
}

type SummaryRow = Awaited<ReturnType<typeof listGroupSummaries>>[number];
type WarningRow = Awaited<ReturnType<typeof listWarnings>>[number];

function groupView(r: SummaryRow, warnings: WarningRow[]) {
  return {
    id: r.id,
    displayName: r.display_name,
    externalId: r.external_id,
    memberCount: Number(r.member_count),
    seat: r.slug && r.type ? { product: r.slug, type: r.type } : null,
    warnings: warnings.map((w) => ({
      code: w.code,
      product: w.slug,
      user: { id: w.user_id, name: w.name, email: w.email },
      granted: w.granted,
      at: w.at.toISOString(),
    })),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

async function groupSummary(db: Db, principal: UserPrincipal, id: string) {
  const group = await requireGroup(db, principal.accountId, id);
  const mapping = await findMapping(db, principal.accountId, id);
  const product = mapping ? await findProductById(db, mapping.product_id) : undefined;
  const count = (await memberIds(db, principal.accountId, id)).length;
  const warnings = await listWarnings(db, principal.accountId, [id]);
  return groupView(
    {
      id: group.id, display_name: group.display_name, external_id: group.external_id, created_at: group.created_at, updated_at: group.updated_at,
      slug: product?.slug ?? null, type: mapping?.type ?? null, member_count: count,
    },
    warnings,
  );
}

/** PUT /groups/{id}/seat: the group's members get the seat now, and whoever joins later. */
export async function setGroupSeat(db: Db, principal: UserPrincipal, id: string, input: { product: string; type: SeatType }) {
  const { accountId } = principal;
  const product = await requireProduct(db, input.product);
  await requireGroup(db, accountId, id);
  await db.transaction().execute(async (tx) => {
    const group = await lockGroup(tx, accountId, id);
    if (!group) throw notFound("group");
    const previous = await findMapping(tx, accountId, id);
    const products = [...new Set([previous?.product_id ?? product.id, product.id])].sort();
    // Seat locks in product-id order, as every other path takes them.
    for (const productId of products) {
      const subscription = await lockSubscription(tx, accountId, productId);
      if (productId === product.id && !subscription) throw new DomainError("NO_SUBSCRIPTION", { product: product.slug });
    }
    await upsertMapping(tx, accountId, id, product.id, input.type);
    await insertAudit(tx, accountId, auditActor(principal), {
      action: "group.seat_mapped",
      target: { type: "group", id, name: group.display_name },
      details: { product: product.slug, type: input.type },
    });
    await reconcileSeatsIn(tx, principal, accountId, await memberIds(tx, accountId, id), products);
  });
  return groupSummary(db, principal, id);
}

/** DELETE /groups/{id}/seat: the seats the mapping gave are revoked. */
export async function removeGroupSeat(db: Db, principal: UserPrincipal, id: string): Promise<void> {
  const { accountId } = principal;
  await requireGroup(db, accountId, id);
  await db.transaction().execute(async (tx) => {
    const group = await lockGroup(tx, accountId, id);
    if (!group) throw notFound("group");
    const previous = await findMapping(tx, accountId, id);
    if (!previous) return;
    await deleteMapping(tx, accountId, id);
    await insertAudit(tx, accountId, auditActor(principal), {
      action: "group.seat_unmapped",
      target: { type: "group", id, name: group.display_name },
      details: { product: (await findProductById(tx, previous.product_id))?.slug ?? null },
    });
    await reconcileSeatsIn(tx, principal, accountId, await memberIds(tx, accountId, id), [previous.product_id]);
  });
}
