// What the agent-facing use cases share in one process: the database, the signal bus, the
// per-pool decision batcher, the heartbeat batcher and two small read-through caches of
// things that never change once written (products, the product of a support session).
import { notFound } from "../domain/errors.js";
import type { DatabaseHandle, Db } from "../store/database.js";
import { findProductById, findProductBySlug } from "../store/product.repository.js";
import type { HeartbeatResult } from "../store/shared-session.repository.js";
import type { ProductRow } from "../store/schema.js";
import { heartbeatBatch } from "./agent-session.service.js";
import { GroupCommit } from "./group-commit.js";
import { PoolBatcher } from "./seat-pool.batcher.js";
import { SignalBus } from "./signals.js";

/** How many support sessions' products each process remembers. */
export const SESSION_PRODUCTS_CACHED = 100_000;

/** Products are never deleted and never change id or slug: caching them is safe in every process. */
export class ProductCache {
  private readonly bySlugs = new Map<string, ProductRow>();
  private readonly byIds = new Map<string, ProductRow>();

  constructor(private readonly db: Db) {}

  async bySlug(slug: string): Promise<ProductRow> {
    const product = this.bySlugs.get(slug) ?? (await findProductBySlug(this.db, slug));
    if (!product) throw notFound("product");
    return this.keep(product);
  }

  async byId(id: string): Promise<ProductRow> {
    const product = this.byIds.get(id) ?? (await findProductById(this.db, id));
    if (!product) throw notFound("product");
    return this.keep(product);
  }

  private keep(product: ProductRow): ProductRow {
    this.bySlugs.set(product.slug, product);
    this.byIds.set(product.id, product);
    return product;
  }
}

/** A bounded map, oldest entries dropped first. */
export class BoundedMap<K, V> {
  private readonly map = new Map<K, V>();

  constructor(private readonly max: number) {}

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  remember(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as K);
  }

  forget(key: K): void {
    this.map.delete(key);
  }
}

export interface Engine {
  db: Db;
  bus: SignalBus;
  pools: PoolBatcher;
  heartbeats: GroupCommit<{ accountId: string; userId: string }, HeartbeatResult>;
  products: ProductCache;
  sessionProducts: BoundedMap<string, string>;
}

export async function startEngine(database: DatabaseHandle): Promise<Engine> {
  const db = database.db;
  return {
    db,
    bus: await SignalBus.start(database.side),
    pools: new PoolBatcher(db),
    heartbeats: new GroupCommit(heartbeatBatch(db)),
    products: new ProductCache(db),
    sessionProducts: new BoundedMap(SESSION_PRODUCTS_CACHED),
  };
}
