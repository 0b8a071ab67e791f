import { DomainError } from "../domain/errors.js";
import { decideSubscriptionChange } from "../domain/seat-rules.js";
import type { Db } from "../store/database.js";
import { insertAudit } from "../store/audit.repository.js";
import { countNamedAssigned } from "../store/seat.repository.js";
import { listSubscriptionLines, lockSubscription, upsertSubscription } from "../store/subscription.repository.js";
import { auditActor, type Principal } from "./context.js";
import { requireProduct } from "./product.service.js";
import { accountOf } from "./user.service.js";
import { onSubscriptionChanged, poolCounts } from "./seat-engine.service.js";
import { reconcileSeatsIn } from "./group-seat.service.js";

export async function getSubscription(db: Db, principal: Principal) {
  const accountId = accountOf(principal);
  const lines = await listSubscriptionLines(db, accountId);
  const items = [];
  for (const l of lines) {
    const { occupied, waiting } = await poolCounts(db, accountId, l.productId, l.concurrentTotal);
    items.push({
      product: l.product,
      name: l.name,
      named: { total: l.namedTotal, assigned: l.namedAssigned },
      concurrent: { total: l.concurrentTotal, occupied, waiting, eligible: l.concurrentEligible },
    });
  }
  return { items };
}

/** S3: the billing contact adds or removes licenses of one product. */
export async function changeSubscription(db: Db, principal: Principal, productSlug: string, requested: { named: number; concurrent: number }) {
  if (principal.kind !== "user" || !principal.user.billing_contact) throw new DomainError("NOT_BILLING_CONTACT");
  const accountId = accountOf(principal);
  const product = await requireProduct(db, productSlug);
  await db.transaction().execute(async (tx) => {
    const before = await lockSubscription(tx, accountId, product.id);
    const namedAssigned = before ? await countNamedAssigned(tx, accountId, product.id) : 0;
    const refusal = decideSubscriptionChange({ product: product.slug, namedTotal: before?.named_total ?? 0, namedAssigned }, requested);
    if (refusal) throw refusal;
    await upsertSubscription(tx, accountId, product.id, requested.named, requested.concurrent);
    await onSubscriptionChanged(tx, accountId, product);
    // Named seats added go to the SCIM group members who wait for one.
    await reconcileSeatsIn(tx, principal, accountId, [], [product.id]);
    await insertAudit(tx, accountId, auditActor(principal), {
      action: "subscription.changed",
      target: { type: "product", id: product.slug, name: product.name },
      details: {
        named: { from: before?.named_total ?? 0, to: requested.named },
        concurrent: { from: before?.concurrent_total ?? 0, to: requested.concurrent },
      },
    });
  });
  const line = (await getSubscription(db, principal)).items.find((i) => i.product === product.slug)!;
  return line;
}
