// Serves the admin center (web/dist, built by `npm run build` or `npm start`) at `/`.
// Unknown GETs outside the API fall back to index.html so that deep links work.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";

export const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../web/dist");

/** Where the built admin center is, from the sources (src/http/plugins) or the build (dist/src/http/plugins). */
export function findWebDist(): string | undefined {
  const candidates = [WEB_DIST, path.resolve(WEB_DIST, "../../web/dist")];
  return candidates.find((dir) => fs.existsSync(path.join(dir, "index.html")));
}

export async function installAdminCenter(app: FastifyInstance, root: string): Promise<void> {
  await app.register(fastifyStatic, { root, prefix: "/", wildcard: false, index: ["index.html"] });
  app.get("/*", { config: { access: { auth: "public" } }, schema: { hide: true } }, (request, reply) => {
    const url = request.url.split("?")[0];
    if (url.startsWith("/api/") || url.startsWith("/scim/") || path.extname(url) !== "") {
      return reply.callNotFound();
    }
    return reply.type("text/html").sendFile("index.html");
  });
}
