import { DomainError } from "../domain/errors.js";
import { newId } from "../domain/ids.js";
import type { Db } from "../store/database.js";
import { findUserByEmail, replacePasswordHash } from "../store/user.repository.js";
import { findActiveTokensWithUsers, insertToken, revokeToken, revokeUserTokens, touchToken } from "../store/token.repository.js";
import type { AuthTokenRow, UserRow } from "../store/schema.js";
import { deleteLoginFailure, failuresByEmail, failuresByIp, lockLoginKeys, recordLoginFailure } from "../store/login-throttle.repository.js";
import { DUMMY_PASSWORD_HASH, hashPassword, hashToken, needsRehash, newSecretToken, sameSecret, verifyPassword } from "./crypto.js";
import type { Principal } from "./context.js";
import { GroupCommit } from "./group-commit.js";
import { publish } from "./signals.js";

type TokenWithUser = AuthTokenRow & { user: UserRow | null };

export const MAX_FAILURES_PER_EMAIL = 5;
export const EMAIL_WINDOW_MS = 15 * 60_000;
export const MAX_FAILURES_PER_IP = 30;
export const IP_WINDOW_MS = 60_000;

export type AgentApp = "desktop" | "mobile";

function retryAfterSeconds(oldest: Date | null, windowMs: number, now: number): number {
  if (!oldest) return 1;
  return Math.max(1, Math.ceil((oldest.getTime() + windowMs - now) / 1000));
}

/**
 * Takes a place in the sign-in limits. Under a per-email and per-address lock, the
 * attempt is recorded as a failure before the password is checked (in-flight attempts
 * count), so concurrent guesses cannot slip under the limit together; the password check
 * itself (slow on purpose) runs outside any transaction.
 */
async function claimAttempt(db: Db, emailLower: string, clientIp: string): Promise<number> {
  return db.transaction().execute(async (tx) => {
    await lockLoginKeys(tx, emailLower, clientIp);
    const now = Date.now();
    const [byEmail, byIp] = [
      await failuresByEmail(tx, emailLower, new Date(now - EMAIL_WINDOW_MS)),
      await failuresByIp(tx, clientIp, new Date(now - IP_WINDOW_MS)),
    ];
    if (byEmail.count >= MAX_FAILURES_PER_EMAIL || byIp.count >= MAX_FAILURES_PER_IP) {
      const seconds = byEmail.count >= MAX_FAILURES_PER_EMAIL
        ? retryAfterSeconds(byEmail.oldest, EMAIL_WINDOW_MS, now)
        : retryAfterSeconds(byIp.oldest, IP_WINDOW_MS, now);
      throw new DomainError("RATE_LIMITED", { seconds }, {}, [], seconds);
    }
    return recordLoginFailure(tx, emailLower, clientIp);
  });
}

/** Signs a user in. A success takes its attempt back: successful sign-ins never count. */
export async function login(db: Db, input: { email: string; password: string; app?: AgentApp }, clientIp: string) {
  const emailLower = input.email.toLowerCase();
  const attemptId = await claimAttempt(db, emailLower, clientIp);

  const user = await findUserByEmail(db, emailLower);
  const ok = await verifyPassword(input.password, user?.password_hash ?? DUMMY_PASSWORD_HASH);
  if (!user || !ok || !user.active) throw new DomainError("INVALID_CREDENTIALS");
  await deleteLoginFailure(db, attemptId);
  // The only moment the password is known: a hash made before the cost was raised is
  // replaced now.
  if (needsRehash(user.password_hash!)) await replacePasswordHash(db, user, user.password_hash!, await hashPassword(input.password));

  const token = newSecretToken("skt");
  await insertToken(db, {
    tokenHash: hashToken(token),
    id: newId("tok"),
    kind: "user",
    accountId: user.account_id,
    userId: user.id,
    name: null,
    app: input.app ?? null,
  });
  return { token, user };
}

/** Signs out: the token is revoked, and its open waits and event streams end in every process. */
export async function logout(db: Db, principal: Principal): Promise<void> {
  await revokeToken(db, principal.tokenId);
  if (principal.kind === "user") await publish(db, { t: "auth", a: principal.accountId, u: principal.user.id });
}

/**
 * Ends the users' sign-ins (all their tokens but `keep`) inside the caller's transaction;
 * when it commits, their open waits and event streams end in every process.
 */
export async function revokeSignIns(tx: Db, accountId: string, userIds: string[], keep?: string): Promise<void> {
  if (userIds.length === 0) return;
  await revokeUserTokens(tx, accountId, userIds, keep);
  await publish(tx, ...userIds.map((u) => ({ t: "auth" as const, a: accountId, u })));
}

/**
 * Resolves bearer tokens to who is calling, as they are now: a revoked token, a deleted or
 * inactive user is no one. Lookups that arrive while one runs are made together, in one
 * statement (every request needs one, so this is the API's most frequent query).
 */
export class Authenticator {
  private readonly lookups: GroupCommit<string, TokenWithUser | undefined>;

  constructor(
    private readonly db: Db,
    private readonly operatorToken: string | undefined,
  ) {
    this.lookups = new GroupCommit(async (hashes) => {
      const found = new Map((await findActiveTokensWithUsers(db, [...new Set(hashes)])).map((r) => [r.token_hash, r]));
      return hashes.map((h) => found.get(h));
    });
  }

  async authenticate(token: string): Promise<Principal | null> {
    if (this.operatorToken !== undefined && sameSecret(token, this.operatorToken)) return { kind: "operator", tokenId: "operator-env" };
    const row = await this.lookups.submit(hashToken(token));
    if (!row) return null;
    if (row.kind === "operator") return { kind: "operator", tokenId: row.id };
    if (row.kind === "scim") {
      await touchToken(this.db, row.id, new Date());
      return { kind: "scim", tokenId: row.id, accountId: row.account_id!, name: row.name ?? "SCIM" };
    }
    const user = row.user;
    if (!user || !user.active) return null;
    return { kind: "user", tokenId: row.id, accountId: user.account_id, user, app: row.app };
  }
}

export async function createOperatorToken(db: Db, name: string): Promise<{ id: string; token: string }> {
  const token = newSecretToken("sko");
  const id = newId("tok");
  await insertToken(db, { tokenHash: hashToken(token), id, kind: "operator", accountId: null, userId: null, name, app: null });
  return { id, token };
}
