import { Type, type TSchema } from "typebox";
import { countMatchingUsers, createUser, deleteUser, getUser, getUserActivity, listUsers, updateUser, USER_SORTS } from "../../../../services/user.service.js";
import { changeSeats, grantSeat, revokeSeat } from "../../../../services/seat.service.js";
import { userOf } from "../../../plugins/auth.js";
import { BulkSeatResult, PrivilegeList, Role, SeatType, User, UserActivity, UserCount, page } from "../../../../domain/shapes.js";
import { Email, Id, IdParam, Name, PageQuery, Password, Slug, problems, NoContent } from "../../../schemas.js";
import type { App, RouteDeps } from "../../../types.js";

const UserParams = Type.Object({ id: IdParam });

const UserFilters = {
  seat: Type.Optional(Type.String({ maxLength: 120, description: "<product>:named or <product>:concurrent; extension: none, users without any seat" })),
  q: Type.Optional(Type.String({ maxLength: 200 })),
  role: Type.Optional(Role),
  active: Type.Optional(Type.Boolean()),
};

/** Which users: these (unknown ids are ignored), or every user matching the users list's filters. */
const BulkTarget = {
  users: Type.Array(Id, { minItems: 1, maxItems: 10_000, description: "these users (unknown ids are ignored)" }),
  filter: Type.Object(UserFilters, { additionalProperties: false, description: "every user matching the users list's filters" }),
};

function bulkBody<P extends Record<string, TSchema>>(extra: P) {
  return Type.Union([
    Type.Object({ ...extra, users: BulkTarget.users }, { additionalProperties: false }),
    Type.Object({ ...extra, filter: BulkTarget.filter }, { additionalProperties: false }),
  ]);
}

export function register(app: App, { db }: RouteDeps): void {
  app.get("/api/v1/users", {
    config: { access: { auth: "user", staff: true } },
    schema: {
      tags: ["users"],
      summary: "Users, filtered by seat (S8), substring of name or email, role and status",
      querystring: Type.Object(
        {
          ...UserFilters,
          sort: Type.Optional(
            Type.Union(USER_SORTS.map((s) => Type.Literal(s)), {
              description: "extension: name (the default: accents and case ignored, Élodie before Zoé) or email, - for descending; a cursor continues its own sort",
            }),
          ),
          ...PageQuery,
        },
        { additionalProperties: false },
      ),
      response: { 200: page(User), ...problems(400, 401, 403, 404) },
    },
    handler: async (request) => listUsers(db, userOf(request), request.query),
  });

  app.get("/api/v1/users/count", {
    config: { access: { auth: "user", staff: true } },
    schema: {
      tags: ["users"],
      summary: "Extension: how many users match the users list's filters",
      querystring: Type.Object(UserFilters, { additionalProperties: false }),
      response: { 200: UserCount, ...problems(400, 401, 403, 404) },
    },
    handler: async (request) => countMatchingUsers(db, userOf(request), request.query),
  });

  app.put("/api/v1/users/seats/:product", {
    config: { access: { auth: "user", privilege: "seats:manage" } },
    schema: {
      tags: ["seats"],
      summary: "Extension: grant one seat to many users at once (listed, or every user matching a filter), in one transaction",
      description:
        "Replaces each user's other type for that product, as PUT /users/{id}/seats/{product} does. Named seats are all or nothing: " +
        "when fewer are left than users who need one, nothing changes (409 NO_NAMED_SEAT_AVAILABLE). Inactive users get no named seat and are listed in skipped.",
      params: Type.Object({ product: Slug }),
      body: bulkBody({ type: SeatType }),
      response: { 200: BulkSeatResult, ...problems(400, 401, 403, 404, 409) },
    },
    handler: async (request) => changeSeats(db, userOf(request), request.params.product, { ...request.body, type: request.body.type }, request.lang),
  });

  app.post("/api/v1/users/seats/:product/revoke", {
    config: { access: { auth: "user", privilege: "seats:manage" } },
    schema: {
      tags: ["seats"],
      summary: "Extension: revoke one product's seat from many users at once (listed, or every user matching a filter); held shared seats are freed",
      params: Type.Object({ product: Slug }),
      body: bulkBody({}),
      response: { 200: BulkSeatResult, ...problems(400, 401, 403, 404) },
    },
    handler: async (request) => changeSeats(db, userOf(request), request.params.product, { ...request.body, type: null }, request.lang),
  });

  app.get("/api/v1/users/:id/activity", {
    config: { access: { auth: "user", staff: true } },
    schema: {
      tags: ["users"],
      summary: "Extension: a user's last sign-in, last seat use, and the seats its open support sessions hold now",
      params: UserParams,
      response: {
        200: UserActivity,
        ...problems(401, 403, 404),
      },
    },
    handler: async (request) => getUserActivity(db, userOf(request), request.params.id),
  });

  app.post("/api/v1/users", {
    config: { access: { auth: "user", privilege: "users:write" }, idempotent: true },
    schema: {
      tags: ["users"],
      summary: "Add a user",
      body: Type.Object(
        {
          email: Email,
          name: Name,
          role: Role,
          privileges: Type.Optional(PrivilegeList),
          password: Type.Optional(Password),
          billingContact: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
      response: { 201: User, ...problems(400, 401, 403, 409) },
    },
    handler: async (request, reply) => reply.code(201).send(await createUser(db, userOf(request), request.body)),
  });

  app.get("/api/v1/users/:id", {
    config: { access: { auth: "user", staff: true } },
    schema: { tags: ["users"], summary: "One user, with its seats", params: UserParams, response: { 200: User, ...problems(401, 403, 404) } },
    handler: async (request) => getUser(db, userOf(request), request.params.id),
  });

  app.patch("/api/v1/users/:id", {
    config: { access: { auth: "user", privilege: "users:write" } },
    schema: {
      tags: ["users"],
      summary: "Change a user; active:false revokes its tokens, ends its shared sessions and frees its named seats",
      params: UserParams,
      body: Type.Object(
        {
          name: Type.Optional(Name),
          email: Type.Optional(Email),
          role: Type.Optional(Role),
          privileges: Type.Optional(PrivilegeList),
          active: Type.Optional(Type.Boolean()),
          billingContact: Type.Optional(Type.Boolean()),
          password: Type.Optional(Password),
        },
        { additionalProperties: false },
      ),
      response: { 200: User, ...problems(400, 401, 403, 404, 409) },
    },
    handler: async (request) => updateUser(db, userOf(request), request.params.id, request.body),
  });

  app.delete("/api/v1/users/:id", {
    config: { access: { auth: "user", privilege: "users:write" } },
    schema: { tags: ["users"], summary: "Remove a user; its seats are freed and its sessions ended", params: UserParams, response: { 204: NoContent, ...problems(401, 403, 404, 409) } },
    handler: async (request, reply) => {
      await deleteUser(db, userOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  });

  const SeatParams = Type.Object({ id: IdParam, product: Slug });

  app.put("/api/v1/users/:id/seats/:product", {
    config: { access: { auth: "user", privilege: "seats:manage" } },
    schema: {
      tags: ["seats"],
      summary: "Grant a named or concurrent seat (replaces the user's other type for that product)",
      params: SeatParams,
      body: Type.Object({ type: SeatType }, { additionalProperties: false }),
      response: { 200: User, ...problems(400, 401, 403, 404, 409) },
    },
    handler: async (request) => grantSeat(db, userOf(request), request.params.id, request.params.product, request.body.type),
  });

  app.delete("/api/v1/users/:id/seats/:product", {
    config: { access: { auth: "user", privilege: "seats:manage" } },
    schema: { tags: ["seats"], summary: "Revoke a seat; a held shared seat is freed at once", params: SeatParams, response: { 204: NoContent, ...problems(401, 403, 404) } },
    handler: async (request, reply) => {
      await revokeSeat(db, userOf(request), request.params.id, request.params.product);
      return reply.code(204).send(null);
    },
  });
}
