// Builds the Seatkeeper HTTP app, read top to bottom: framework plugins, then our
// cross-cutting plugins (validation, errors, auth, idempotency, metrics), then routes.
// Listening is separate (src/cli/serve.ts), so tests use app.inject().
import Fastify from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { Config } from "../config.js";
import type { DatabaseHandle } from "../store/database.js";
import { startEngine } from "../services/engine.js";
import { startSweeper } from "../services/sweeper.js";
import { productDisplayName } from "../services/product.service.js";
import { startWebhookWorker } from "../services/webhook-worker.js";
import { secretBox } from "../services/webhook-secret.js";
import { LeaseSigner } from "../services/lease-keys.service.js";
import { pickLanguage, type Language } from "../domain/messages.js";
import { newId } from "../domain/ids.js";
import { installBodyParsers } from "./plugins/body-parsers.js";
import { installResponseCheck, installValidators } from "./plugins/validation.js";
import { answerRoutingError, installErrorHandling, MAX_PARAM_LENGTH } from "./plugins/errors.js";
import { installAuth } from "./plugins/auth.js";
import { installIdempotency } from "./plugins/idempotency.js";
import { createMetrics, installMetrics } from "./plugins/metrics.js";
import { findWebDist, installAdminCenter } from "./plugins/admin-center.js";
import { loggerOptions } from "./plugins/logging.js";
import { docsContentSecurityPolicy, installSecurityHeaders } from "./plugins/security-headers.js";
import * as ops from "./routes/ops.js";
import * as jwks from "./routes/jwks.js";
import * as products from "./routes/api/v1/products.js";
import * as accounts from "./routes/api/v1/accounts.js";
import * as auth from "./routes/api/v1/auth.js";
import * as users from "./routes/api/v1/users.js";
import * as userImport from "./routes/api/v1/user-import.js";
import * as account from "./routes/api/v1/account.js";
import * as me from "./routes/api/v1/me.js";
import * as sharedSessions from "./routes/api/v1/shared-sessions.js";
import * as scimTokens from "./routes/api/v1/scim-tokens.js";
import * as groups from "./routes/api/v1/groups.js";
import * as webhooks from "./routes/api/v1/webhooks.js";
import * as usageAdvice from "./routes/api/v1/usage-advice.js";
import * as dormantSeats from "./routes/api/v1/dormant-seats.js";
import * as scim from "./routes/scim/v2/index.js";

export const BODY_LIMIT = 1024 * 1024;
export const SHUTDOWN_GRACE_MS = 3000;

declare module "fastify" {
  interface FastifyRequest {
    lang: Language;
  }
}

export interface AppOptions {
  config: Config;
  database: DatabaseHandle;
  /** false in tests that want quiet output. */
  logger?: boolean;
  /** false where a test drives sweeps itself. */
  sweeper?: boolean;
  /** true in tests: every JSON answer must match its response schema exactly (else a 500 naming the mismatch). */
  checkResponses?: boolean;
}

export async function buildApp({ config, database, logger = true, sweeper = true, checkResponses = false }: AppOptions) {
  const db = database.db;
  const app = Fastify({
    ...(logger ? loggerOptions(config) : { logger: false }),
    bodyLimit: BODY_LIMIT,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: answerRoutingError,
    trustProxy: config.trustProxy,
    genReqId: () => newId("req" as never),
    rewriteUrl: (request) => scim.canonicalScimUrl(request.url ?? "/"),
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorateRequest("lang", "en");
  app.addHook("onRequest", async (request) => {
    request.lang = pickLanguage(request.headers["accept-language"]);
  });

  installSecurityHeaders(app);
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: { title: "Seatkeeper API", version: "1.0.0", description: "Named and concurrent seats, shared sessions, a fair wait queue." },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: "/docs", transformStaticCSP: docsContentSecurityPolicy });

  installBodyParsers(app);
  installValidators(app);
  if (checkResponses) installResponseCheck(app);
  installErrorHandling(app, (slug) => productDisplayName(db, slug));
  installAuth(app, db, config.operatorToken);
  installIdempotency(app, db);
  const metrics = createMetrics();
  installMetrics(app, metrics);

  const engine = await startEngine(database);
  // Shutting down: waits and event streams answer at once, every connection closes after
  // its answer, and whatever is still open after a grace period (a client not reading its
  // answer, say) is cut, so that a rolling restart takes seconds.
  app.addHook("preClose", async () => {
    engine.bus.shutdown();
    setTimeout(() => app.server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
  });
  app.addHook("onResponse", async (request) => {
    if (engine.bus.isClosing) request.raw.socket?.end();
  });
  if (sweeper) {
    const stop = startSweeper(database, config.sweepIntervalMs, (error) => app.log.error({ err: error }, "sweep failed"));
    app.addHook("onClose", stop);
  }
  if (config.webhooks.deliver) {
    const worker = startWebhookWorker(db, config, secretBox(config), (error) => app.log.error({ err: error }, "webhook delivery failed"));
    app.addHook("onClose", () => worker.stop());
  }

  const leases = await LeaseSigner.open(db, config, (error) => app.log.warn({ err: error }, "lease key reload failed"));
  const deps = { db, config, engine, leases };
  ops.register(app, deps, metrics);
  jwks.register(app, deps);
  app.get("/openapi.json", { config: { access: { auth: "public" } }, schema: { hide: true } }, async () => app.swagger());
  products.register(app, deps);
  accounts.register(app, deps);
  auth.register(app, deps);
  users.register(app, deps);
  userImport.register(app, deps);
  account.register(app, deps);
  sharedSessions.register(app, deps);
  me.register(app, deps);
  scimTokens.register(app, deps);
  groups.register(app, deps);
  webhooks.register(app, deps);
  usageAdvice.register(app, deps);
  dormantSeats.register(app, deps);
  await scim.register(app, deps);

  const webDist = findWebDist();
  if (webDist) await installAdminCenter(app, webDist);
  else app.log.warn("The admin center is not built (web/dist/index.html is missing): only the API is served. `npm run build` builds it.");

  return app;
}
