// Signed lease tokens on the agent app's answers: a support session's seat, and each lease a
// heartbeat renews. A concurrent seat's token expires with its lease; a named seat has no
// lease, so its token lasts the account's leaseTtlSeconds from when it is issued, and each
// heartbeat renews it while the agent has an open session of the product.
import type { Db } from "../store/database.js";
import { findAccount } from "../store/account.repository.js";
import type { UserPrincipal } from "./context.js";
import type { LeaseSigner } from "./lease-keys.service.js";
import type { SupportSession } from "../domain/shapes.js";

/** Adds `seat.leaseToken` while the session holds its seat (not once it has ended). */
export async function withLeaseToken(db: Db, signer: LeaseSigner, principal: UserPrincipal, session: SupportSession): Promise<SupportSession> {
  if (session.state === "ended") return session;
  const now = new Date();
  let expiresAt: Date;
  if (session.seat.leaseExpiresAt !== null) expiresAt = new Date(session.seat.leaseExpiresAt);
  else {
    const account = await findAccount(db, principal.accountId);
    expiresAt = new Date(now.getTime() + (account?.lease_ttl_seconds ?? 0) * 1000);
  }
  const leaseToken = await signer.sign(
    { accountId: principal.accountId, userId: principal.user.id, product: session.product, seat: session.seat.type, expiresAt },
    now,
  );
  return { ...session, seat: { ...session.seat, leaseToken } };
}

/** Each lease of a heartbeat's answer, with its token (a named seat's lasts leaseTtlSeconds from this heartbeat). */
export async function leasesWithTokens<L extends { product: string; expiresAt: string }>(signer: LeaseSigner, principal: UserPrincipal, seat: "named" | "concurrent", leases: L[]): Promise<(L & { token: string })[]> {
  const now = new Date();
  return Promise.all(
    leases.map(async (l) => ({
      ...l,
      token: await signer.sign({ accountId: principal.accountId, userId: principal.user.id, product: l.product, seat, expiresAt: new Date(l.expiresAt) }, now),
    })),
  );
}
