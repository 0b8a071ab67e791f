// The Groups page in a real browser against the demo account: the empty state points to
// the SCIM tokens; groups pushed over SCIM appear with their members; mapping one to a
// seat in the UI gives its members that seat on Manage users; warnings show what a
// mapping could not give. Screenshots, desktop and phone, in test-results/screenshots/.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { DEMO_ADMIN, PHONE, browserSuite } from "../support/browser.js";


/** An identity provider: SCIM calls with the account's SCIM token. */
async function scim<T = any>(base: string, token: string, method: string, resource: string, body: unknown): Promise<T> {
  const response = await fetch(`${base}/scim/v2${resource}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/scim+json" },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`SCIM ${method} ${resource} → ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

describe("Groups page (browser)", () => {
  const suite = browserSuite();
  const { skipWithoutChromium, shot } = suite;

  async function signIn(viewport?: { width: number; height: number }): Promise<Page> {
    const page = await suite.signIn(DEMO_ADMIN, { viewport, path: "/groups" });
    await page.getByRole("heading", { name: "Groups", level: 1 }).waitFor();
    return page;
  }

  test("empty state, then SCIM groups mapped to seats in the UI; members get the seat on Manage users", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await signIn();
    await page.getByText("No groups yet").waitFor();
    await shot(page, "groups-empty-desktop");
    await page.getByRole("link", { name: "Settings → SCIM tokens" }).click();
    await page.getByRole("heading", { name: "Settings", level: 1 }).waitFor();
    assert.match(page.url(), /\/settings#scim$/);

    // The identity provider: a SCIM token, users, and two groups.
    const { token } = await suite.admin.request<{ token: string }>("POST", "/scim-tokens", { name: "Okta" });
    const member = async (userName: string, given: string, family: string) =>
      (await scim(suite.url, token, "POST", "/Users", {
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
        userName,
        name: { givenName: given, familyName: family },
        displayName: `${given} ${family}`,
        active: true,
      })).id as string;
    const support = [
      await member("sophie.laurent@idp.test", "Sophie", "Laurent"),
      await member("thomas.girard@idp.test", "Thomas", "Girard"),
      await member("ines.morel@idp.test", "Inès", "Morel"),
    ];
    const escalations = [await member("paul.henry@idp.test", "Paul", "Henry"), await member("lucie.roux@idp.test", "Lucie", "Roux")];
    const group = (displayName: string, ids: string[]) =>
      scim(suite.url, token, "POST", "/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName, members: ids.map((value) => ({ value })) });
    await group("Support Team", support);
    const esc = await group("Escalations", escalations);
    // Remote Support v5's two named seats are taken in the demo: this mapping cannot give them.
    await suite.admin.request("PUT", `/groups/${esc.id}/seat`, { product: "remote-support-v5", type: "named" });

    await page.getByRole("link", { name: "Groups" }).click();
    const table = page.getByRole("table", { name: "Groups" });
    await table.getByText("Support Team").waitFor();
    const escRow = table.locator("tbody tr", { hasText: "Escalations" });
    assert.match(await escRow.innerText(), /No named seat of Remote Support v5 left for 2 members/);

    await page.getByRole("button", { name: "Map Support Team to a seat" }).click();
    const dialog = page.getByRole("dialog", { name: "Seat for the group Support Team" });
    await dialog.getByLabel("Members get").selectOption({ label: "Service Desk – Named" });
    await dialog.getByText("Applies now to the group's 3 members").waitFor();
    await shot(page, "groups-map-dialog-desktop");
    await dialog.getByRole("button", { name: "Save" }).click();
    await page.getByText("Support Team: members get Service Desk – Named.").waitFor();
    const supportRow = table.locator("tbody tr", { hasText: "Support Team" });
    await supportRow.getByText("Service Desk – Named").waitFor();
    assert.match(await supportRow.innerText(), /\b3\b/);
    await shot(page, "groups-mapped-desktop");

    await page.getByRole("link", { name: "Manage users" }).click();
    await page.getByLabel("Filter by category").selectOption({ label: "Seats" });
    await page.getByLabel("Filter by", { exact: true }).selectOption({ label: "Service Desk – Named" });
    const users = page.getByRole("table", { name: "Manage users" });
    await users.getByText("sophie.laurent@idp.test").waitFor();
    const rows = await users.locator("tbody tr").allInnerTexts();
    assert.deepEqual(rows.map((r) => /\S+@idp\.test/.exec(r)?.[0]).sort(), ["ines.morel@idp.test", "sophie.laurent@idp.test", "thomas.girard@idp.test"]);

    // Removing the mapping revokes the seats it gave.
    await page.getByRole("link", { name: "Groups" }).click();
    await page.getByRole("button", { name: "Map Support Team to a seat" }).click();
    await page.getByLabel("Members get").selectOption({ label: "No seat" });
    await page.getByText("The seats this mapping gave the group's 3 members will be revoked.").waitFor();
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Support Team: mapping removed; the seats it gave were revoked.").waitFor();
    const after = await suite.admin.request<{ items: unknown[] }>("GET", "/users?seat=service-desk:named");
    assert.equal(after.items.length, 0);
  });

  test("a SCIM user without an email shows its userName and that it cannot sign in", async (t) => {
    if (skipWithoutChromium(t)) return;
    const { token } = await suite.admin.request<{ token: string }>("POST", "/scim-tokens", { name: "Entra ID" });
    await scim(suite.url, token, "POST", "/Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "lobby-kiosk", displayName: "Lobby Kiosk" });
    const page = await suite.signIn(DEMO_ADMIN, { path: "/users" });
    await page.getByRole("heading", { name: "Manage users", level: 1 }).waitFor();
    await page.locator("#user-search").fill("Lobby");
    await page.getByText(/users, 1 matching these filters$/).waitFor();
    const row = page.getByRole("table", { name: "Manage users" }).locator("tbody tr", { hasText: "Lobby Kiosk" });
    await row.getByText("no email: cannot sign in").waitFor();
    assert.match(await row.innerText(), /lobby-kiosk/);
    await shot(page, "users-no-email-desktop");
  });

  test("on a phone the groups and their warnings stay readable", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await signIn(PHONE);
    await page.getByText("Escalations").waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= PHONE.width, `the page scrolls sideways: ${width}px`);
    await shot(page, "groups-phone");
  });
});
