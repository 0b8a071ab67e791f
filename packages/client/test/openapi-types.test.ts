// The client's types are generated from the server's served /openapi.json: this fails when
// the committed src/openapi.ts is not what the server serves now (run the generate script).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { GENERATED_FILE, openapiTypes } from "../scripts/openapi-types.js";
import { startTestApp } from "../../../test/support/app.js";

test("packages/client/src/openapi.ts is generated from the served /openapi.json", async () => {
  const app = await startTestApp("pglite");
  try {
    const served = await app.call("GET", "/openapi.json");
    assert.equal(served.status, 200);
    const expected = await openapiTypes(served.body);
    assert.ok(
      readFileSync(GENERATED_FILE, "utf8") === expected,
      "src/openapi.ts has drifted from the served API: start a server and run `npm run generate -w @seatkeeper/client -- http://127.0.0.1:<port>`",
    );
  } finally {
    await app.close();
  }
});
