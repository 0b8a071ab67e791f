import { DomainError, notFound } from "../domain/errors.js";
import { newId } from "../domain/ids.js";
import type { Db } from "../store/database.js";
import { decodeCursor, toPage } from "../store/pagination.js";
import { findProductBySlug, insertProduct, listProducts } from "../store/product.repository.js";
import type { ProductRow } from "../store/schema.js";
import { productView } from "./views.js";
import type { Page, Product } from "../domain/shapes.js";

export async function createProduct(db: Db, input: { slug: string; name: string }): Promise<Product> {
  const product = await insertProduct(db, { id: newId("prod"), slug: input.slug, name: input.name });
  if (!product) throw new DomainError("PRODUCT_EXISTS", { slug: input.slug });
  return productView(product);
}

export async function listCatalogue(db: Db, limit: number, cursor: string | undefined): Promise<Page<Product>> {
  const after = decodeCursor(cursor, ["text"])?.[0];
  const rows = await listProducts(db, after, limit + 1);
  return toPage(rows, limit, (p) => [p.slug], productView);
}

/** Products are named by slug everywhere; an unknown slug is a 404. */
export async function requireProduct(db: Db, slug: string): Promise<ProductRow> {
  const product = await findProductBySlug(db, slug);
  if (!product) throw notFound("product");
  return product;
}
