// /scim/v2 (RFC 7644): a scope of its own with the SCIM content type and error schema,
// authenticated by the account's SCIM tokens (access `scim`). Routing is tolerant (resource
// names in any case, trailing slashes: canonicalScimUrl); data is checked by src/domain/scim,
// so the request schemas here only document the API.
import type { FastifyError, FastifyRequest } from "fastify";
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
import { SCIM_CONTENT_TYPE, sendScimError } from "../../../scim-errors.js";
import type { App, RouteDeps } from "../../../types.js";
import { IdParams, IfMatchHeaders, ScimGroupBody, ScimListQuery, ScimPatchBody, ScimResourceQuery, ScimUserBody } from "./schemas.js";

export const SCIM_PREFIX = "/scim/v2";

const ENDPOINTS = ["Users", "Groups", "ServiceProviderConfig", "ResourceTypes", "Schemas"];
const CANONICAL = new Map(ENDPOINTS.map((e) => [e.toLowerCase(), e]));

/**
 * Providers write `/scim/v2/users`, `/Users/?filter=…`: the prefix and endpoint names in any
 * case and trailing slashes reach the routes below (Fastify's rewriteUrl, before routing).
 * Ids keep their case.
 */
export function canonicalScimUrl(url: string): string {
  const cut = url.indexOf("?");
  const path = cut < 0 ? url : url.slice(0, cut);
  if (!/^\/scim\/v2(\/|$)/i.test(path)) return url;
  const segments = path.split("/");
  while (segments.length > 3 && segments[segments.length - 1] === "") segments.pop();
  segments[1] = "scim";
  segments[2] = "v2";
  if (segments.length > 3) segments[3] = CANONICAL.get(segments[3].toLowerCase()) ?? segments[3];
  return segments.join("/") + (cut < 0 ? "" : url.slice(cut));
}

function list(resources: object[], startIndex = 1) {
  return { schemas: [LIST_RESPONSE_URN], totalResults: resources.length, startIndex, itemsPerPage: resources.length, Resources: resources };
}

function ifMatch(request: FastifyRequest): string | undefined {
  const header = request.headers["if-match"];
  return Array.isArray(header) ? header.join(",") : header;
}

const SCIM_TYPES = ["application/scim+json", "application/json"];

export async function register(app: App, { db, config: settings }: RouteDeps): Promise<void> {
  // meta.location and $ref: the configured public address, never the client's Host header.
  const base = `${settings.publicUrl}${SCIM_PREFIX}`;
  await app.register(
    async (scim: App) => {
      scim.addContentTypeParser("application/scim+json", { parseAs: "buffer" }, jsonParser(scim));
      scim.setValidatorCompiler(() => () => true);
      scim.setErrorHandler((error: FastifyError, request, reply) => sendScimError(error, request, reply));
      scim.addHook("onSend", async (_request, reply, payload) => {
        if (String(reply.getHeader("content-type") ?? "").startsWith("application/json")) reply.header("content-type", SCIM_CONTENT_TYPE);
        return payload;
      });

      const config = { access: { auth: "scim" as const } };
      const doc = <X extends object = object>(summary: string, extra?: X) => ({ tags: ["scim"], summary, ...(extra as X) });
      const one = (summary: string) => doc(summary, { params: IdParams, querystring: ScimResourceQuery });
      const write = <B extends object, X extends object = object>(summary: string, body: B, extra?: X) => doc(summary, { body, consumes: SCIM_TYPES, ...(extra as X) });
      const ctx = (request: FastifyRequest): ScimContext => ({ db, principal: principalOf(request) as ScimPrincipal, base });
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

      scim.get("/ServiceProviderConfig", { config, schema: doc("What this SCIM server supports") }, async () => serviceProviderConfig(base));
      scim.get("/ResourceTypes", { config, schema: doc("User and Group") }, async () => list(resourceTypeDocuments(base)));
      scim.get("/ResourceTypes/:id", { config, schema: doc("One resource type", { params: IdParams }) }, async (request) => {
        const found = resourceTypeDocuments(base).find((r) => r.id.toLowerCase() === request.params.id.toLowerCase());
        if (!found) throw new ScimError(404, undefined, "No such resource type.");
        return found;
      });
      scim.get("/Schemas", { config, schema: doc("The core User and Group schemas and the enterprise User extension: every attribute kept") }, async () => list(schemaDocuments(base)));
      scim.get("/Schemas/:id", { config, schema: doc("One schema", { params: IdParams }) }, async (request) => {
        const found = schemaDocuments(base).find((s) => s.id.toLowerCase() === request.params.id.toLowerCase());
        if (!found) throw new ScimError(404, undefined, "No such schema.");
        return found;
      });

      scim.get("/Users", { config, schema: doc("Users, with filter, sortBy/sortOrder, startIndex/count, attributes", { querystring: ScimListQuery }) }, async (request) =>
        listScimUserPage(ctx(request), readListQuery(request.query as Record<string, unknown>)),
      );
      scim.post("/Users", { config, schema: write("Create a user (an agent)", ScimUserBody) }, async (request, reply) => created(reply, await createScimUser(ctx(request), request.body)));
      scim.get("/Users/:id", { config, schema: one("One user") }, async (request, reply) => {
        const query = readListQuery(request.query as Record<string, unknown>);
        return project(tagged(reply, await getScimUser(ctx(request), request.params.id)), query.attributes, query.excludedAttributes);
      });
      scim.put("/Users/:id", { config, schema: write("Replace a user", ScimUserBody, { params: IdParams, headers: IfMatchHeaders }) }, async (request, reply) =>
        tagged(reply, await replaceScimUser(ctx(request), request.params.id, request.body, ifMatch(request))),
      );
      scim.patch("/Users/:id", { config, schema: write("Change a user (PatchOp)", ScimPatchBody, { params: IdParams, headers: IfMatchHeaders }) }, async (request, reply) =>
        tagged(reply, await patchScimUser(ctx(request), request.params.id, request.body, ifMatch(request))),
      );
      scim.delete("/Users/:id", { config, schema: doc("Delete a user; its seats are freed", { params: IdParams, headers: IfMatchHeaders }) }, async (request, reply) => {
        await deleteScimUser(ctx(request), request.params.id, ifMatch(request));
        return reply.code(204).send();
      });

      scim.get("/Groups", { config, schema: doc("Groups, with filter, sortBy/sortOrder, startIndex/count, attributes", { querystring: ScimListQuery }) }, async (request) =>
        listScimGroupPage(ctx(request), readListQuery(request.query as Record<string, unknown>)),
      );
      scim.post("/Groups", { config, schema: write("Create a group", ScimGroupBody) }, async (request, reply) => created(reply, await createScimGroup(ctx(request), request.body)));
      scim.get("/Groups/:id", { config, schema: one("One group (excludedAttributes=members skips loading its members)") }, async (request, reply) => {
        const query = readListQuery(request.query as Record<string, unknown>);
        const group = await getScimGroup(ctx(request), request.params.id, query);
        return project(tagged(reply, group), query.attributes, query.excludedAttributes);
      });
      scim.put("/Groups/:id", { config, schema: write("Replace a group", ScimGroupBody, { params: IdParams, headers: IfMatchHeaders }) }, async (request, reply) =>
        tagged(reply, await replaceScimGroup(ctx(request), request.params.id, request.body, ifMatch(request))),
      );
      scim.patch("/Groups/:id", { config, schema: write("Change a group's name or members (PatchOp)", ScimPatchBody, { params: IdParams, headers: IfMatchHeaders }) }, async (request, reply) =>
        tagged(reply, await patchScimGroup(ctx(request), request.params.id, request.body, ifMatch(request))),
      );
      scim.delete("/Groups/:id", { config, schema: doc("Delete a group; seats its mapping gave are revoked", { params: IdParams, headers: IfMatchHeaders }) }, async (request, reply) => {
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
