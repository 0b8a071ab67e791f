import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError, loadConfig } from "./config.js";

test("defaults match the documented table", () => {
  const config = loadConfig({}, false);
  assert.equal(config.port, 3000);
  assert.equal(config.host, "127.0.0.1");
  assert.equal(config.databaseUrl, undefined);
  assert.equal(config.dataDir, "./data");
  assert.equal(config.demo, false);
  assert.equal(config.logFormat, "json");
  assert.deepEqual(config.webhooks, { deliver: true, key: undefined, allowPrivate: false, allowHttp: false, timeoutMs: 10_000, retryBaseMs: 30_000, pollMs: 1000 });
  assert.ok(Object.isFrozen(config));
});

test("a bad value stops start-up with a message naming the variable", () => {
  const cases: [Record<string, string>, string][] = [
    [{ PORT: "eighty" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL"],
    [{ SEATKEEPER_DEMO: "yes" }, "SEATKEEPER_DEMO"],
    [{ SEATKEEPER_OPERATOR_TOKEN: "short" }, "SEATKEEPER_OPERATOR_TOKEN"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
    [{ LOG_FORMAT: "xml" }, "LOG_FORMAT"],
    [{ SEATKEEPER_WEBHOOK_KEY: "too short to seal anything" }, "SEATKEEPER_WEBHOOK_KEY"],
    [{ SEATKEEPER_WEBHOOK_ALLOW_PRIVATE: "maybe" }, "SEATKEEPER_WEBHOOK_ALLOW_PRIVATE"],
    [{ SEATKEEPER_WEBHOOK_TIMEOUT_MS: "5" }, "SEATKEEPER_WEBHOOK_TIMEOUT_MS"],
  ];
  for (const [env, variable] of cases) {
    assert.throws(() => loadConfig(env), (e: unknown) => e instanceof ConfigError && e.variable === variable && e.message.includes(variable));
  }
});

test("logs are pretty for a person at a terminal and JSON for a pipe or a file, unless LOG_FORMAT says", () => {
  assert.equal(loadConfig({}, true).logFormat, "pretty");
  assert.equal(loadConfig({}, false).logFormat, "json");
  assert.equal(loadConfig({ LOG_FORMAT: "json" }, true).logFormat, "json");
  assert.equal(loadConfig({ LOG_FORMAT: "pretty" }, false).logFormat, "pretty");
});

test("SEATKEEPER_PUBLIC_URL: an http(s) URL without a trailing slash; unset, the listening address", () => {
  assert.equal(loadConfig({}).publicUrl, "http://127.0.0.1:3000");
  assert.equal(loadConfig({ HOST: "::1", PORT: "8080" }).publicUrl, "http://[::1]:8080");
  assert.equal(loadConfig({ SEATKEEPER_PUBLIC_URL: "https://Seats.Example.com/" }).publicUrl, "https://seats.example.com");
  assert.equal(loadConfig({ SEATKEEPER_PUBLIC_URL: "https://example.com/seatkeeper/" }).publicUrl, "https://example.com/seatkeeper");
  for (const bad of ["seats.example.com", "ftp://example.com", "https://user:pw@example.com", "https://example.com/?x=1", "https://example.com/#top"]) {
    assert.throws(
      () => loadConfig({ SEATKEEPER_PUBLIC_URL: bad }),
      (e: unknown) => e instanceof ConfigError && e.variable === "SEATKEEPER_PUBLIC_URL",
      bad,
    );
  }
});
