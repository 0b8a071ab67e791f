import { Type } from "typebox";
import { getAccount, listAudit, updateAccount } from "../../../../services/account.service.js";
import { changeSubscription, getSubscription } from "../../../../services/subscription.service.js";
import { userOf } from "../../../plugins/auth.js";
import { Account, AccountSettings, AuditEntry, Subscription, SubscriptionLine, page } from "../../../../domain/shapes.js";
import { Id, Name, PageQuery, Slug, problems } from "../../../schemas.js";
import type { App, RouteDeps } from "../../../types.js";

export function register(app: App, { db }: RouteDeps): void {
  app.get("/api/v1/account", {
    config: { access: { auth: "user" } },
    schema: { tags: ["account"], summary: "The account and its settings", response: { 200: Account, ...problems(401) } },
    handler: async (request) => getAccount(db, userOf(request)),
  });

  app.patch("/api/v1/account", {
    config: { access: { auth: "user", admin: true } },
    schema: {
      tags: ["account"],
      summary: "Rename the account or change its lease, pending and cooldown settings",
      body: Type.Object({ name: Type.Optional(Name), settings: Type.Optional(Type.Partial(AccountSettings, { additionalProperties: false })) }, { additionalProperties: false }),
      response: { 200: Account, ...problems(400, 401, 403) },
    },
    handler: async (request) => updateAccount(db, userOf(request), request.body),
  });

  app.get("/api/v1/subscription", {
    config: { access: { auth: "user", staff: true } },
    schema: { tags: ["subscription"], summary: "Licenses per product, with assigned, occupied and waiting counts", response: { 200: Subscription, ...problems(401, 403) } },
    handler: async (request) => getSubscription(db, userOf(request)),
  });

  app.put("/api/v1/subscription/:product", {
    config: { access: { auth: "user", billingContact: true } },
    schema: {
      tags: ["subscription"],
      summary: "Create or change the licenses of a product (billing contact only, S3)",
      params: Type.Object({ product: Slug }),
      body: Type.Object({ named: Type.Integer({ minimum: 0, maximum: 1_000_000 }), concurrent: Type.Integer({ minimum: 0, maximum: 1_000_000 }) }, { additionalProperties: false }),
      response: { 200: SubscriptionLine, ...problems(400, 401, 403, 404, 409) },
    },
    handler: async (request) => changeSubscription(db, userOf(request), request.params.product, request.body),
  });

  app.get("/api/v1/audit", {
    config: { access: { auth: "user", admin: true } },
    schema: {
      tags: ["account"],
      summary: "Who did what, newest first",
      querystring: Type.Object(
        {
          actor: Type.Optional(Id),
          action: Type.Optional(Type.String({ maxLength: 100 })),
          target: Type.Optional({ ...Id, description: "extension: only entries about this target (a user's id, say)" }),
          ...PageQuery,
        },
        { additionalProperties: false },
      ),
      response: { 200: page(AuditEntry), ...problems(400, 401, 403) },
    },
    handler: async (request) => listAudit(db, userOf(request), request.query),
  });
}
