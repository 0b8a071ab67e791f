import { sql } from "kysely";
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

export async function findProductById(db: Db, id: string): Promise<ProductRow | undefined> {
  return db.selectFrom("products").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function findProductsByIds(db: Db, ids: string[]): Promise<ProductRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom("products").selectAll().where("id", "in", ids).execute();
}

export async function findProductsBySlugs(db: Db, slugs: string[]): Promise<ProductRow[]> {
  if (slugs.length === 0) return [];
  // One array parameter, however many slugs (an IN list binds one each, and PostgreSQL allows 65,535).
  return db.selectFrom("products").selectAll().where(sql<boolean>`slug = ANY(${slugs}::text[])`).execute();
}
