// Serves the admin center (web/dist, built by `npm run build` or `npm start`) at `/`.
// Unknown GETs outside the API fall back to index.html so that deep links work.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";

// This file runs from the sources (<root>/src/http/plugins/admin-center.ts, under tsx) or
// from the build (<root>/dist/src/http/plugins/admin-center.js); the admin center is built
// into <root>/web/dist either way.
const HERE = fileURLToPath(import.meta.url);
const ROOT = path.resolve(path.dirname(HERE), HERE.endsWith(".js") ? "../../../.." : "../../..");
export const WEB_DIST = path.join(ROOT, "web/dist");

/** The built admin center's folder, or undefined when it is not built. */
export function findWebDist(): string | undefined {
  return fs.existsSync(path.join(WEB_DIST, "index.html")) ? WEB_DIST : undefined;
}

export async function installAdminCenter(app: FastifyInstance, root: string): Promise<void> {
  // Source maps are not built (web/vite.config.ts); none is served even from a build that has them.
  await app.register(fastifyStatic, { root, prefix: "/", wildcard: false, index: ["index.html"], allowedPath: (file) => !file.endsWith(".map") });
  app.get("/*", { config: { access: { auth: "public" } }, schema: { hide: true } }, (request, reply) => {
    const url = request.url.split("?")[0];
    if (url.startsWith("/api/") || url.startsWith("/scim/") || path.extname(url) !== "") {
      return reply.callNotFound();
    }
    return reply.type("text/html").sendFile("index.html");
  });
}
