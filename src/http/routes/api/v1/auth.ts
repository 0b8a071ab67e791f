import { Type } from "typebox";
import { login } from "../../../../services/auth.service.js";
import { userSummaryView } from "../../../../services/views.js";
import { seatNoticesAtLogin, signOut } from "../../../../services/agent-session.service.js";
import { principalOf } from "../../../plugins/auth.js";
import { SignIn, StringEnum } from "../../../../domain/shapes.js";
import { problems, NoContent } from "../../../schemas.js";
import type { App, RouteDeps } from "../../../types.js";

export function register(app: App, { db, engine }: RouteDeps): void {
  app.post("/api/v1/auth/login", {
    config: { access: { auth: "public" } },
    schema: {
      tags: ["sign-in"],
      summary: "Sign in; agent apps say which app they are",
      body: Type.Object(
        {
          email: Type.String({ minLength: 1, maxLength: 254 }),
          password: Type.String({ minLength: 1, maxLength: 200 }),
          app: Type.Optional(StringEnum(["desktop", "mobile"])),
        },
        { additionalProperties: false },
      ),
      response: {
        200: SignIn,
        ...problems(400, 401, 429),
      },
    },
    handler: async (request) => {
      const { token, user } = await login(db, request.body, request.ip);
      return { token, user: userSummaryView(user), seatNotices: await seatNoticesAtLogin(db, user, request.lang) };
    },
  });

  app.post("/api/v1/auth/logout", {
    config: { access: { auth: "any" } },
    schema: { tags: ["sign-in"], summary: "Revoke the token; agent apps' pending support sessions end", response: { 204: NoContent, ...problems(401) } },
    handler: async (request, reply) => {
      await signOut(engine, principalOf(request));
      return reply.code(204).send(null);
    },
  });
}
