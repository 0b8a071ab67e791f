import type { Db } from "./database.js";
import type { ProductRow } from "./schema.js";

export async function insertProduct(db: Db, product: { id: string; slug: string; name: string }): Promise<ProductRow | undefined> {
  return db
    .insertInto("products")
    .values(product)
    .onConflict((oc) => oc.column("slug").doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function findProductBySlug(db: Db, slug: string): Promise<ProductRow | undefined> {
  return db.selectFrom("products").selectAll().where("slug", "=", slug).executeTakeFirst();
}

export async function listProducts(db: Db, after: string | undefined, limit: number): Promise<ProductRow[]> {
  let query = db.selectFrom("products").selectAll().orderBy("slug").limit(limit);
  if (after !== undefined) query = query.where("slug", ">", after);
  return query.execute();
}
