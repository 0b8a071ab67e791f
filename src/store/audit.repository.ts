import { sql, type RawBuilder } from "kysely";
import type { Db } from "./database.js";
import type { AuditRow } from "./schema.js";
import { newId } from "../domain/ids.js";

export type ActorType = "user" | "operator" | "scim" | "system";

export interface AuditActor {
  type: ActorType;
  id: string | null;
  name: string | null;
}

export interface AuditEntry {
  action: string;
  target: { type: string; id: string; name?: string | null };
  details?: Record<string, unknown>;
}

/** Written in the same transaction as the change it records. */
export async function insertAudit(db: Db, accountId: string, actor: AuditActor, entry: AuditEntry): Promise<void> {
  await insertAudits(db, accountId, actor, [entry]);
}

/** Entries by one actor, up to a thousand per statement (the CSV import writes many). */
export async function insertAudits(db: Db, accountId: string, actor: AuditActor, entries: AuditEntry[]): Promise<void> {
  const at = new Date(); // millisecond precision, so a cursor round-trips exactly
  for (let i = 0; i < entries.length; i += 1000) {
    await db
      .insertInto("audit_log")
      .values(
        entries.slice(i, i + 1000).map((entry) => ({
          account_id: accountId,
          id: newId("aud"),
          at,
          actor_type: actor.type,
          actor_id: actor.id,
          actor_name: actor.name,
          action: entry.action,
          target_type: entry.target.type,
          target_id: entry.target.id,
          target_name: entry.target.name ?? null,
          details: JSON.stringify(entry.details ?? {}),
        })),
      )
      .execute();
  }
}

/**
 * One INSERT of audit rows by their actors, for a larger statement; null when there are none.
 * The rows travel as one JSON parameter, so a change of any size fits in its one statement
 * (a VALUES list with eleven bind parameters a row ran out of PostgreSQL's 65,535 near 6,000 rows).
 */
export function auditInsert(accountId: string, rows: { actor: AuditActor; entry: AuditEntry }[]): RawBuilder<unknown> | null {
  if (rows.length === 0) return null;
  const at = new Date();
  const records = rows.map(({ actor, entry }) => ({
    id: newId("aud"),
    actor_type: actor.type,
    actor_id: actor.id,
    actor_name: actor.name,
    action: entry.action,
    target_type: entry.target.type,
    target_id: entry.target.id,
    target_name: entry.target.name ?? null,
    details: entry.details ?? {},
  }));
  return sql`
    INSERT INTO audit_log (account_id, id, at, actor_type, actor_id, actor_name, action, target_type, target_id, target_name, details)
    SELECT ${accountId}, r.id, ${at}::timestamptz, r.actor_type, r.actor_id, r.actor_name, r.action, r.target_type, r.target_id, r.target_name, r.details
    FROM jsonb_to_recordset(${JSON.stringify(records)}::jsonb)
      AS r(id text, actor_type text, actor_id text, actor_name text, action text, target_type text, target_id text, target_name text, details jsonb)`;
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  /** Entries about this user, group, token… (index audit_log_by_target). */
  target?: string;
  after?: { at: string; id: string };
  limit: number;
}

export async function listAudit(db: Db, accountId: string, filter: AuditFilter): Promise<AuditRow[]> {
  let query = db
    .selectFrom("audit_log")
    .selectAll()
    .where("account_id", "=", accountId)
    .orderBy("at", "desc")
    .orderBy("id", "desc")
    .limit(filter.limit + 1);
  if (filter.actor) query = query.where("actor_id", "=", filter.actor);
  if (filter.target) query = query.where("target_id", "=", filter.target);
  if (filter.action) {
    // `seat` matches every `seat.*` action; `seat.granted` matches itself.
    const action = filter.action;
    query = query.where((eb) => eb.or([eb("action", "=", action), eb("action", "like", `${action.replace(/[\\%_]/g, "\\$&")}.%`)]));
  }
  if (filter.after) {
    const { at, id } = filter.after;
    query = query.where((eb) => eb.or([eb("at", "<", new Date(at)), eb.and([eb("at", "=", new Date(at)), eb("id", "<", id)])]));
  }
  return query.execute();
}
