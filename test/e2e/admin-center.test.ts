// The admin center in a real browser against a real Seatkeeper with the demo account:
// sign-in, the seed's seat filter, grants, privileges, ending shared sessions, licenses,
// and the French interface. Screenshots of every page land in test-results/screenshots/.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import type { Locator, Page } from "playwright-core";
import { ApiClient, DEMO_ADMIN, DEMO_PASSWORD, DESKTOP, PHONE, browserSuite } from "../support/browser.js";

const RS5 = "remote-support-v5";

interface Agent {
  email: string;
  name: string;
  api: ApiClient;
  sessionId?: string;
}

/** Retries `check` until it passes or `timeoutMs` ends; then throws its last failure. */
async function eventually(check: () => Promise<void>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function bodyRows(table: Locator): Promise<Locator[]> {
  return table.locator("tbody").getByRole("row").all();
}

describe("admin center (browser)", () => {
  // Agent leases last long enough that nothing expires while the tests run.
  const suite = browserSuite((admin) => admin.request("PATCH", "/account", { settings: { leaseTtlSeconds: 3600 } }));
  const { skipWithoutChromium, signIn, shot } = suite;
  const openPage = (viewport = DESKTOP, locale = "en-US"): Promise<Page> => suite.newPage({ viewport, locale });
  const agents: Agent[] = [];

  async function createUser(body: Record<string, unknown>): Promise<{ id: string }> {
    return suite.admin.request("POST", "/users", { password: DEMO_PASSWORD, ...body });
  }

  test("signs in, keeps the session across a reload, and signs out", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await openPage();
    await page.goto(`${suite.url}/users`);
    await page.getByRole("heading", { name: "Sign in to the admin center" }).waitFor();
    assert.match(page.url(), /\/sign-in\?next=%2Fusers$/);

    await page.getByLabel("Email").fill(DEMO_ADMIN);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").filter({ hasText: /wrong|incorrect/i }).waitFor();

    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Manage users", level: 1 }).waitFor();
    assert.ok(await page.getByRole("link", { name: "Manage shared sessions" }).isVisible());

    await page.reload();
    await page.getByRole("heading", { name: "Manage users", level: 1 }).waitFor();

    // A token revoked elsewhere: the next API call answers 401 and the app returns to sign-in.
    await page.getByRole("table", { name: "Manage users" }).waitFor();
    await page.waitForLoadState("networkidle");
    const token = await page.evaluate(() => sessionStorage.getItem("seatkeeper.token"));
    assert.ok(token);
    await new ApiClient(suite.url, token).request("POST", "/auth/logout");
    await page.getByRole("link", { name: "Seats and subscription" }).click();
    await page.getByText("Your session has ended. Please sign in again.").waitFor();
    assert.match(page.url(), /\/sign-in\?next=%2Fsubscription$/);
    await page.getByLabel("Email").fill(DEMO_ADMIN);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Seats and subscription", level: 1 }).waitFor();

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in to the admin center" }).waitFor();
    await page.goto(`${suite.url}/users`);
    await page.getByRole("heading", { name: "Sign in to the admin center" }).waitFor();
  });

  test("an agent is told the admin center is for admins and managers", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await openPage();
    await page.goto(suite.url);
    await page.getByLabel("Email").fill("agent1@demo.seatkeeper.test");
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "The admin center is for admins and managers" }).waitFor();
  });

  test("filters users by seat: Remote Support v5 – Concurrent shows exactly the 15 concurrent agents", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await signIn(DEMO_ADMIN);
    await page.getByLabel("Filter by category").selectOption({ label: "Seats" });
    await page.getByLabel("Filter by", { exact: true }).selectOption({ label: "Remote Support v5 – Concurrent" });
    await eventually(async () => assert.match(page.url(), /seat=remote-support-v5%3Aconcurrent/));

    const table = page.getByRole("table", { name: "Manage users" });
    const expected = Array.from({ length: 15 }, (_, i) => `agent${i + 1}@demo.seatkeeper.test`).sort();
    const emailsShown = async () => {
      const texts = await Promise.all((await bodyRows(table)).map((row) => row.innerText()));
      return texts.map((text) => /\S+@demo\.seatkeeper\.test/.exec(text)?.[0] ?? text).sort();
    };
    await eventually(async () => assert.deepEqual(await emailsShown(), expected));
    for (const row of await bodyRows(table)) assert.match(await row.innerText(), /Remote Support v5 – Concurrent/);

    // The filter lives in the URL: opening it again (as a shared link) shows the same users.
    const shared = page.url();
    const again = await signIn(DEMO_ADMIN, { path: new URL(shared).pathname + new URL(shared).search });
    await eventually(async () => assert.equal(again.url(), shared));
    assert.equal(await again.getByLabel("Filter by", { exact: true }).inputValue(), `${RS5}:concurrent`);
    const againTable = again.getByRole("table", { name: "Manage users" });
    await eventually(async () => assert.equal((await bodyRows(againTable)).length, 15));

    await page.getByLabel("Filter by", { exact: true }).selectOption({ label: "Remote Support v5 – Named" });
    await eventually(async () =>
      assert.deepEqual(await emailsShown(), ["named1@demo.seatkeeper.test", "named2@demo.seatkeeper.test"]),
    );
    await shot(page, "users-filtered-desktop");
  });

  test("grants and revokes a seat, for one user and for a selection", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await signIn(DEMO_ADMIN);
    await page.getByLabel("Search").fill("Nadia");
    const row = page.getByRole("row").filter({ hasText: "named1@demo.seatkeeper.test" });
    await eventually(async () => assert.equal(await page.getByRole("table", { name: "Manage users" }).locator("tbody tr").count(), 1));

    // Dialogs are keyboard-usable: Escape closes them.
    await page.getByRole("button", { name: "Edit seats of Nadia Leroy" }).click();
    const dialog = page.getByRole("dialog", { name: "Seats of Nadia Leroy" });
    await dialog.waitFor();
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });

    await page.getByRole("button", { name: "Edit seats of Nadia Leroy" }).click();
    await dialog.getByRole("group", { name: "Service Desk" }).getByRole("radio", { name: /^Named/ }).check();
    await shot(page, "users-seats-dialog-desktop");
    await dialog.getByRole("button", { name: "Save changes" }).click();
    await dialog.waitFor({ state: "detached" });
    await row.getByText("Service Desk – Named").waitFor();
    const nadia = (await suite.admin.request<{ items: { seats: { product: string; type: string }[] }[] }>("GET", "/users?q=named1")).items[0];
    assert.ok(nadia.seats.some((s) => s.product === "service-desk" && s.type === "named"));

    await page.getByRole("button", { name: "Edit seats of Nadia Leroy" }).click();
    await dialog.getByRole("group", { name: "Service Desk" }).getByRole("radio", { name: "No seat" }).check();
    await dialog.getByRole("button", { name: "Save changes" }).click();
    await dialog.waitFor({ state: "detached" });
    await row.getByText("Service Desk – Named").waitFor({ state: "detached" });
    assert.ok(await row.getByText("Remote Support v5 – Named").isVisible());

    // Bulk: two agents get a Service Desk concurrent seat, then lose it.
    await page.getByLabel("Search").fill("");
    await page.getByLabel("Filter by category").selectOption({ label: "Seats" });
    await page.getByLabel("Filter by", { exact: true }).selectOption({ label: "Remote Support v5 – Concurrent" });
    await page.getByRole("checkbox", { name: "Select Océane Vincent" }).check();
    await page.getByRole("checkbox", { name: "Select Nicolas Roux" }).check();
    await page.getByText("2 users selected").waitFor();
    await page.getByRole("button", { name: "Grant seat" }).click();
    const bulk = page.getByRole("dialog", { name: "Grant a seat to 2 users" });
    await bulk.getByLabel("Seat").selectOption({ label: "Service Desk – Concurrent" });
    await bulk.getByRole("button", { name: "Grant seat" }).click();
    await bulk.waitFor({ state: "detached" });
    for (const name of ["Océane Vincent", "Nicolas Roux"]) {
      await page.getByRole("row").filter({ hasText: name }).getByText("Service Desk – Concurrent").waitFor();
    }
    await page.getByRole("checkbox", { name: "Select Océane Vincent" }).check();
    await page.getByRole("checkbox", { name: "Select Nicolas Roux" }).check();
    await page.getByRole("button", { name: "Revoke seat" }).click();
    const bulkRevoke = page.getByRole("dialog", { name: "Revoke a seat from 2 users" });
    await bulkRevoke.getByLabel("Product").selectOption({ label: "Service Desk" });
    await bulkRevoke.getByRole("button", { name: "Revoke seat" }).click();
    await bulkRevoke.waitFor({ state: "detached" });
    for (const name of ["Océane Vincent", "Nicolas Roux"]) {
      await page.getByRole("row").filter({ hasText: name }).getByText("Service Desk – Concurrent").waitFor({ state: "detached" });
    }
  });

  test("pages through users with the cursor (Previous, Next)", async (t) => {
    if (skipWithoutChromium(t)) return;
    await Promise.all(
      Array.from({ length: 55 }, (_, i) =>
        suite.admin.request("POST", "/users", { email: `paging${i}@demo.seatkeeper.test`, name: `Paging Person ${String(i).padStart(2, "0")}`, role: "agent" }),
      ),
    );
    const page = await signIn(DEMO_ADMIN, { path: "/users?q=paging" });
    const table = page.getByRole("table", { name: "Manage users" });
    await eventually(async () => assert.equal((await bodyRows(table)).length, 50));
    const pager = page.getByRole("navigation", { name: "Pages of users" });
    await pager.getByText("1–50 of 55").waitFor();
    await pager.getByRole("button", { name: "Next" }).click();
    await eventually(async () => assert.equal((await bodyRows(table)).length, 5));
    await pager.getByText("51–55 of 55").waitFor();
    assert.ok(await pager.getByRole("button", { name: "Next" }).isDisabled());
    await pager.getByRole("button", { name: "Previous" }).click();
    await eventually(async () => assert.equal((await bodyRows(table)).length, 50));
  });

  test("shows API errors next to what failed (email taken)", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await signIn(DEMO_ADMIN);
    await page.getByRole("button", { name: "Add user" }).click();
    const dialog = page.getByRole("dialog", { name: "Add a user" });
    await dialog.getByLabel("Full name").fill("Someone Else");
    await dialog.getByLabel("Email").fill("agent1@demo.seatkeeper.test");
    await dialog.getByRole("button", { name: "Add user" }).click();
    await dialog.getByRole("alert").waitFor();
    assert.match(await dialog.getByRole("alert").innerText(), /\S/);
    await shot(page, "users-add-dialog-error-desktop");
    await dialog.getByLabel("Email").fill("new.person@demo.seatkeeper.test");
    await dialog.getByRole("button", { name: "Add user" }).click();
    await dialog.waitFor({ state: "detached" });
    await page.getByRole("status").filter({ hasText: "Someone Else was added." }).waitFor();
  });

  test("managers see which controls they may not use, and why", async (t) => {
    if (skipWithoutChromium(t)) return;
    // The demo manager has "Manage seats" but not "Add/remove users".
    const page = await signIn("manager@demo.seatkeeper.test");
    const addUser = page.getByRole("button", { name: "Add user" });
    assert.equal(await addUser.isDisabled(), true);
    assert.match((await addUser.getAttribute("title")) ?? "", /Add\/remove users/);
    assert.ok(await page.getByText("You need the “Add/remove users” privilege to add or remove users.").first().isVisible());
    assert.equal(await page.getByRole("button", { name: "Edit seats of Amélie Bernard" }).isEnabled(), true);
    assert.equal(await page.getByRole("link", { name: "Audit log" }).count(), 0);

    // A manager with "Add/remove users" only may not grant seats nor end shared sessions.
    await createUser({ email: "writer@demo.seatkeeper.test", name: "Wendy Writer", role: "manager", privileges: ["users:write"] });
    const writer = await signIn("writer@demo.seatkeeper.test");
    assert.equal(await writer.getByRole("button", { name: "Add user" }).isEnabled(), true);
    const editSeats = writer.getByRole("button", { name: "Edit seats of Amélie Bernard" });
    assert.equal(await editSeats.isDisabled(), true);
    assert.match((await editSeats.getAttribute("title")) ?? "", /Manage seats/);
    const grant = writer.getByRole("button", { name: "Grant seat" });
    assert.equal(await grant.isDisabled(), true);
    assert.match((await grant.getAttribute("title")) ?? "", /Manage seats/);
    assert.ok(await writer.getByText("You need the “Manage seats” privilege to grant or revoke seats.").isVisible());
    await shot(writer, "users-manager-without-seats-desktop");

    await writer.getByRole("link", { name: "Manage shared sessions" }).click();
    await writer.getByText(/You need the “Manage seats” privilege to see and end shared sessions/).waitFor();
  });

  test("ends two of ten shared sessions; seats are freed and counts update", async (t) => {
    if (skipWithoutChromium(t)) return;
    for (let i = 1; i <= 11; i++) {
      const email = `agent${i}@demo.seatkeeper.test`;
      agents.push({ email, name: "", api: await ApiClient.signIn(suite.url, email, DEMO_PASSWORD, "desktop") });
    }
    for (const agent of agents.slice(0, 10)) {
      const session = await agent.api.request<{ id: string }>("POST", "/me/sessions", { product: RS5 });
      agent.sessionId = session.id;
    }
    await agents[2].api.request("POST", `/me/sessions/${agents[2].sessionId}/connect`, { mode: "attended", platform: "windows" });
    await agents[3].api.request("POST", `/me/sessions/${agents[3].sessionId}/connect`, { mode: "unattended", platform: "mac" });
    // The 11th agent finds every seat taken and asks an admin to free one (S5, S6).
    await assert.rejects(agents[10].api.request("POST", "/me/sessions", { product: RS5 }), /ALL_SHARED_SEATS_IN_USE/);
    await agents[10].api.request("POST", "/me/release-requests", { product: RS5, message: "Customer waiting on the phone, please free a seat." });

    const page = await signIn(DEMO_ADMIN);
    await page.getByRole("link", { name: "Manage shared sessions" }).click();
    await page.getByRole("heading", { name: "Manage shared sessions", level: 1 }).waitFor();
    const table = page.getByRole("table", { name: "Manage shared sessions" });
    await eventually(async () => assert.equal((await bodyRows(table)).length, 10));
    const requests = page.getByRole("complementary", { name: /Release requests/ });
    await requests.getByText("Karine Garcia").waitFor();
    await requests.getByText("Customer waiting on the phone, please free a seat.").waitFor();
    await table.getByRole("row").filter({ hasText: "Camille Robert" }).getByText(/Windows/).waitFor();
    await shot(page, "shared-sessions-desktop");

    await page.getByRole("checkbox", { name: "Select the session of Amélie Bernard" }).check();
    await page.getByRole("checkbox", { name: "Select the session of Bruno Thomas" }).check();
    await page.getByRole("button", { name: "End session" }).click();
    const dialog = page.getByRole("dialog", { name: "End 2 shared sessions?" });
    await dialog.waitFor();
    const text = await dialog.innerText();
    assert.match(text, /Amélie Bernard/);
    assert.match(text, /Bruno Thomas/);
    await shot(page, "shared-sessions-end-dialog-desktop");
    await dialog.getByRole("button", { name: "End session" }).click();
    await dialog.waitFor({ state: "detached" });

    await eventually(async () => assert.equal((await bodyRows(table)).length, 8));
    assert.equal(await table.getByText("Amélie Bernard").count(), 0);
    assert.equal(await table.getByText("Bruno Thomas").count(), 0);
    await page.getByRole("status").filter({ hasText: "2 sessions ended" }).waitFor();
    const pool = page.getByRole("meter", { name: "Remote Support v5 – Concurrent seats" });
    await eventually(async () => assert.equal(await pool.getAttribute("aria-valuenow"), "8"));

    await page.getByRole("link", { name: "Seats and subscription" }).click();
    const meter = page.getByRole("meter", { name: "Remote Support v5 – Concurrent seats" });
    await eventually(async () => assert.equal(await meter.getAttribute("aria-valuetext"), "8 of 10 occupied"));
    const card = page.getByRole("region", { name: "Remote Support v5" });
    assert.match(await card.innerText(), /8\s*\/\s*10/);
    // The 11th agent was refused a seat: the buyer is told (S11).
    await card.getByRole("note", { name: "Need more seats?" }).waitFor();

    // The usage history downloads as CSV, fetched with the bearer token.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      card.getByRole("button", { name: "Download CSV – Remote Support v5" }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^usage-remote-support-v5-day\.csv$/);
    const csv = await fs.promises.readFile(await download.path(), "utf8");
    assert.match(csv.split("\n")[0], /occupiedMax/);
  });

  test("the billing contact adds a license", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await signIn(DEMO_ADMIN, { path: "/subscription" });
    await page.getByRole("heading", { name: "Seats and subscription", level: 1 }).waitFor();
    const meter = page.getByRole("meter", { name: "Remote Support v5 – Concurrent seats" });
    const before = Number(await meter.getAttribute("aria-valuemax"));
    const total = (await suite.admin.request<{ items: { product: string; concurrent: { total: number } }[] }>("GET", "/subscription")).items.find(
      (line) => line.product === RS5,
    )!.concurrent.total;
    assert.ok(before >= total);
    await shot(page, "subscription-desktop");

    await page.getByRole("button", { name: "Change licenses of Remote Support v5" }).click();
    const dialog = page.getByRole("dialog", { name: "Licenses of Remote Support v5" });
    await dialog.getByLabel("Concurrent seats").fill(String(total + 1));
    await dialog.getByRole("button", { name: "Update licenses" }).click();
    await dialog.waitFor({ state: "detached" });
    await eventually(async () => assert.match((await meter.getAttribute("aria-valuetext")) ?? "", new RegExp(`of ${total + 1} occupied$`)));
    const after = (await suite.admin.request<{ items: { product: string; concurrent: { total: number } }[] }>("GET", "/subscription")).items.find(
      (line) => line.product === RS5,
    )!;
    assert.equal(after.concurrent.total, total + 1);

    // Lowering named seats below those assigned fails, and says why next to the field.
    await page.getByRole("button", { name: "Change licenses of Remote Support v5" }).click();
    await dialog.getByLabel("Named seats").fill("0");
    await dialog.getByRole("button", { name: "Update licenses" }).click();
    await dialog.getByRole("alert").waitFor();
    await dialog.getByRole("button", { name: "Cancel" }).click();
  });

  test("an admin who is not the billing contact cannot change licenses and sees why", async (t) => {
    if (skipWithoutChromium(t)) return;
    await createUser({ email: "second.admin@demo.seatkeeper.test", name: "Sam Second", role: "admin" });
    const page = await signIn("second.admin@demo.seatkeeper.test", { path: "/subscription" });
    const change = page.getByRole("button", { name: "Change licenses of Remote Support v5" });
    await change.waitFor();
    assert.equal(await change.isDisabled(), true);
    assert.match((await change.getAttribute("title")) ?? "", /billing contact/);
    assert.ok(await page.getByText("Only the account's billing contact can change licenses.", { exact: false }).first().isVisible());
    await shot(page, "subscription-not-billing-desktop");
  });

  test("switches to French, keeps it after a reload, and the seed's words appear", async (t) => {
    if (skipWithoutChromium(t)) return;
    // The browser's language is the default.
    const french = await openPage(DESKTOP, "fr-FR");
    await french.goto(`${suite.url}/sign-in`);
    await french.getByRole("heading", { name: "Connexion au centre d'administration" }).waitFor();

    const page = await signIn(DEMO_ADMIN);
    await page.getByLabel("Language").selectOption({ label: "Français" });
    const nav = page.getByRole("navigation");
    await nav.getByRole("link", { name: "Gérer les utilisateurs" }).waitFor();
    await nav.getByRole("link", { name: "Gérer les sessions partagées" }).waitFor();
    await page.getByRole("heading", { name: "Gérer les utilisateurs", level: 1 }).waitFor();
    await page.getByLabel("Filtrer par catégorie").selectOption({ label: "Postes" });
    await page.getByLabel("Filtrer par", { exact: true }).selectOption({ label: "Remote Support v5 – Simultané" });
    const table = page.getByRole("table", { name: "Gérer les utilisateurs" });
    await eventually(async () => {
      const rows = await bodyRows(table);
      assert.equal(rows.length, 15);
      for (const row of rows) assert.match(await row.innerText(), /Remote Support v5 – Simultané/);
    });
    assert.equal(await page.locator("optgroup[label='Par poste']").count(), 1);
    await shot(page, "users-french-desktop");

    await page.reload();
    await page.getByRole("heading", { name: "Gérer les utilisateurs", level: 1 }).waitFor();
    await page.getByRole("link", { name: "Gérer les sessions partagées" }).click();
    await page.getByRole("button", { name: "Mettre fin à la session" }).waitFor();

    // Server messages follow the language too (Accept-Language).
    await page.getByRole("link", { name: "Gérer les utilisateurs" }).click();
    await page.getByRole("button", { name: "Ajouter un utilisateur" }).click();
    const dialog = page.getByRole("dialog", { name: "Ajouter un utilisateur" });
    await dialog.getByLabel("Nom complet").fill("Doublon");
    await dialog.getByLabel("Adresse e-mail").fill("agent2@demo.seatkeeper.test");
    await dialog.getByRole("button", { name: "Ajouter un utilisateur" }).click();
    const alert = dialog.getByRole("alert");
    await alert.waitFor();
    assert.doesNotMatch(await alert.innerText(), /already|taken/i);
  });

  test("changes the account's seat timeouts, and refuses values out of range next to the field", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await signIn(DEMO_ADMIN, { path: "/settings" });
    const cooldown = page.getByLabel("Cooldown after an admin ends a session");
    await cooldown.fill("99999");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByText("Enter a whole number from 0 to 3600.").waitFor();
    await cooldown.fill("60");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByRole("status").filter({ hasText: "Settings saved." }).waitFor();
    const account = await suite.admin.request<{ settings: { endedCooldownSeconds: number } }>("GET", "/account");
    assert.equal(account.settings.endedCooldownSeconds, 60);
  });

  test("creates a SCIM token, shows it once, and revokes it", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await signIn(DEMO_ADMIN, { path: "/settings" });
    await page.getByRole("heading", { name: "SCIM provisioning" }).waitFor();
    const unavailable = page.getByText("SCIM provisioning is not available on this server yet");
    const tokenName = page.getByLabel("Token name");
    await tokenName.or(unavailable).waitFor();
    assert.equal(await unavailable.count(), 0, "the server has no /api/v1/scim-tokens endpoint yet");
    await tokenName.fill("Okta production");
    await page.getByRole("button", { name: "Create token" }).click();
    const secret = page.getByRole("textbox", { name: "Token “Okta production” created" });
    await secret.waitFor();
    assert.ok((await secret.inputValue()).length >= 16);
    const table = page.getByRole("table", { name: "SCIM provisioning" });
    await table.getByRole("cell", { name: "Okta production", exact: true }).waitFor();

    await page.reload();
    await table.getByRole("cell", { name: "Okta production", exact: true }).waitFor();
    assert.equal(await secret.count(), 0, "the token is shown only once");
    await page.getByRole("button", { name: "Revoke Okta production" }).click();
    const dialog = page.getByRole("dialog", { name: "Revoke “Okta production”?" });
    await dialog.getByRole("button", { name: "Revoke" }).click();
    await dialog.waitFor({ state: "detached" });
    await table.getByRole("cell", { name: "Okta production", exact: true }).waitFor({ state: "detached" });
  });

  test("screenshots of every page at desktop and phone size", async (t) => {
    if (skipWithoutChromium(t)) return;
    for (const [label, viewport] of [
      ["desktop", DESKTOP],
      ["phone", PHONE],
    ] as const) {
      const signInPage = await openPage(viewport);
      await signInPage.goto(`${suite.url}/sign-in`);
      await signInPage.getByRole("heading", { name: "Sign in to the admin center" }).waitFor();
      await shot(signInPage, `sign-in-${label}`);

      const page = await signIn(DEMO_ADMIN, { viewport });
      const pages: [string, string, string][] = [
        ["/users", "Manage users", "users"],
        ["/shared-sessions", "Manage shared sessions", "shared-sessions"],
        ["/subscription", "Seats and subscription", "subscription"],
        ["/audit", "Audit log", "audit"],
        ["/settings", "Settings", "settings"],
      ];
      for (const [route, heading, name] of pages) {
        // Navigate inside the single-page app (as a click would) rather than reloading it.
        await page.evaluate((to) => {
          history.pushState(null, "", to);
          dispatchEvent(new PopStateEvent("popstate"));
        }, route);
        await page.getByRole("heading", { name: heading, level: 1 }).waitFor();
        // Pages show a spinner (role status, "Loading…") until their data is in.
        await page.getByText("Loading…").first().waitFor({ state: "detached", timeout: 8000 });
        await shot(page, `${name}-${label}`);
      }
      if (label === "phone") {
        await page.getByRole("button", { name: "Open menu" }).click();
        await page.getByRole("link", { name: "Manage shared sessions" }).waitFor();
        await shot(page, "navigation-phone");
        await page.getByRole("link", { name: "Manage shared sessions" }).click();
        await page.getByRole("heading", { name: "Manage shared sessions", level: 1 }).waitFor();
      }
      const agentPage = await signIn("agent12@demo.seatkeeper.test", { viewport });
      await shot(agentPage, `agent-notice-${label}`);
    }
  });
});
