// /scim/v2 (RFC 7644): a scope of its own with the SCIM content type and error schema,
// authenticated by the account's SCIM tokens (access `scim`).
import type { FastifyError, FastifyRequest } from "fastify";
import { Type } from "typebox";
import { ScimError } from "../../../../domain/scim/errors.js";
import { readListQuery } from "../../../../domain/scim/list.js";
import { LIST_RESPONSE_URN, resourceTypeDocuments, schemaDocuments, serviceProviderConfig } from "../../../../domain/scim/schemas.js";
import {
  createScimGroup, createScimUser, deleteScimGroup, deleteScimUser, getScimGroup, getScimUser, listScimGroupPage, listScimUserPage,
  patchScimGroup, patchScimUser, replaceScimGroup, replaceScimUser, type ScimContext, type ScimPrincipal,
} from "../../../../services/scim.service.js";
import { project } from "../../../../domain/scim/resources.js";
import { principalOf } from "../../../plugins/auth.js";
import { jsonParser } from "../../../plugins/body-parsers.js";
import { IdParam } from "../../../schemas.js";
import { SCIM_CONTENT_TYPE, sendScimError } from "../../../scim-errors.js";
import type { App, RouteDeps } from "../../../types.js";

export const SCIM_PREFIX = "/scim/v2";

function baseOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}${SCIM_PREFIX}`;
}

function list(resources: object[], startIndex = 1) {
  return { schemas: [LIST_RESPONSE_URN], totalResults: resources.length, startIndex, itemsPerPage: resources.length, Resources: resources };
}

function ifMatch(request: FastifyRequest): string | undefined {
  const header = request.headers["if-match"];
  return Array.isArray(header) ? header.join(",") : header;
}

const IdParams = Type.Object({ id: IdParam });

export async function register(app: App, { db }: RouteDeps): Promise<void> {
  await app.register(
    async (scim: App) => {
      scim.addContentTypeParser("application/scim+json", { parseAs: "buffer" }, jsonParser(scim));
      scim.setErrorHandler((error: FastifyError, request, reply) => sendScimError(error, request, reply));
      scim.addHook("onSend", async (_request, reply, payload) => {
        if (String(reply.getHeader("content-type") ?? "").startsWith("application/json")) reply.header("content-type", SCIM_CONTENT_TYPE);
        return payload;
      });

      const config = { access: { auth: "scim" as const } };
      const doc = (summary: string, extra: object = {}) => ({ tags: ["scim"], summary, ...extra });
      const ctx = (request: FastifyRequest): ScimContext => ({ db, principal: principalOf(request) as ScimPrincipal, base: baseOf(request) });
      const created = <T extends { meta: { location: string; version: string } }>(reply: { code: (n: number) => unknown; header: (k: string, v: string) => unknown }, resource: T) => {
        reply.header("location", resource.meta.location);
        reply.header("etag", resource.meta.version);
        reply.code(201);
        return resource;
      };
      const tagged = <T extends { meta: { version: string } }>(reply: { header: (k: string, v: string) => unknown }, resource: T) => {
        reply.header("etag", resource.meta.version);
        return resource;
      };

      scim.get("/ServiceProviderConfig", { config, schema: doc("What this SCIM server supports") }, async (request) => serviceProviderConfig(baseOf(request)));
      scim.get("/ResourceTypes", { config, schema: doc("User and Group") }, async (request) => list(resourceTypeDocuments(baseOf(request))));
      scim.get("/ResourceTypes/:id", { config, schema: { tags: ["scim"], summary: "One resource type", params: IdParams } }, async (request) => {
        const found = resourceTypeDocuments(baseOf(request)).find((r) => r.id.toLowerCase() === request.params.id.toLowerCase());
        if (!found) throw new ScimError(404, undefined, "No such resource type.");
        return found;
      });
      scim.get("/Schemas", { config, schema: doc("The core User and Group schemas and the enterprise User extension") }, async (request) => list(schemaDocuments(baseOf(request))));
      scim.get("/Schemas/:id", { config, schema: { tags: ["scim"], summary: "One schema", params: IdParams } }, async (request) => {
        const found = schemaDocuments(baseOf(request)).find((s) => s.id.toLowerCase() === request.params.id.toLowerCase());
        if (!found) throw new ScimError(404, undefined, "No such schema.");
        return found;
      });

      scim.get("/Users", { config, schema: doc("Users, with filter, sortBy/sortOrder, startIndex/count, attributes") }, async (request) =>
        listScimUserPage(ctx(request), readListQuery(request.query as Record<string, unknown>)),
      );
      scim.post("/Users", { config, schema: doc("Create a user (an agent)") }, async (request, reply) => created(reply, await createScimUser(ctx(request), request.body)));
      scim.get("/Users/:id", { config, schema: { tags: ["scim"], summary: "One user", params: IdParams } }, async (request, reply) => {
        const query = readListQuery(request.query as Record<string, unknown>);
        return project(tagged(reply, await getScimUser(ctx(request), request.params.id)), query.attributes, query.excludedAttributes);
      });
      scim.put("/Users/:id", { config, schema: { tags: ["scim"], summary: "Replace a user", params: IdParams } }, async (request, reply) =>
        tagged(reply, await replaceScimUser(ctx(request), request.params.id, request.body, ifMatch(request))),
      );
      scim.patch("/Users/:id", { config, schema: { tags: ["scim"], summary: "Change a user (PatchOp)", params: IdParams } }, async (request, reply) =>
        tagged(reply, await patchScimUser(ctx(request), request.params.id, request.body, ifMatch(request))),
      );
      scim.delete("/Users/:id", { config, schema: { tags: ["scim"], summary: "Delete a user; its seats are freed", params: IdParams } }, async (request, reply) => {
        await deleteScimUser(ctx(request), request.params.id, ifMatch(request));
        return reply.code(204).send();
      });

      scim.get("/Groups", { config, schema: doc("Groups, with filter, sortBy/sortOrder, startIndex/count, attributes") }, async (request) =>
        listScimGroupPage(ctx(request), readListQuery(request.query as Record<string, unknown>)),
      );
      scim.post("/Groups", { config, schema: doc("Create a group") }, async (request, reply) => created(reply, await createScimGroup(ctx(request), request.body)));
      scim.get("/Groups/:id", { config, schema: { tags: ["scim"], summary: "One group", params: IdParams } }, async (request, reply) => {
        const query = readListQuery(request.query as Record<string, unknown>);
        const group = await getScimGroup(ctx(request), request.params.id, query);
        reply.header("etag", (group.meta as { version: string }).version);
        return group;
      });
      scim.put("/Groups/:id", { config, schema: { tags: ["scim"], summary: "Replace a group", params: IdParams } }, async (request, reply) =>
        tagged(reply, await replaceScimGroup(ctx(request), request.params.id, request.body, ifMatch(request))),
      );
      scim.patch("/Groups/:id", { config, schema: { tags: ["scim"], summary: "Change a group's name or members (PatchOp)", params: IdParams } }, async (request, reply) =>
        tagged(reply, await patchScimGroup(ctx(request), request.params.id, request.body, ifMatch(request))),
      );
      scim.delete("/Groups/:id", { config, schema: { tags: ["scim"], summary: "Delete a group; seats its mapping gave are revoked", params: IdParams } }, async (request, reply) => {
        await deleteScimGroup(ctx(request), request.params.id, ifMatch(request));
        return reply.code(204).send();
      });

      // Anything else under /scim/v2 (e.g. /Bulk, /Me) is a SCIM 404, also beside the admin
      // center's catch-all route.
      scim.all("/*", { config, schema: { hide: true } }, async () => {
        throw new ScimError(404, undefined, "No such SCIM endpoint.");
      });
    },
    { prefix: SCIM_PREFIX },
  );
}
