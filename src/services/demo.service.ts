// The demo account that `npm start` seeds on an empty database: the seed's three
// products, an admin who is the billing contact, 2 named and 10 concurrent seats of
// "Remote Support v5" shared by 15 agents, and a manager with limited privileges. The 15
// agents' last 24 hours on that pool are recorded through the seat core, so usage,
// shortages and the seat-sizing advice have a day to show.
import type { Db } from "../store/database.js";
import { newId } from "../domain/ids.js";
import { insertAccount } from "../store/account.repository.js";
import { purgeAgentEvents } from "../store/agent-event.repository.js";
import { insertAudit } from "../store/audit.repository.js";
import { findProductBySlug, insertProduct } from "../store/product.repository.js";
import type { ProductRow } from "../store/schema.js";
import { upsertSubscription } from "../store/subscription.repository.js";
import { upsertAssignment } from "../store/seat.repository.js";
import { insertUser } from "../store/user.repository.js";
import { SYSTEM_ACTOR } from "./context.js";
import { hashPassword } from "./crypto.js";
import { recordDemoDay, type RecordedDay } from "./demo-history.service.js";

export const DEMO_ADMIN_EMAIL = "admin@demo.seatkeeper.test";
export const DEMO_PASSWORD = "seatkeeper-demo";

export const DEMO_PRODUCTS = [
  { slug: "remote-support-v5", name: "Remote Support v5", named: 2, concurrent: 10 },
  { slug: "remote-support", name: "Remote Support", named: 3, concurrent: 5 },
  { slug: "service-desk", name: "Service Desk", named: 5, concurrent: 0 },
] as const;

export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  const row = await db.selectFrom("accounts").select("id").limit(1).executeTakeFirst();
  return row === undefined;
}

export interface DemoAccount {
  accountId: string;
  email: string;
  password: string;
  /** The recorded day of "Remote Support v5". */
  day: RecordedDay;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Seeds the demo; its recorded day ends at `now` (the same seed always gives the same day). */
export async function seedDemo(db: Db, options: { now?: Date; seed?: number } = {}): Promise<DemoAccount> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return db.transaction().execute(async (tx) => {
    const products: Record<string, ProductRow> = {};
    for (const p of DEMO_PRODUCTS) {
      products[p.slug] = (await insertProduct(tx, { id: newId("prod"), slug: p.slug, name: p.name })) ?? (await findProductBySlug(tx, p.slug))!;
    }
    const account = await insertAccount(tx, { id: newId("acct"), name: "Demo Company" });
    await insertAudit(tx, account.id, SYSTEM_ACTOR, { action: "account.created", target: { type: "account", id: account.id, name: account.name } });
    for (const p of DEMO_PRODUCTS) await upsertSubscription(tx, account.id, products[p.slug].id, p.named, p.concurrent);

    const add = async (email: string, name: string, role: "admin" | "manager" | "agent", extra: { privileges?: string[]; billingContact?: boolean } = {}) => {
      const user = await insertUser(tx, {
        accountId: account.id, id: newId("usr"), email, name, role,
        privileges: extra.privileges ?? [], billingContact: extra.billingContact ?? false, passwordHash,
      });
      return user!;
    };
    await add(DEMO_ADMIN_EMAIL, "Alice Martin", "admin", { billingContact: true });
    await add("manager@demo.seatkeeper.test", "Marc Dubois", "manager", { privileges: ["seats:manage"] });
    const rs5 = products["remote-support-v5"].id;
    for (const [i, name] of ["Nadia Leroy", "Olivier Petit"].entries()) {
      const u = await add(`named${i + 1}@demo.seatkeeper.test`, name, "agent");
      await upsertAssignment(tx, account.id, u.id, rs5, "named", "manual");
    }
    const agentNames = [
      "Amélie Bernard", "Bruno Thomas", "Camille Robert", "David Richard", "Emma Durand", "François Moreau", "Gabrielle Simon",
      "Hugo Laurent", "Inès Lefebvre", "Julien Michel", "Karine Garcia", "Louis David", "Manon Bertrand", "Nicolas Roux", "Océane Vincent",
    ];
    const sharing: string[] = [];
    for (const [i, name] of agentNames.entries()) {
      const u = await add(`agent${i + 1}@demo.seatkeeper.test`, name, "agent");
      await upsertAssignment(tx, account.id, u.id, rs5, "concurrent", "manual");
      if (i < 4) await upsertAssignment(tx, account.id, u.id, products["remote-support"].id, "concurrent", "manual");
      sharing.push(u.id);
    }
    const to = options.now ?? new Date();
    const day = await recordDemoDay(tx, {
      accountId: account.id, product: products["remote-support-v5"], userIds: sharing, from: new Date(to.getTime() - DAY_MS), to, seed: options.seed ?? 2026,
    });
    // What the agents' apps were told during that day is not news to a stream opened now.
    await purgeAgentEvents(tx, new Date(), account.id);
    await insertAudit(tx, account.id, SYSTEM_ACTOR, {
      action: "demo.seeded",
      target: { type: "account", id: account.id, name: account.name },
      details: { users: agentNames.length + 4 },
    });
    return { accountId: account.id, email: DEMO_ADMIN_EMAIL, password: DEMO_PASSWORD, day };
  });
}
