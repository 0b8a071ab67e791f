import { notFound } from "../domain/errors.js";
import { newId } from "../domain/ids.js";
import type { Db } from "../store/database.js";
import { findAccount, insertAccount, lockAccount, updateAccount as updateAccountRow, type AccountSettings } from "../store/account.repository.js";
import { insertAudit, listAudit as listAuditRows } from "../store/audit.repository.js";
import { decodeCursor, toPage } from "../store/pagination.js";
import { auditActor, type Principal } from "./context.js";
import { hashPassword } from "./crypto.js";
import { accountOf, createUserIn, userWithSeats } from "./user.service.js";
import { accountView, auditView } from "./views.js";
import type { Account, AuditEntry, NewAccount, Page } from "../domain/shapes.js";

/** Operator: a customer account and its first admin, who is its billing contact. */
export async function createAccount(db: Db, principal: Principal, input: { name: string; admin: { email: string; name: string; password: string } }): Promise<NewAccount> {
  const passwordHash = await hashPassword(input.admin.password);
  const { account, admin } = await db.transaction().execute(async (tx) => {
    const account = await insertAccount(tx, { id: newId("acct"), name: input.name });
    await insertAudit(tx, account.id, auditActor(principal), {
      action: "account.created",
      target: { type: "account", id: account.id, name: account.name },
    });
    const admin = await createUserIn(tx, principal, account.id, {
      email: input.admin.email,
      name: input.admin.name,
      role: "admin",
      billingContact: true,
      passwordHash,
    });
    return { account, admin };
  });
  return { ...accountView(account), admin: await userWithSeats(db, admin) };
}

export async function getAccount(db: Db, principal: Principal): Promise<Account> {
  const account = await findAccount(db, accountOf(principal));
  if (!account) throw notFound("account");
  return accountView(account);
}

export async function updateAccount(db: Db, principal: Principal, input: { name?: string; settings?: Partial<AccountSettings> }): Promise<Account> {
  const accountId = accountOf(principal);
  const account = await db.transaction().execute(async (tx) => {
    const before = await lockAccount(tx, accountId);
    if (!before) throw notFound("account");
    const after = await updateAccountRow(tx, accountId, { name: input.name, ...input.settings });
    const actor = auditActor(principal);
    if (input.name !== undefined && input.name !== before.name) {
      await insertAudit(tx, accountId, actor, {
        action: "account.renamed",
        target: { type: "account", id: accountId, name: after.name },
        details: { from: before.name, to: after.name },
      });
    }
    const settingsBefore = accountView(before).settings;
    const settingsAfter = accountView(after).settings;
    const changed = Object.fromEntries(
      (Object.keys(settingsAfter) as (keyof AccountSettings)[])
        .filter((k) => settingsBefore[k] !== settingsAfter[k])
        .map((k) => [k, { from: settingsBefore[k], to: settingsAfter[k] }]),
    );
    if (Object.keys(changed).length > 0) {
      await insertAudit(tx, accountId, actor, {
        action: "settings.changed",
        target: { type: "account", id: accountId, name: after.name },
        details: changed,
      });
    }
    return after;
  });
  return accountView(account);
}

export async function listAudit(db: Db, principal: Principal, query: { actor?: string; action?: string; target?: string; limit: number; cursor?: string }): Promise<Page<AuditEntry>> {
  const after = decodeCursor(query.cursor, ["timestamp", "id"]);
  const rows = await listAuditRows(db, accountOf(principal), {
    actor: query.actor,
    action: query.action,
    target: query.target,
    after: after && { at: after[0], id: after[1] },
    limit: query.limit,
  });
  return toPage(rows, query.limit, (r) => [r.at.toISOString(), r.id], auditView);
}
