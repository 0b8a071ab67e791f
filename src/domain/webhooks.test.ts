import assert from "node:assert/strict";
import { test } from "node:test";
import { checkTargetUrl, isPrivateAddress, nextAttemptAt, RETRY_WINDOW_MS } from "./webhooks.js";

test("private, loopback, link-local and metadata addresses are refused; public ones pass", () => {
  for (const a of ["127.0.0.1", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1",
    "::1", "::", "fd12::1", "fe80::1", "ff02::1", "::ffff:10.0.0.1", "::ffff:127.0.0.1", "not-an-ip"]) {
    assert.equal(isPrivateAddress(a), true, a);
  }
  for (const a of ["8.8.8.8", "172.32.0.1", "192.169.0.1", "100.128.0.1", "2606:4700::1111", "::ffff:8.8.8.8"]) assert.equal(isPrivateAddress(a), false, a);
});

test("a URL is refused for its scheme, credentials or a literal private host unless allowed", () => {
  const strict = { http: false, privateTargets: false };
  assert.deepEqual(checkTargetUrl("http://hooks.example.com", strict), { problem: "scheme" });
  assert.deepEqual(checkTargetUrl("ftp://hooks.example.com", { http: true, privateTargets: true }), { problem: "scheme" });
  assert.deepEqual(checkTargetUrl("https://a:b@hooks.example.com", strict), { problem: "credentials" });
  assert.deepEqual(checkTargetUrl("https://[::1]:8443/x", strict), { problem: "privateAddress" });
  assert.deepEqual(checkTargetUrl("https://api.localhost/x", strict), { problem: "privateAddress" });
  assert.ok("url" in checkTargetUrl("https://hooks.example.com/x", strict));
  assert.ok("url" in checkTargetUrl("http://127.0.0.1:9/x", { http: true, privateTargets: true }));
});

test("retries back off exponentially up to an hour, and stop 24 h after the event", () => {
  const created = new Date("2026-12-02T00:00:00Z");
  const giveUp = new Date(created.getTime() + RETRY_WINDOW_MS);
  const delays = [1, 2, 3, 4, 10, 12, 20].map((n) => nextAttemptAt(n, created, giveUp, 30_000)!.getTime() - created.getTime());
  assert.deepEqual(delays, [30_000, 60_000, 120_000, 240_000, 3_600_000, 3_600_000, 3_600_000]);
  assert.equal(nextAttemptAt(5, new Date(giveUp.getTime() - 1000), giveUp, 30_000), null);
  // With the default pause, a dead endpoint is tried about thirty times over the 24 hours.
  let at = created;
  let attempts = 1;
  for (let next = nextAttemptAt(attempts, at, giveUp, 30_000); next; next = nextAttemptAt(++attempts, at, giveUp, 30_000)) at = next;
  assert.ok(attempts >= 25 && attempts <= 35, String(attempts));
});
