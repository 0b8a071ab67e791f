import { Type } from "typebox";
import { DormantSeats, DormantSettings, ReclaimResult, StringEnum } from "../../../../domain/shapes.js";
import { getDormantSettings, listDormantSeats, MAX_DORMANT_LIST, reclaimByAdmin, updateDormantSettings } from "../../../../services/dormant-seat.service.js";
import { userOf } from "../../../plugins/auth.js";
import { Id, Slug, problems } from "../../../schemas.js";
import type { App, RouteDeps } from "../../../types.js";

const SeatRef = Type.Object({ userId: Id, product: Slug }, { additionalProperties: false });

export function register(app: App, { db }: RouteDeps): void {
  const seatsManage = { access: { auth: "user" as const, privilege: "seats:manage" as const } };
  const admin = { access: { auth: "user" as const, admin: true as const } };

  app.get("/api/v1/dormant-seats", {
    config: seatsManage,
    schema: {
      tags: ["seats"],
      summary: "Named seats whose holder has not used the product for `days` (the account's setting by default), longest idle first",
      querystring: Type.Object({ product: Type.Optional(Slug), days: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 })) }, { additionalProperties: false }),
      response: { 200: DormantSeats, ...problems(400, 401, 403, 404) },
    },
    handler: async (request) => listDormantSeats(db, userOf(request), request.query),
  });

  app.post("/api/v1/dormant-seats/reclaim", {
    config: seatsManage,
    schema: {
      tags: ["seats"],
      summary: "Convert dormant named seats to concurrent ones, or revoke them, in bulk (a seat used meanwhile is skipped)",
      body: Type.Object(
        {
          action: StringEnum(["convert", "revoke"]),
          seats: Type.Array(SeatRef, { minItems: 1, maxItems: MAX_DORMANT_LIST }),
          days: Type.Optional(Type.Integer({ minimum: 0, maximum: 365, description: "the period the seats were listed with; the account's setting by default" })),
        },
        { additionalProperties: false },
      ),
      response: { 200: ReclaimResult, ...problems(400, 401, 403, 404) },
    },
    handler: async (request) => reclaimByAdmin(db, userOf(request), request.body),
  });

  app.get("/api/v1/dormant-seats/settings", {
    config: admin,
    schema: { tags: ["seats"], summary: "When a named seat counts as dormant, and whether dormant seats are reclaimed automatically", response: { 200: DormantSettings, ...problems(401, 403) } },
    handler: async (request) => getDormantSettings(db, userOf(request)),
  });

  app.put("/api/v1/dormant-seats/settings", {
    config: admin,
    schema: {
      tags: ["seats"],
      summary: "Change the dormancy period and automatic reclaim (audited; the sweeper reclaims once a minute)",
      body: Type.Object(DormantSettings.properties, { additionalProperties: false }),
      response: { 200: DormantSettings, ...problems(400, 401, 403) },
    },
    handler: async (request) => updateDormantSettings(db, userOf(request), request.body),
  });
}
