import { Type } from "typebox";
import { DomainError } from "../../../../domain/errors.js";
import { SeatAdvice, StringEnum } from "../../../../domain/shapes.js";
import { adviceCsv, seatAdvice } from "../../../../services/usage-advice.service.js";
import { userOf } from "../../../plugins/auth.js";
import { Slug, problems } from "../../../schemas.js";
import type { App, RouteDeps } from "../../../types.js";

export function register(app: App, { db }: RouteDeps): void {
  app.get("/api/v1/usage/advice", {
    config: { access: { auth: "user", staff: true } },
    schema: {
      tags: ["usage"],
      summary: "Seat-sizing advice: the recorded demand of the last 7 or 30 days replayed against other capacities (CSV with Accept: text/csv or format=csv)",
      description:
        "Replays every recorded request (seats taken, refusals, waits, waits given up) with the pool's own first-come-first-served rules against each capacity from half to twice today's, and answers refusals and the 95th-percentile wait for each.",
      querystring: Type.Object(
        { product: Slug, days: Type.Optional(Type.Integer({ minimum: 1, maximum: 30, description: "7 (default) or 30" })), format: Type.Optional(StringEnum(["json", "csv"])) },
        { additionalProperties: false },
      ),
      response: { 200: SeatAdvice, ...problems(400, 401, 403, 404, 406) },
    },
    handler: async (request, reply) => {
      const accept = request.headers.accept ?? "application/json";
      const wantsCsv = request.query.format === "csv" || (request.query.format === undefined && /text\/csv/.test(accept));
      if (!wantsCsv && request.query.format === undefined && !/application\/json|\*\/\*|^$/.test(accept)) throw new DomainError("NOT_ACCEPTABLE");
      const advice = await seatAdvice(db, userOf(request), request.query);
      if (!wantsCsv) return advice;
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="seat-advice-${advice.product}-${advice.days}d.csv"`)
        .serializer((x: unknown) => x as string)
        .send(adviceCsv(advice.items) as never);
    },
  });
}
