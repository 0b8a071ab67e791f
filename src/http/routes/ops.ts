import { sql } from "kysely";
import { Type } from "typebox";
import { pendingMigrations } from "../../store/database.js";
import { problem, sendProblem } from "../problem.js";
import type { Metrics } from "../plugins/metrics.js";
import { problems } from "../schemas.js";
import type { App, RouteDeps } from "../types.js";

export function register(app: App, { db }: RouteDeps, metrics: Metrics): void {
  const publicRoute = { access: { auth: "public" as const } };
  app.get("/healthz", {
    config: publicRoute,
    schema: { tags: ["operations"], summary: "The process is up", response: { 200: Type.Object({ status: Type.Literal("ok") }) } },
    handler: async () => ({ status: "ok" as const }),
  });

  app.get("/readyz", {
    config: publicRoute,
    schema: { tags: ["operations"], summary: "The database answers and every migration is applied", response: { 200: Type.Object({ status: Type.Literal("ready") }), ...problems(503) } },
    handler: async (request, reply) => {
      try {
        await sql`SELECT 1`.execute(db);
        const pending = await pendingMigrations(db);
        if (pending.length > 0) return sendProblem(reply, problem(request, "SERVICE_UNAVAILABLE", {}, { pendingMigrations: pending }));
        return { status: "ready" as const };
      } catch (error) {
        request.log.warn({ err: error }, "readiness check failed");
        return sendProblem(reply, problem(request, "SERVICE_UNAVAILABLE"));
      }
    },
  });

  app.get("/metrics", {
    config: publicRoute,
    schema: { tags: ["operations"], summary: "Prometheus metrics", hide: false },
    handler: async (_request, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  });
}
