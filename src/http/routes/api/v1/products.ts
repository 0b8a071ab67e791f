import { Type } from "typebox";
import { createProduct, listCatalogue } from "../../../../services/product.service.js";
import { Product, page } from "../../../../domain/shapes.js";
import { Name, PageQuery, Slug, problems } from "../../../schemas.js";
import type { App, RouteDeps } from "../../../types.js";

export function register(app: App, { db }: RouteDeps): void {
  app.post("/api/v1/products", {
    config: { access: { auth: "operator" }, idempotent: true },
    schema: {
      tags: ["operator"],
      summary: "Add a product to the catalogue",
      body: Type.Object({ slug: Slug, name: Name }, { additionalProperties: false }),
      response: { 201: Product, ...problems(400, 401, 403, 409) },
    },
    handler: async (request, reply) => reply.code(201).send(await createProduct(db, request.body)),
  });

  app.get("/api/v1/products", {
    config: { access: { auth: "any" } },
    schema: {
      tags: ["operator"],
      summary: "The product catalogue",
      querystring: Type.Object(PageQuery, { additionalProperties: false }),
      response: { 200: page(Product), ...problems(400, 401) },
    },
    handler: async (request) => listCatalogue(db, request.query.limit, request.query.cursor),
  });
}
