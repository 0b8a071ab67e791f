import { Type } from "typebox";
import { createAccount } from "../../../../services/account.service.js";
import { principalOf } from "../../../plugins/auth.js";
import { NewAccount } from "../../../../domain/shapes.js";
import { Email, Name, Password, problems } from "../../../schemas.js";
import type { App, RouteDeps } from "../../../types.js";

export function register(app: App, { db }: RouteDeps): void {
  app.post("/api/v1/accounts", {
    config: { access: { auth: "operator" }, idempotent: true },
    schema: {
      tags: ["operator"],
      summary: "Create a customer account and its first admin (its billing contact)",
      body: Type.Object(
        { name: Name, admin: Type.Object({ email: Email, name: Name, password: Password }, { additionalProperties: false }) },
        { additionalProperties: false },
      ),
      response: { 201: NewAccount, ...problems(400, 401, 403, 409) },
    },
    handler: async (request, reply) => reply.code(201).send(await createAccount(db, principalOf(request), request.body)),
  });
}
