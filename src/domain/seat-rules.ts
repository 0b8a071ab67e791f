// Seat rules for named seats and subscriptions. Pure: the service loads the counts under
// a lock on the subscription row, asks here, and writes what is decided.
import { DomainError } from "./errors.js";

export type SeatType = "named" | "concurrent";
export const SEAT_TYPES: readonly SeatType[] = ["named", "concurrent"];

export interface NamedPool {
  product: string;
  namedTotal: number;
  namedAssigned: number;
}

/** A named seat is one user's own: it can be granted only while one is unassigned. */
export function decideNamedGrant(pool: NamedPool, alreadyHoldsNamed: boolean): DomainError | null {
  if (alreadyHoldsNamed) return null;
  if (pool.namedAssigned >= pool.namedTotal) {
    return new DomainError("NO_NAMED_SEAT_AVAILABLE", { product: pool.product, total: pool.namedTotal });
  }
  return null;
}

/**
 * The billing contact may add or remove licenses (S3). Named seats are never taken away
 * from their users; lowering concurrent seats below occupancy cuts nobody off (new
 * checkouts simply wait until occupancy falls below the new total).
 */
export function decideSubscriptionChange(pool: NamedPool, requested: { named: number; concurrent: number }): DomainError | null {
  if (requested.named < pool.namedAssigned) {
    return new DomainError("NAMED_SEATS_IN_USE", { product: pool.product, assigned: pool.namedAssigned, requested: requested.named });
  }
  return null;
}

/** "Remote Support v5 – Named": how the seed names a seat type (S2). */
export function seatLabel(productName: string, type: SeatType, lang: "en" | "fr" = "en"): string {
  const words = lang === "fr" ? { named: "Nominatif", concurrent: "Simultané" } : { named: "Named", concurrent: "Concurrent" };
  return `${productName} – ${words[type]}`;
}
