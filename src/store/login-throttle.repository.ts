import { sql } from "kysely";
import type { Db } from "./database.js";

/**
 * Serialises sign-in attempts per email and per client address for the rest of the
 * transaction, so that counting the window and recording an attempt are one step.
 */
export async function lockLoginKeys(db: Db, emailLower: string, clientIp: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`login:email:${emailLower}`}))`.execute(db);
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`login:ip:${clientIp}`}))`.execute(db);
}

export async function recordLoginFailure(db: Db, emailLower: string, clientIp: string): Promise<number> {
  const row = await db
    .insertInto("login_failures")
    .values({ email_lower: emailLower, client_ip: clientIp, at: new Date() })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function deleteLoginFailure(db: Db, id: number): Promise<void> {
  await db.deleteFrom("login_failures").where("id", "=", id).execute();
}

export interface FailureWindow {
  count: number;
  /** The oldest failure still in the window: the limit lifts when it leaves. */
  oldest: Date | null;
}

export async function failuresByEmail(db: Db, emailLower: string, since: Date): Promise<FailureWindow> {
  const row = await db
    .selectFrom("login_failures")
    .select((eb) => [eb.fn.countAll<number>().as("count"), eb.fn.min("at").as("oldest")])
    .where("email_lower", "=", emailLower)
    .where("at", ">", since)
    .executeTakeFirstOrThrow();
  return { count: Number(row.count), oldest: (row.oldest as Date | null) ?? null };
}

export async function failuresByIp(db: Db, clientIp: string, since: Date): Promise<FailureWindow> {
  const row = await db
    .selectFrom("login_failures")
    .select((eb) => [eb.fn.countAll<number>().as("count"), eb.fn.min("at").as("oldest")])
    .where("client_ip", "=", clientIp)
    .where("at", ">", since)
    .executeTakeFirstOrThrow();
  return { count: Number(row.count), oldest: (row.oldest as Date | null) ?? null };
}

export async function purgeLoginFailures(db: Db, before: Date): Promise<void> {
  await db.deleteFrom("login_failures").where("at", "<", before).execute();
}
