// The demo account that `npm start` seeds on an empty database: the seed's three
// products, an admin who is the billing contact, 2 named and 10 concurrent seats of
// "Remote Support v5" shared by 15 agents, and a manager with limited privileges.
import type { Db } from "../store/database.js";
import { newId } from "../domain/ids.js";
import { insertAccount } from "../store/account.repository.js";
import { insertAudit } from "../store/audit.repository.js";
import { findProductBySlug, insertProduct } from "../store/product.repository.js";
import { upsertSubscription } from "../store/subscription.repository.js";
import { upsertAssignment } from "../store/seat.repository.js";
import { insertUser } from "../store/user.repository.js";
import { SYSTEM_ACTOR } from "./context.js";
import { hashPassword } from "./crypto.js";

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
}

export async function seedDemo(db: Db): Promise<DemoAccount> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return db.transaction().execute(async (tx) => {
    const products: Record<string, string> = {};
    for (const p of DEMO_PRODUCTS) {
      const product = (await insertProduct(tx, { id: newId("prod"), slug: p.slug, name: p.name })) ?? (await findProductBySlug(tx, p.slug))!;
      products[p.slug] = product.id;
    }
    const account = await insertAccount(tx, { id: newId("acct"), name: "Demo Company" });
    await insertAudit(tx, account.id, SYSTEM_ACTOR, { action: "account.created", target: { type: "account", id: account.id, name: account.name } });
    for (const p of DEMO_PRODUCTS) await upsertSubscription(tx, account.id, products[p.slug], p.named, p.concurrent);

    const add = async (email: string, name: string, role: "admin" | "manager" | "agent", extra: { privileges?: string[]; billingContact?: boolean } = {}) => {
      const user = await insertUser(tx, {
        accountId: account.id, id: newId("usr"), email, name, role,
        privileges: extra.privileges ?? [], billingContact: extra.billingContact ?? false, passwordHash,
      });
      return user!;
    };
    await add(DEMO_ADMIN_EMAIL, "Alice Martin", "admin", { billingContact: true });
    await add("manager@demo.seatkeeper.test", "Marc Dubois", "manager", { privileges: ["seats:manage"] });
    const rs5 = products["remote-support-v5"];
    for (const [i, name] of ["Nadia Leroy", "Olivier Petit"].entries()) {
      const u = await add(`named${i + 1}@demo.seatkeeper.test`, name, "agent");
      await upsertAssignment(tx, account.id, u.id, rs5, "named", "manual");
    }
    const agentNames = [
      "Amélie Bernard", "Bruno Thomas", "Camille Robert", "David Richard", "Emma Durand", "François Moreau", "Gabrielle Simon",
      "Hugo Laurent", "Inès Lefebvre", "Julien Michel", "Karine Garcia", "Louis David", "Manon Bertrand", "Nicolas Roux", "Océane Vincent",
    ];
    for (const [i, name] of agentNames.entries()) {
      const u = await add(`agent${i + 1}@demo.seatkeeper.test`, name, "agent");
      await upsertAssignment(tx, account.id, u.id, rs5, "concurrent", "manual");
      if (i < 4) await upsertAssignment(tx, account.id, u.id, products["remote-support"], "concurrent", "manual");
    }
    await insertAudit(tx, account.id, SYSTEM_ACTOR, {
      action: "demo.seeded",
      target: { type: "account", id: account.id, name: account.name },
      details: { users: agentNames.length + 4 },
    });
    return { accountId: account.id, email: DEMO_ADMIN_EMAIL, password: DEMO_PASSWORD };
  });
}
