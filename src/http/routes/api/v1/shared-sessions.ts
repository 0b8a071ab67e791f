import { Type } from "typebox";
import { endSharedSessionsByAdmin, listReleaseRequests, listSharedSessions } from "../../../../services/shared-session.service.js";
import { usageCsv, usageSeries } from "../../../../services/usage.service.js";
import { DomainError } from "../../../../domain/errors.js";
import { userOf } from "../../../plugins/auth.js";
import { EndedSharedSessions, ReleaseRequest, SharedSession, Timestamp, Usage, page } from "../../../../domain/shapes.js";
import { PageQuery, Slug, problems } from "../../../schemas.js";
import type { App, RouteDeps } from "../../../types.js";

export function register(app: App, { db, engine }: RouteDeps): void {
  const manageSeats = { access: { auth: "user" as const, privilege: "seats:manage" as const } };

  app.get("/api/v1/shared-sessions", {
    config: manageSeats,
    schema: {
      tags: ["shared sessions"],
      summary: "Current shared sessions, longest-held first (S9)",
      querystring: Type.Object({ product: Type.Optional(Slug), ...PageQuery }, { additionalProperties: false }),
      response: { 200: page(SharedSession), ...problems(400, 401, 403, 404) },
    },
    handler: async (request) => listSharedSessions(db, userOf(request), request.query),
  });

  app.post("/api/v1/shared-sessions/end", {
    config: manageSeats,
    schema: {
      tags: ["shared sessions"],
      summary: "End shared sessions; the seats are free and waiters served when this returns",
      body: Type.Object(
        { ids: Type.Array(Type.String({ maxLength: 100 }), { minItems: 1, maxItems: 500 }), reason: Type.Optional(Type.String({ maxLength: 200 })) },
        { additionalProperties: false },
      ),
      response: { 200: EndedSharedSessions, ...problems(400, 401, 403) },
    },
    handler: async (request) => endSharedSessionsByAdmin(engine.db, userOf(request), request.body.ids, request.body.reason),
  });

  app.get("/api/v1/release-requests", {
    config: manageSeats,
    schema: {
      tags: ["shared sessions"],
      summary: "Open requests from agents asking to free a seat (S6), newest first",
      querystring: Type.Object(PageQuery, { additionalProperties: false }),
      response: { 200: page(ReleaseRequest), ...problems(400, 401, 403) },
    },
    handler: async (request) => listReleaseRequests(db, userOf(request), request.query),
  });

  app.get("/api/v1/usage", {
    config: { access: { auth: "user", staff: true } },
    schema: {
      tags: ["usage"],
      summary: "Seats in use over time, refusals and waits (S11); Accept: text/csv for CSV",
      querystring: Type.Object(
        {
          product: Slug,
          from: Type.Optional(Timestamp),
          to: Type.Optional(Timestamp),
          step: Type.Optional(Type.Integer({ minimum: 1, maximum: 31 * 24 * 3600 })),
        },
        { additionalProperties: false },
      ),
      response: { 200: Usage, ...problems(400, 401, 403, 404, 406) },
    },
    handler: async (request, reply) => {
      const accept = request.headers.accept ?? "application/json";
      const wantsCsv = /text\/csv/.test(accept);
      if (!wantsCsv && !/application\/json|\*\/\*|^$/.test(accept)) throw new DomainError("NOT_ACCEPTABLE");
      const series = await usageSeries(db, userOf(request), request.query);
      if (!wantsCsv) return series;
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="usage-${series.product}.csv"`)
        .serializer((x: unknown) => x as string)
        .send(usageCsv(series.items) as never);
    },
  });
}
