import { Type } from "typebox";
import { createUser, deleteUser, getUser, listUsers, updateUser } from "../../../../services/user.service.js";
import { grantSeat, revokeSeat } from "../../../../services/seat.service.js";
import { userOf } from "../../../plugins/auth.js";
import { PrivilegeList, Role, SeatType, User, page } from "../../../../domain/shapes.js";
import { Email, IdParam, Name, PageQuery, Password, Slug, problems, NoContent } from "../../../schemas.js";
import type { App, RouteDeps } from "../../../types.js";

const UserParams = Type.Object({ id: IdParam });

export function register(app: App, { db }: RouteDeps): void {
  app.get("/api/v1/users", {
    config: { access: { auth: "user", staff: true } },
    schema: {
      tags: ["users"],
      summary: "Users, filtered by seat (S8), substring of name or email, role and status",
      querystring: Type.Object(
        {
          seat: Type.Optional(Type.String({ maxLength: 120, description: "<product>:named or <product>:concurrent" })),
          q: Type.Optional(Type.String({ maxLength: 200 })),
          role: Type.Optional(Role),
          active: Type.Optional(Type.Boolean()),
          ...PageQuery,
        },
        { additionalProperties: false },
      ),
      response: { 200: page(User), ...problems(400, 401, 403, 404) },
    },
    handler: async (request) => listUsers(db, userOf(request), request.query),
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
