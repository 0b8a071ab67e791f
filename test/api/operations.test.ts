import assert from "node:assert/strict";
import { test } from "node:test";
import { eachBackend } from "../support/suite.js";

eachBackend("operations endpoints", ({ t }) => {
  test("healthz, readyz, metrics, openapi.json and /docs need no token", async () => {
    assert.deepEqual((await t().call("GET", "/healthz")).body, { status: "ok" });
    assert.deepEqual((await t().call("GET", "/readyz")).body, { status: "ready" });
    await t().call("GET", "/api/v1/account");
    const metrics = await t().call("GET", "/metrics");
    assert.equal(metrics.status, 200);
    assert.match(String(metrics.body), /seatkeeper_http_requests_total\{method="GET",route="\/api\/v1\/account",status="401"\} \d+/);
    assert.match(String(metrics.body), /seatkeeper_http_request_duration_seconds_bucket/);
    const openapi = await t().call<{ openapi: string; paths: Record<string, Record<string, unknown>> }>("GET", "/openapi.json");
    assert.equal(openapi.body.openapi, "3.1.0");
    assert.ok(openapi.body.paths["/api/v1/me/sessions"].post);
    assert.ok(openapi.body.paths["/api/v1/shared-sessions/end"].post);
    const docs = await t().call("GET", "/docs/");
    assert.equal(docs.status, 200);
    assert.match(String(docs.body), /swagger/i);
  });
});
