// Security headers on everything served, and a Content-Security-Policy strict enough to
// refuse inline and foreign scripts that the admin center and Swagger UI still fully work
// under: every page visited in Chromium with zero violations. Source maps are not served.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { ApiClient, DEMO_ADMIN, DEMO_PASSWORD, ROOT, browserSuite, watchCspViolations } from "../support/browser.js";
import { assertSecurityHeaders } from "../support/headers.js";

describe("security headers", () => {
  const suite = browserSuite(async (admin) => {
    // Usage to chart on Seats and subscription: an agent holds a concurrent seat.
    const agent = await ApiClient.signIn(suite.url, "agent1@demo.seatkeeper.test", undefined, "desktop");
    await agent.request("POST", "/me/sessions", { product: "remote-support-v5" });
    await admin.request("PATCH", "/account", { settings: { leaseTtlSeconds: 3600 } });
  });
  const { skipWithoutChromium, shot } = suite;

  test("the admin center, an API answer, a 404 and Swagger UI carry them; source maps are not served", async (t) => {
    if (skipWithoutChromium(t)) return;
    for (const route of ["/", "/users", "/api/v1/products", "/api/v1/no-such-route", "/docs", "/openapi.json"]) {
      assertSecurityHeaders(await fetch(`${suite.url}${route}`), route);
    }
    const assets = fs.readdirSync(path.join(ROOT, "web/dist/assets"));
    assert.deepEqual(assets.filter((file) => file.endsWith(".map")), [], "the admin center build has no source maps");
    const script = assets.find((file) => file.endsWith(".js"));
    assert.ok(script, assets.join(", "));
    const served = await fetch(`${suite.url}/assets/${script}`);
    assert.equal(served.status, 200);
    assertSecurityHeaders(served, script);
    assert.equal((await fetch(`${suite.url}/assets/${script}.map`)).status, 404);
  });

  test("every page of the admin center works under the policy with zero violations", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await suite.newPage();
    const violations = await watchCspViolations(page);
    await page.goto(`${suite.url}/sign-in`);
    await page.getByRole("heading", { name: "Sign in to the admin center" }).waitFor();
    await page.getByLabel("Email").fill(DEMO_ADMIN);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Manage users", level: 1 }).waitFor();

    const pages: [string, string][] = [
      ["Manage users", "Manage users"],
      ["Groups", "Groups"],
      ["Manage shared sessions", "Manage shared sessions"],
      ["Seats and subscription", "Seats and subscription"],
      ["Audit log", "Audit log"],
      ["Settings", "Settings"],
    ];
    for (const [link, heading] of pages) {
      await page.getByRole("link", { name: link }).click();
      await page.getByRole("heading", { name: heading, level: 1 }).waitFor();
      await page.getByText("Loading…").first().waitFor({ state: "detached", timeout: 8000 });
      await page.waitForLoadState("networkidle");
      if (heading === "Seats and subscription") {
        // uPlot draws the usage chart into a canvas and styles it from script.
        await page.locator("canvas").first().waitFor();
        await shot(page, "csp-subscription-desktop");
      }
      if (heading === "Manage users") {
        await page.getByRole("button", { name: "Import CSV" }).click();
        await page.getByRole("dialog").waitFor();
        await shot(page, "csp-import-dialog-desktop");
        await page.keyboard.press("Escape");
        await page.getByRole("dialog").waitFor({ state: "detached" });
      }
    }
    // A deep link loaded afresh, as a bookmark would.
    await page.goto(`${suite.url}/audit`);
    await page.getByRole("heading", { name: "Audit log", level: 1 }).waitFor();
    await page.waitForLoadState("networkidle");
    await shot(page, "csp-audit-desktop");
    assert.deepEqual(violations, []);
  });

  test("Swagger UI at /docs renders the API reference with zero violations", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await suite.newPage();
    const violations = await watchCspViolations(page);
    await page.goto(`${suite.url}/docs`);
    await page.getByRole("heading", { name: /Seatkeeper API/ }).waitFor();
    await page.getByRole("button", { name: /POST \/api\/v1\/auth\/login/ }).first().click();
    await page.getByRole("button", { name: "Try it out" }).first().waitFor();
    await page.waitForLoadState("networkidle");
    await shot(page, "csp-docs-desktop");
    assert.deepEqual(violations, []);
  });
});
