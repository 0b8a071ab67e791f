import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { Config } from "../config.js";
import type { Db } from "../store/database.js";
import type { Engine } from "../services/engine.js";
import type { LeaseSigner } from "../services/lease-keys.service.js";

/** The Fastify instance routes register on, typed by their TypeBox schemas. */
export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export interface RouteDeps {
  db: Db;
  config: Config;
  engine: Engine;
  /** Signs the lease tokens of granted seats. */
  leases: LeaseSigner;
}
