// CSV user import: all or nothing. The file is read and checked row by row (pure), then
// planned against the account; with any error nothing is written. A real import hashes
// passwords before its transaction (scrypt is slow, and a transaction must not wait on
// it), then in one transaction locks the account and every subscription row of the
// account, plans again against what is now true, and writes the plan set-based: multi-row
// INSERTs and UPDATEs, seat grants and revocations, and their audit entries.
import { hasPrivilege, type Actor, type Role } from "../domain/access.js";
import { DomainError } from "../domain/errors.js";
import { newId } from "../domain/ids.js";
import { GROUP_SOURCE } from "../domain/group-seat.js";
import { fieldMessage, type Language } from "../domain/messages.js";
import type { ImportChange, ImportProgress, ImportResult } from "../domain/shapes.js";
import { planImport, readImportFile, type ExistingUser, type ImportFile, type ImportPlan, type ImportState, type RowError, type SeatsMode } from "../domain/user-import.js";
import type { SeatType } from "../domain/seat-rules.js";
import type { Db } from "../store/database.js";
import { lockAccount } from "../store/account.repository.js";
import { insertAudits, type AuditEntry } from "../store/audit.repository.js";
import { findProductsBySlugs } from "../store/product.repository.js";
import { countNamedAssignedByProduct, listAssignments } from "../store/seat.repository.js";
import { listSubscriptions } from "../store/subscription.repository.js";
import type { SubscriptionRow } from "../store/schema.js";
import { countOpenSessions } from "../store/user-activity.repository.js";
import { revokeSignIns } from "./auth.service.js";
import { batches, countGuards, findLogins, findUsersByIds, insertUsers, updateUsers, type NewUser } from "../store/user.repository.js";
import type { Principal } from "./context.js";
import { hashPassword } from "./crypto.js";
import { withSeats, type SeatChange } from "./seat-pool.service.js";

/** How many passwords hash at once: scrypt runs on libuv's thread pool (4 threads by default). */
const DEFAULT_HASH_CONCURRENCY = 4;

export interface ImportOptions {
  dryRun: boolean;
  lang: Language;
  seats?: SeatsMode;
  details?: boolean;
  onProgress?: (progress: ImportProgress) => void;
}

function actorOf(principal: Principal): Actor {
  return principal.kind === "user" ? principal.user : { role: "admin", privileges: [] };
}

function managesSeats(principal: Principal): boolean {
  return principal.kind !== "user" || hasPrivilege(principal.user, "seats:manage");
}

/**
 * Reads the file (400 when it cannot be an import) and checks that the importer may
 * give the seats it lists (403). Runs before any database work.
 */
export function readImport(text: string, principal: Principal): ImportFile {
  const file = readImportFile(text);
  if (file.listsSeats && !managesSeats(principal)) throw new DomainError("FORBIDDEN", { reason: "import_seats" });
  return file;
}

/** What the plan is made against; `subscriptionRows` are locked (and users then too) for the real import. */
async function loadState(db: Db, principal: Principal, accountId: string, file: ImportFile, subscriptionRows: SubscriptionRow[], lock: boolean): Promise<ImportState> {
  const emails = [...new Set(file.rows.map((r) => r.emailLower))];
  const logins = await findLogins(db, emails);
  const ownIds = logins.filter((l) => l.account_id === accountId).map((l) => l.user_id);
  const users = await findUsersByIds(db, accountId, ownIds, lock);
  const assignments = await listAssignments(db, accountId, ownIds);
  const openSessionsOf = new Map<string, Map<string, number>>();
  for (const o of await countOpenSessions(db, accountId, ownIds)) {
    openSessionsOf.set(o.userId, (openSessionsOf.get(o.userId) ?? new Map<string, number>()).set(o.productId, o.count));
  }
  const seatsOf = new Map<string, Map<string, SeatType>>();
  const groupSeatsOf = new Map<string, Set<string>>();
  for (const a of assignments) {
    const seats = seatsOf.get(a.userId) ?? new Map<string, SeatType>();
    seats.set(a.productId, a.type);
    seatsOf.set(a.userId, seats);
    if (a.source === GROUP_SOURCE) groupSeatsOf.set(a.userId, (groupSeatsOf.get(a.userId) ?? new Set<string>()).add(a.productId));
  }
  const slugs = new Set<string>(assignments.map((a) => a.product));
  for (const r of file.rows) for (const slug of r.seats?.keys() ?? []) slugs.add(slug);
  const products = new Map((await findProductsBySlugs(db, [...slugs])).map((p) => [p.slug, { id: p.id, slug: p.slug }]));
  const named = await countNamedAssignedByProduct(db, accountId, subscriptionRows.map((s) => s.product_id));
  return {
    actor: actorOf(principal),
    existing: new Map(
      // Found by their sign-in rows, these users have an email.
      users.map((u): [string, ExistingUser] => [
        u.email!.toLowerCase(),
        { id: u.id, name: u.name, role: u.role, privileges: u.privileges, billingContact: u.billing_contact, active: u.active,
          seats: seatsOf.get(u.id) ?? new Map(), groupSeats: groupSeatsOf.get(u.id) ?? new Set(), openSessions: openSessionsOf.get(u.id) ?? new Map() },
      ]),
    ),
    takenElsewhere: new Set(logins.filter((l) => l.account_id !== accountId).map((l) => l.email_lower)),
    products,
    subscriptions: new Map(subscriptionRows.map((s) => [s.product_id, { namedTotal: s.named_total, namedAssigned: named.get(s.product_id) ?? 0 }])),
    guards: await countGuards(db, accountId),
  };
}

function changesOf(plan: ImportPlan): ImportChange[] {
  const byRow = new Map<number, ImportChange>();
  for (const c of plan.creates) {
    byRow.set(c.row, { row: c.row, email: c.email, name: c.name, kind: "create", changed: [], role: { from: null, to: c.role }, granted: [], revoked: [] });
  }
  for (const u of plan.updates) {
    byRow.set(u.row, {
      row: u.row,
      email: u.emailLower,
      name: u.name,
      kind: "update",
      changed: u.changed,
      ...(u.role !== u.user.role && { role: { from: u.user.role, to: u.role } }),
      granted: [],
      revoked: [],
    });
  }
  for (const g of plan.grants) byRow.get(g.row)?.granted.push({ product: g.product, type: g.type, previous: g.previous, openSessions: g.openSessions });
  for (const v of plan.revokes) byRow.get(v.row)?.revoked.push({ product: v.product, type: v.type, openSessions: v.openSessions });
  return [...byRow.values()].sort((a, b) => a.row - b.row);
}

function result(plan: ImportPlan, options: Pick<ImportOptions, "dryRun" | "lang" | "details">, errors: RowError[] = plan.errors): ImportResult {
  return {
    dryRun: options.dryRun,
    created: plan.creates.length,
    updated: plan.updates.length,
    unchanged: plan.unchanged,
    errors: errors.map((e) => ({ row: e.row, field: e.field, message: fieldMessage(e.key, e.params ?? {}, options.lang, e.key) })),
    ...(options.details && {
      seatsGranted: plan.grants.length,
      seatsRevoked: plan.revokes.length,
      sessionsEnded: plan.revokes.reduce((n, v) => n + v.openSessions, 0),
      changes: changesOf(plan),
    }),
  };
}

/** Another transaction took some of the file's emails between planning and writing. */
class EmailsTakenMeanwhile extends Error {
  constructor(readonly errors: RowError[]) {
    super("emails taken meanwhile");
  }
}

async function hashPasswords(file: ImportFile, onProgress: ImportOptions["onProgress"]): Promise<Map<number, string>> {
  const rows = file.rows.filter((r) => r.password !== null);
  const hashes = new Map<number, string>();
  let next = 0;
  const report = () => onProgress?.({ phase: "hashing", done: hashes.size, total: rows.length });
  report();
  const worker = async () => {
    while (next < rows.length) {
      const r = rows[next++];
      hashes.set(r.row, await hashPassword(r.password!));
      if (hashes.size % 50 === 0) report();
    }
  };
  await Promise.all(Array.from({ length: Math.min(DEFAULT_HASH_CONCURRENCY, rows.length) }, worker));
  report();
  return hashes;
}

/** Imports a file read by readImport into one account; see docs/import.md for the rules. */
export async function importUsers(db: Db, principal: Principal, accountId: string, file: ImportFile, options: ImportOptions): Promise<ImportResult> {
  const { dryRun, onProgress } = options;
  const mode = options.seats ?? "replace";
  const total = file.rows.length + file.errors.filter((e) => e.field === "row").length;
  onProgress?.({ phase: "validating", done: 0, total });
  const draft = planImport(file, await loadState(db, principal, accountId, file, await listSubscriptions(db, accountId), false), mode);
  onProgress?.({ phase: "validating", done: total, total });
  if (draft.errors.length > 0) return result(draft, options);
  if (draft.grants.length + draft.revokes.length > 0 && !managesSeats(principal)) throw new DomainError("FORBIDDEN", { reason: "import_seats" });
  if (dryRun) return result(draft, options);

  const hashes = await hashPasswords(file, onProgress);
  try {
    return await db.transaction().execute(async (tx) => {
      await lockAccount(tx, accountId);
      // Every seat lock of the account: an import may touch any product.
      const productIds = (await listSubscriptions(tx, accountId)).map((s) => s.product_id);
      return withSeats(tx, accountId, principal, productIds, async (seats) => {
        const locked = productIds.map((id) => seats.subscription(id)).filter((s): s is SubscriptionRow => s !== undefined);
        const plan = planImport(file, await loadState(tx, principal, accountId, file, locked, true), mode);
        if (plan.errors.length > 0) return result(plan, options);
        if (plan.grants.length + plan.revokes.length > 0 && !managesSeats(principal)) throw new DomainError("FORBIDDEN", { reason: "import_seats" });
        await writePlan(tx, seats, accountId, plan, hashes, onProgress);
        return result(plan, options);
      });
    });
  } catch (error) {
    if (error instanceof EmailsTakenMeanwhile) return result({ ...emptyPlan(), errors: error.errors }, options);
    throw error;
  }
}

function emptyPlan(): ImportPlan {
  return { errors: [], creates: [], updates: [], unchanged: 0, grants: [], revokes: [] };
}

async function writePlan(
  tx: Db,
  seats: SeatChange,
  accountId: string,
  plan: ImportPlan,
  hashes: Map<number, string>,
  onProgress: ImportOptions["onProgress"],
): Promise<void> {
  const total = plan.creates.length + plan.updates.length;
  let done = 0;
  onProgress?.({ phase: "writing", done, total });
  const audit: AuditEntry[] = [];
  const userIds = new Map<string, { id: string; name: string }>();

  const newUsers: (NewUser & { email: string; row: number })[] = plan.creates.map((c) => ({
    row: c.row,
    accountId,
    id: newId("usr"),
    email: c.email,
    name: c.name,
    role: c.role as Role,
    privileges: [],
    billingContact: false,
    passwordHash: c.password === null ? null : hashes.get(c.row)!,
  }));
  for (const batch of batches(newUsers)) {
    const taken = await insertUsers(tx, batch);
    if (taken.length > 0) {
      const rows = new Map(batch.map((u) => [u.email.toLowerCase(), u.row]));
      throw new EmailsTakenMeanwhile(taken.map((email) => ({ row: rows.get(email)!, field: "email", key: "importEmailTaken" })));
    }
    done += batch.length;
    onProgress?.({ phase: "writing", done, total });
  }
  for (const u of newUsers) {
    userIds.set(u.email.toLowerCase(), { id: u.id, name: u.name });
    audit.push({
      action: "user.created",
      target: { type: "user", id: u.id, name: u.name },
      details: { email: u.email, role: u.role, privileges: [], billingContact: false, source: "import" },
    });
  }

  for (const u of plan.updates) userIds.set(u.emailLower, { id: u.user.id, name: u.name });
  const changed = plan.updates.filter((u) => u.changed.length > 0);
  for (const batch of batches(changed)) {
    await updateUsers(
      tx,
      accountId,
      batch.map((u) => ({ id: u.user.id, name: u.name, role: u.role, privileges: u.privileges, billingContact: u.billingContact, passwordHash: hashes.get(u.row) })),
    );
    done += batch.length;
    onProgress?.({ phase: "writing", done, total });
  }
  // A new password shuts out whoever knew the old one (the importer keeps its own sign-in).
  await revokeSignIns(tx, accountId, changed.filter((u) => u.password !== null).map((u) => u.user.id), seats.principal?.tokenId);
  for (const u of changed) {
    audit.push({
      action: "user.updated",
      target: { type: "user", id: u.user.id, name: u.name },
      details: {
        changed: u.changed,
        source: "import",
        ...(u.role !== u.user.role && { role: { from: u.user.role, to: u.role } }),
        ...(u.changed.includes("billingContact") && { billingContact: u.billingContact }),
        ...(u.changed.includes("privileges") && { privileges: u.privileges }),
      },
    });
  }

  // Seats: written set-based; what users have running on a product whose seat goes or
  // changes type ends or moves, as a single revocation does.
  const userOf = (emailLower: string) => userIds.get(emailLower)!;
  await seats.changeMany(
    plan.grants.map((g) => ({ userId: userOf(g.emailLower).id, productId: g.productId, type: g.type, previous: g.previous })),
    plan.revokes.map((v) => ({ userId: userOf(v.emailLower).id, productId: v.productId, type: v.type })),
    "import",
  );
  for (const v of plan.revokes) {
    const user = userOf(v.emailLower);
    audit.push({ action: "seat.revoked", target: { type: "user", id: user.id, name: user.name }, details: { product: v.product, type: v.type, reason: "import" } });
  }
  for (const g of plan.grants) {
    const user = userOf(g.emailLower);
    audit.push({
      action: "seat.granted",
      target: { type: "user", id: user.id, name: user.name },
      details: { product: g.product, type: g.type, ...(g.previous && { previous: g.previous }), source: "import" },
    });
  }

  audit.push({
    action: "users.imported",
    target: { type: "account", id: accountId },
    details: { created: plan.creates.length, updated: plan.updates.length, unchanged: plan.unchanged, seatsGranted: plan.grants.length, seatsRevoked: plan.revokes.length },
  });
  await insertAudits(tx, accountId, seats.actor, audit);
  onProgress?.({ phase: "writing", done: total, total });
}
