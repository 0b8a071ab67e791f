import assert from "node:assert/strict";
import { test } from "node:test";
import Fastify from "fastify";
import { Type } from "typebox";
import { installResponseCheck } from "./validation.js";

const Shape = Type.Object({ id: Type.String(), count: Type.Integer(), note: Type.Optional(Type.String()), extra: Type.Object({}, { additionalProperties: true }) });

async function answer(checked: boolean, body: unknown) {
  const app = Fastify();
  if (checked) installResponseCheck(app);
  app.get("/x", { schema: { response: { 200: Shape } } }, async () => body);
  const r = await app.inject({ method: "GET", url: "/x" });
  await app.close();
  return { status: r.statusCode, body: r.json() };
}

test("serialisation drops an undocumented field and coerces a wrong type: the check refuses both, naming them", async () => {
  const drifted = { id: 7, count: 1, secret: "s", extra: {} };
  assert.deepEqual((await answer(false, drifted)).body, { id: "7", count: 1, extra: {} }, "what fast-json-stringify alone would send");

  const checked = await answer(true, drifted);
  assert.equal(checked.status, 500);
  assert.equal(checked.body.code, "RESPONSE_SCHEMA_MISMATCH");
  assert.match(checked.body.detail, /GET \/x 200/);
  assert.match(checked.body.detail, /must NOT have additional properties \(secret\)/);
  assert.match(checked.body.detail, /\/id must be string/);
});

test("the check refuses an answer missing a required field, and passes one that matches, optional fields and open objects included", async () => {
  const missing = await answer(true, { id: "a", extra: {} });
  assert.equal(missing.status, 500);
  assert.match(missing.body.detail, /must have required property 'count'/);

  const good = { id: "a", count: 2, note: "n", extra: { anything: [1, { deep: true }] } };
  assert.deepEqual(await answer(true, good), { status: 200, body: good });
});
