import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, test } from "node:test";
import Fastify from "fastify";
import { WEB_DIST, installAdminCenter } from "./admin-center.js";

test("from the sources, the admin center is looked for in <root>/web/dist", () => {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
  assert.equal(WEB_DIST, path.join(root, "web/dist"));
});

test("serves the build and deep links, but never a source map, even from a build that has them", async () => {
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), "seatkeeper-web-"));
  after(() => fs.rmSync(dist, { recursive: true, force: true }));
  fs.mkdirSync(path.join(dist, "assets"));
  fs.writeFileSync(path.join(dist, "index.html"), "<!doctype html><div id=root></div>");
  fs.writeFileSync(path.join(dist, "assets/index-abc.js"), "export {};");
  fs.writeFileSync(path.join(dist, "assets/index-abc.js.map"), '{"version":3,"sources":["../src/main.tsx"]}');
  const app = Fastify();
  after(() => app.close());
  await installAdminCenter(app, dist);

  const get = (url: string) => app.inject({ method: "GET", url });
  assert.equal((await get("/assets/index-abc.js")).statusCode, 200);
  assert.equal((await get("/assets/index-abc.js.map")).statusCode, 404);
  const deepLink = await get("/users?seat=x");
  assert.equal(deepLink.statusCode, 200);
  assert.match(deepLink.body, /id=root/);
  assert.equal((await get("/api/v1/nothing")).statusCode, 404);
});
