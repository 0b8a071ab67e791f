import { DomainError } from "../domain/errors.js";
import { waitingEntries } from "../domain/seat-pool.js";
import type { Db } from "../store/database.js";
import { insertAudit } from "../store/audit.repository.js";
import { listSubscriptionLines } from "../store/subscription.repository.js";
import { auditActor, type Principal } from "./context.js";
import { requireProduct } from "./product.service.js";
import { accountOf } from "./user.service.js";
import { withSeats } from "./seat-pool.service.js";
import type { Subscription, SubscriptionLine } from "../domain/shapes.js";

/** The account's licenses and their use, read in one snapshot without any lock. */
export async function getSubscription(db: Db, principal: Principal): Promise<Subscription> {
  const accountId = accountOf(principal);
  const now = new Date();
  const lines = await listSubscriptionLines(db, accountId, now);
  return {
    items: lines.map((l) => ({
      product: l.product,
      name: l.name,
      named: { total: l.namedTotal, assigned: l.namedAssigned },
      concurrent: {
        total: l.concurrentTotal,
        occupied: l.occupied,
        waiting: waitingEntries({ product: l.product, total: l.concurrentTotal, occupied: l.occupied, queue: l.queue }, now).length,
        eligible: l.concurrentEligible,
      },
    })),
  };
}

/** S3: the billing contact adds or removes licenses of one product. */
export async function changeSubscription(db: Db, principal: Principal, productSlug: string, requested: { named: number; concurrent: number }): Promise<SubscriptionLine> {
  if (principal.kind !== "user" || !principal.user.billing_contact) throw new DomainError("NOT_BILLING_CONTACT");
  const accountId = accountOf(principal);
  const product = await requireProduct(db, productSlug);
  await db.transaction().execute((tx) =>
    withSeats(tx, accountId, principal, [product.id], async (seats) => {
      const before = await seats.setLicenses(product.id, requested);
      await insertAudit(tx, accountId, auditActor(principal), {
        action: "subscription.changed",
        target: { type: "product", id: product.slug, name: product.name },
        details: { named: { from: before.named, to: requested.named }, concurrent: { from: before.concurrent, to: requested.concurrent } },
      });
    }, { products: [product] }),
  );
  return (await getSubscription(db, principal)).items.find((i) => i.product === product.slug)!;
}
