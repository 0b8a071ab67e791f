// Seats from SCIM groups (S7): which groups map to which seat. The seat-pool service decides
// and carries out each member's seat (the same rules, audit and session endings as an
// admin's) inside the caller's transaction, under the product's seat lock.
import { DomainError, notFound } from "../domain/errors.js";
import { isId } from "../domain/ids.js";
import type { SeatType } from "../domain/seat-rules.js";
import type { Db } from "../store/database.js";
import { insertAudit } from "../store/audit.repository.js";
import { decodeCursor, toPage } from "../store/pagination.js";
import { findProductById } from "../store/product.repository.js";
import {
  deleteMapping, findGroup, findMapping, listGroupSummaries, listWarnings, lockGroup, memberIds, upsertMapping,
} from "../store/scim-group.repository.js";
import { auditActor, type Principal, type UserPrincipal } from "./context.js";
import { requireProduct } from "./product.service.js";
import { withSeats } from "./seat-pool.service.js";
import type { Group, Page } from "../domain/shapes.js";

/** Members joined or left a group (SCIM): their seats of the mapped products follow, in the caller's transaction. */
export async function reconcileSeatsIn(tx: Db, principal: Principal, accountId: string, userIds: string[], productIds: string[]): Promise<void> {
  await withSeats(tx, accountId, principal, productIds, (seats) => seats.reconcileGroups(userIds, productIds));
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

export async function listGroups(db: Db, principal: UserPrincipal, query: { limit: number; cursor?: string }): Promise<Page<Group>> {
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

function groupView(r: SummaryRow, warnings: WarningRow[]): Group {
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

async function groupSummary(db: Db, principal: UserPrincipal, id: string): Promise<Group> {
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
export async function setGroupSeat(db: Db, principal: UserPrincipal, id: string, input: { product: string; type: SeatType }): Promise<Group> {
  const { accountId } = principal;
  const product = await requireProduct(db, input.product);
  await requireGroup(db, accountId, id);
  await db.transaction().execute(async (tx) => {
    const group = await lockGroup(tx, accountId, id);
    if (!group) throw notFound("group");
    const previous = await findMapping(tx, accountId, id);
    const products = [previous?.product_id ?? product.id, product.id];
    await withSeats(tx, accountId, principal, products, async (seats) => {
      if (!seats.subscription(product.id)) throw new DomainError("NO_SUBSCRIPTION", { product: product.slug });
      await upsertMapping(tx, accountId, id, product.id, input.type);
      await insertAudit(tx, accountId, auditActor(principal), {
        action: "group.seat_mapped",
        target: { type: "group", id, name: group.display_name },
        details: { product: product.slug, type: input.type },
      });
      await seats.reconcileGroups(await memberIds(tx, accountId, id), products);
    });
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
    await withSeats(tx, accountId, principal, [previous.product_id], async (seats) => {
      await deleteMapping(tx, accountId, id);
      await insertAudit(tx, accountId, auditActor(principal), {
        action: "group.seat_unmapped",
        target: { type: "group", id, name: group.display_name },
        details: { product: seats.product(previous.product_id).slug },
      });
      await seats.reconcileGroups(await memberIds(tx, accountId, id), [previous.product_id]);
    });
  });
}
