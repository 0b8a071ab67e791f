import { Type } from "typebox";
import { listGroups, removeGroupSeat, setGroupSeat } from "../../../../services/group-seat.service.js";
import { userOf } from "../../../plugins/auth.js";
import { Group, SeatType, page } from "../../../../domain/shapes.js";
import { IdParam, NoContent, PageQuery, Slug, problems } from "../../../schemas.js";
import type { App, RouteDeps } from "../../../types.js";

const GroupParams = Type.Object({ id: IdParam });

export function register(app: App, { db }: RouteDeps): void {
  const manageSeats = { access: { auth: "user" as const, privilege: "seats:manage" as const } };

  app.get("/api/v1/groups", {
    config: { access: { auth: "user", staff: true } },
    schema: {
      tags: ["groups"],
      summary: "Groups provisioned by SCIM, with member counts, their seat mapping and warnings",
      querystring: Type.Object(PageQuery, { additionalProperties: false }),
      response: { 200: page(Group), ...problems(400, 401, 403) },
    },
    handler: async (request) => listGroups(db, userOf(request), request.query),
  });

  app.put("/api/v1/groups/:id/seat", {
    config: manageSeats,
    schema: {
      tags: ["groups"],
      summary: "Members of the group get this seat (S7); leaving the group revokes it",
      params: GroupParams,
      body: Type.Object({ product: Slug, type: SeatType }, { additionalProperties: false }),
      response: { 200: Group, ...problems(400, 401, 403, 404, 409) },
    },
    handler: async (request) => setGroupSeat(db, userOf(request), request.params.id, request.body),
  });

  app.delete("/api/v1/groups/:id/seat", {
    config: manageSeats,
    schema: {
      tags: ["groups"],
      summary: "Remove the group's seat mapping; the seats it gave are revoked",
      params: GroupParams,
      response: { 204: NoContent, ...problems(401, 403, 404) },
    },
    handler: async (request, reply) => {
      await removeGroupSeat(db, userOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  });
}
