import { Type } from "typebox";
import { createScimToken, listTokens, revokeScimToken } from "../../../../services/scim-token.service.js";
import { userOf } from "../../../plugins/auth.js";
import { NewScimToken, ScimToken, page } from "../../../../domain/shapes.js";
import { IdParam, NoContent, PageQuery, problems } from "../../../schemas.js";
import type { App, RouteDeps } from "../../../types.js";

export function register(app: App, { db }: RouteDeps): void {
  const admin = { access: { auth: "user" as const, admin: true as const } };

  app.post("/api/v1/scim-tokens", {
    // Not idempotent on purpose: replaying the answer would mean storing the secret.
    config: admin,
    schema: {
      tags: ["scim"],
      summary: "Create a SCIM token for an identity provider; the token is shown only in this answer",
      body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100, pattern: "\\S" }) }, { additionalProperties: false }),
      response: {
        201: NewScimToken,
        ...problems(400, 401, 403),
      },
    },
    handler: async (request, reply) => reply.code(201).send(await createScimToken(db, userOf(request), request.body.name.trim())),
  });

  app.get("/api/v1/scim-tokens", {
    config: admin,
    schema: {
      tags: ["scim"],
      summary: "The account's SCIM tokens, newest first, without secrets",
      querystring: Type.Object(PageQuery, { additionalProperties: false }),
      response: { 200: page(ScimToken), ...problems(400, 401, 403) },
    },
    handler: async (request) => listTokens(db, userOf(request), request.query),
  });

  app.delete("/api/v1/scim-tokens/:id", {
    config: admin,
    schema: {
      tags: ["scim"],
      summary: "Revoke a SCIM token",
      params: Type.Object({ id: IdParam }),
      response: { 204: NoContent, ...problems(401, 403, 404) },
    },
    handler: async (request, reply) => {
      await revokeScimToken(db, userOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  });
}
