// Issue 11's users work in a real browser against the demo account, at 1440×900 and on a
// phone: the CSV import that says what it takes away, the user detail with its actions
// and the privilege rules, feedback next to the action, and the users page at 10,000
// users (timings printed). Screenshots land in test-results/screenshots/users-*.png.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import type { Locator, Page } from "playwright-core";
import { ApiClient, DEMO_ADMIN, DEMO_PASSWORD, PHONE, browserSuite } from "../support/browser.js";

const DESKTOP = { width: 1440, height: 900 };
const LARGE = 10_000;

/** Retries `check` until it passes or `timeoutMs` ends; then throws its last failure. */
async function eventually(check: () => Promise<void>, timeoutMs = 15_000): Promise<void> {
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

async function rowNames(table: Locator): Promise<string[]> {
  return table.locator("tbody tr .user-link").allInnerTexts();
}

describe("users, user detail and CSV import (browser)", () => {
  const suite = browserSuite((admin) => admin.request("PATCH", "/account", { settings: { leaseTtlSeconds: 3600 } }));
  const { skipWithoutChromium, shot } = suite;

  async function usersPage(email = DEMO_ADMIN, viewport = DESKTOP, path = "/users"): Promise<Page> {
    const page = await suite.signIn(email, { viewport, path });
    await page.getByRole("heading", { name: "Manage users", level: 1 }).waitFor();
    return page;
  }

  async function importCsv(csv: string): Promise<void> {
    const response = await fetch(`${suite.url}/api/v1/users/import?dryRun=false`, {
      method: "POST",
      headers: { authorization: `Bearer ${suite.admin.token}`, "content-type": "text/csv" },
      body: csv,
    });
    assert.equal(response.status, 200, await response.text());
  }

  async function userNamed(name: string): Promise<{ id: string; seats: { product: string; type: string }[]; role: string; privileges: string[]; active: boolean }> {
    const page = await suite.admin.request<{ items: { id: string; name: string; seats: []; role: string; privileges: string[]; active: boolean }[] }>(
      "GET",
      `/users?q=${encodeURIComponent(name)}`,
    );
    const user = page.items.find((u) => u.name === name);
    assert.ok(user, `${name} exists`);
    return user;
  }

  /** The toast says it, near the bottom of the window, where the eye is after clicking in a dialog or a row. */
  async function toastSays(page: Page, text: string | RegExp, timeout = 15_000): Promise<void> {
    const toast = page.locator(".toast").filter({ hasText: text });
    await toast.waitFor({ timeout });
    const box = (await toast.boundingBox())!;
    const viewport = page.viewportSize()!;
    assert.ok(box.y + box.height <= viewport.height && box.y > viewport.height / 2, `the toast sits in the lower half of the window (${box.y}, ${viewport.height})`);
  }

  test("CSV import: the dry run names each change and warns before revoking; add mode keeps seats; ;-separated file; template", async (t) => {
    if (skipWithoutChromium(t)) return;
    // Amélie holds a shared seat of Remote Support v5 right now.
    const amelie = await ApiClient.signIn(suite.url, "agent1@demo.seatkeeper.test", DEMO_PASSWORD, "desktop");
    await amelie.request("POST", "/me/sessions", { product: "remote-support-v5" });

    const page = await usersPage();
    await page.getByRole("button", { name: "Import CSV" }).click();
    const dialog = page.getByRole("dialog", { name: "Import users from a CSV file" });
    await dialog.waitFor();
    assert.ok(await page.getByLabel("CSV file", { exact: true }).evaluate((el) => el === document.activeElement), "the file picker has the focus");

    const [download] = await Promise.all([page.waitForEvent("download"), dialog.getByRole("button", { name: "Download a template" }).click()]);
    const template = fs.readFileSync((await download.path())!, "utf8");
    assert.match(template, /^\uFEFFemail,name,role,seats,password\r\n/);
    assert.match(template, /remote-support-v5:concurrent/, "the template uses the account's own products");

    // What French Excel saves: semicolons, a BOM, CRLF, Windows-1252 accents.
    const csv = Buffer.from(
      "email;name;seats\r\nagent1@demo.seatkeeper.test;Amélie Bernard;remote-support:concurrent\r\nnoemie.nouvelle@import.test;Noémie Nouvelle;remote-support-v5:concurrent\r\n",
      "latin1",
    );
    await dialog.getByRole("radio", { name: /The file is the complete set/ }).check();
    await page.getByLabel("CSV file", { exact: true }).setInputFiles({ name: "utilisateurs.csv", mimeType: "text/csv", buffer: csv });
    const changes = dialog.getByRole("table", { name: "Changes per user" });
    await changes.waitFor();
    await dialog.getByRole("alert").filter({ hasText: "This import revokes 1 seat from 1 user and ends 1 support session in use." }).waitFor();
    const amelieRow = changes.locator("tbody tr", { hasText: "Amélie Bernard" });
    assert.match(await amelieRow.innerText(), /− Remote Support v5 – Concurrent revoked · ends 1 session in use/);
    assert.match(await changes.locator("tbody tr", { hasText: "Noémie Nouvelle" }).innerText(), /New user \(Agent\)[\s\S]*\+ Remote Support v5 – Concurrent/);
    assert.equal(await changes.locator("tbody tr").first().innerText().then((s) => s.includes("Amélie")), true, "revocations come first");
    await dialog.getByRole("button", { name: "Import 2 users and revoke 1 seat" }).waitFor();
    await shot(page, "users-import-revokes-desktop");

    await dialog.getByRole("radio", { name: /Add these seats/ }).check();
    await dialog.getByRole("button", { name: "Import 1 user", exact: true }).waitFor();
    assert.equal(await dialog.getByText(/This import revokes/).count(), 0, "add mode takes nothing away");
    await shot(page, "users-import-add-desktop");
    await dialog.getByRole("button", { name: "Import 1 user", exact: true }).click();
    await dialog.waitFor({ state: "detached" });
    await toastSays(page, "Import done: 1 created, 0 updated, 1 unchanged.");
    assert.ok((await userNamed("Amélie Bernard")).seats.some((s) => s.product === "remote-support-v5"), "Amélie kept her seat");
    assert.ok((await userNamed("Noémie Nouvelle")).seats.length === 1, "the accented name arrived intact");

    const phone = await usersPage(DEMO_ADMIN, PHONE);
    await phone.getByRole("button", { name: "Import CSV" }).click();
    const phoneDialog = phone.getByRole("dialog", { name: "Import users from a CSV file" });
    await phoneDialog.getByRole("radio", { name: /The file is the complete set/ }).check();
    await phone.getByLabel("CSV file", { exact: true }).setInputFiles({ name: "u.csv", mimeType: "text/csv", buffer: csv });
    await phoneDialog.getByRole("table", { name: "Changes per user" }).waitFor();
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= PHONE.width, `nothing overflows the phone's width (${width})`);
    await shot(phone, "users-import-revokes-phone");
  });

  test("user detail: seats, sessions held now, activity, audit; role, privileges, password, active state", async (t) => {
    if (skipWithoutChromium(t)) return;
    const bruno = await ApiClient.signIn(suite.url, "agent2@demo.seatkeeper.test", DEMO_PASSWORD, "desktop");
    await bruno.request("POST", "/me/sessions", { product: "remote-support" });

    const page = await usersPage();
    await page.getByRole("link", { name: "Bruno Thomas" }).click();
    await page.getByRole("heading", { name: "Bruno Thomas", level: 1 }).waitFor();
    assert.match(page.url(), /\/users\/usr_/);
    const holding = page.getByRole("region", { name: "Seats in use now" });
    await holding.getByText("Remote Support – Concurrent").waitFor();
    assert.match(await holding.innerText(), /Pending · 1 support session · since/);
    const activity = page.getByRole("region", { name: "Activity and access" });
    assert.doesNotMatch(await activity.innerText(), /Last sign-in\s+Never/, "the sign-in just made shows");
    assert.match(await activity.innerText(), /Last seat use\s+now · Remote Support/);
    await shot(page, "users-detail-desktop");

    await holding.getByRole("button", { name: "End the shared session on Remote Support – Concurrent" }).click();
    await toastSays(page, "Bruno Thomas's shared session on Remote Support – Concurrent ended. The seat is free.");
    await holding.getByText("No seat in use").waitFor();

    const profile = page.getByRole("region", { name: "Profile and role" });
    await profile.getByLabel("Role").selectOption("manager");
    await profile.getByRole("checkbox", { name: "Manage seats" }).check();
    await profile.getByRole("button", { name: "Save changes" }).click();
    await profile.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    await toastSays(page, "Bruno Thomas: role, privileges saved.");
    const saved = await userNamed("Bruno Thomas");
    assert.equal(saved.role, "manager");
    assert.deepEqual(saved.privileges, ["seats:manage"]);

    await activity.getByRole("button", { name: "Set password" }).click();
    const password = page.getByRole("dialog", { name: "Set a password for Bruno Thomas" });
    await password.getByLabel("New password").fill("a-new-secret-1");
    await password.getByRole("button", { name: "Set password" }).click();
    await toastSays(page, "Bruno Thomas's password was set; they were signed out everywhere.");
    await assert.rejects(bruno.request("GET", "/me/seats"), /401/, "the old sign-in ended");

    await activity.getByRole("button", { name: "Deactivate" }).click();
    const deactivate = page.getByRole("dialog", { name: "Deactivate Bruno Thomas?" });
    await deactivate.getByRole("button", { name: "Deactivate" }).click();
    await toastSays(page, "Bruno Thomas was deactivated; their named seats are free.");
    await page.locator(".user-head").getByText("Inactive").waitFor();
    assert.equal((await userNamed("Bruno Thomas")).active, false);
    await activity.getByRole("button", { name: "Reactivate" }).click();
    await page.getByRole("dialog", { name: "Reactivate Bruno Thomas?" }).getByRole("button", { name: "Reactivate" }).click();
    await page.locator(".user-head").getByText("Active", { exact: true }).waitFor();

    const audit = page.getByRole("region", { name: "Audit log about this user" });
    await audit.getByText("User changed · role Agent → Manager, privileges").waitFor();
    await eventually(async () =>
      assert.match(await audit.innerText(), /User changed · reactivated[\s\S]*User changed · deactivated[\s\S]*User changed · password/, "newest first"),
    );
    await shot(page, "users-detail-after-changes-desktop");

    const phone = await suite.signIn(DEMO_ADMIN, { viewport: PHONE, path: page.url().replace(suite.url, "") });
    await phone.getByRole("heading", { name: "Bruno Thomas", level: 1 }).waitFor();
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= PHONE.width, `nothing overflows the phone's width (${width})`);
    await shot(phone, "users-detail-phone");
  });

  test("a manager is offered only what the server allows; Add user assigns seats at once", async (t) => {
    if (skipWithoutChromium(t)) return;
    await suite.admin.request("POST", "/users", { email: "writer@demo.seatkeeper.test", name: "Wanda Writer", role: "manager", privileges: ["users:write"], password: DEMO_PASSWORD });
    const page = await usersPage("writer@demo.seatkeeper.test");
    const profile = page.getByRole("region", { name: "Profile and role" });

    await page.getByRole("link", { name: "Alice Martin" }).click();
    await profile.getByText("Only admins can change an admin.").waitFor();
    assert.ok(await profile.getByLabel("Role").isDisabled());
    assert.ok(await page.getByRole("button", { name: "Set password" }).isDisabled());

    await page.getByRole("link", { name: "Manage users" }).first().click();
    await page.getByRole("link", { name: "Marc Dubois" }).click();
    await profile.getByText("This user holds a privilege you do not: only an admin can change them.").waitFor();
    assert.ok(await page.getByRole("button", { name: "Deactivate" }).isDisabled());

    await page.getByRole("link", { name: "Manage users" }).first().click();
    await page.getByRole("link", { name: "Emma Durand" }).click();
    await profile.getByLabel("Role").waitFor();
    assert.ok(!(await profile.getByLabel("Role").isDisabled()), "an agent is the writer's to change");
    assert.ok(await profile.getByRole("option", { name: "Admin" }).isDisabled(), "but not into an admin");
    await profile.getByLabel("Role").selectOption("manager");
    assert.ok(await profile.getByRole("checkbox", { name: "Manage seats" }).isDisabled(), "nor given a privilege the writer lacks");
    assert.equal(await page.getByRole("checkbox", { name: "Billing contact" }).count(), 0, "only admins see the billing contact");
    assert.ok(await page.getByRole("button", { name: "Edit seats" }).isDisabled(), "seats need Manage seats");
    await shot(page, "users-detail-manager-desktop");

    const admin = await usersPage();
    await admin.getByRole("button", { name: "Add user" }).click();
    const add = admin.getByRole("dialog", { name: "Add a user" });
    await add.getByLabel("Full name").fill("Yasmine Nouvelle");
    await add.getByLabel("Email").fill("yasmine@demo.seatkeeper.test");
    await add.getByLabel("Remote Support v5").selectOption("concurrent");
    await add.getByLabel("Service Desk").selectOption("named");
    await shot(admin, "users-add-with-seats-desktop");
    await add.getByRole("button", { name: "Add user" }).click();
    await add.waitFor({ state: "detached" });
    await toastSays(admin, "Yasmine Nouvelle was added, with Remote Support v5 – Concurrent, Service Desk – Named.");
    const yasmine = await userNamed("Yasmine Nouvelle");
    assert.deepEqual(yasmine.seats.map((s) => `${s.product}:${s.type}`).sort(), ["remote-support-v5:concurrent", "service-desk:named"]);
  });

  test("feedback lands where the action happened and names the seat, on desktop and phone", async (t) => {
    if (skipWithoutChromium(t)) return;
    for (const [viewport, name] of [[DESKTOP, "desktop"], [PHONE, "phone"]] as const) {
      const page = await usersPage(DEMO_ADMIN, viewport, "/users?q=Camille");
      const row = page.locator("tbody tr", { hasText: "Camille Robert" });
      await row.waitFor();
      await page.getByRole("button", { name: "Edit seats of Camille Robert" }).click();
      const dialog = page.getByRole("dialog", { name: "Seats of Camille Robert" });
      const target = name === "desktop" ? "Named" : "No seat";
      await dialog.getByRole("group", { name: "Service Desk" }).getByRole("radio", { name: new RegExp(`^${target}`) }).check();
      await dialog.getByRole("button", { name: "Save changes" }).click();
      await dialog.waitFor({ state: "detached" });
      await toastSays(page, name === "desktop" ? "Camille Robert: Service Desk – Named granted." : "Camille Robert: Service Desk – Named revoked.");
      assert.equal(await page.getByRole("main").locator(".message-success").count(), 0, "no banner at the top of the page");
      assert.match((await row.getAttribute("class")) ?? "", /row-flash/, "the changed row is marked");
      await shot(page, `users-feedback-toast-${name}`);
    }
  });

  test("in French: the count, the detail page, the import's modes and a ;-separated template", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await suite.signIn(DEMO_ADMIN, { viewport: DESKTOP, locale: "fr-FR", path: "/users" });
    await page.getByRole("heading", { name: "Gérer les utilisateurs", level: 1 }).waitFor();
    await page.getByText(/^\d+ utilisateurs$/).waitFor();
    await page.getByRole("button", { name: "Importer un CSV" }).click();
    const dialog = page.getByRole("dialog", { name: /Importer des utilisateurs/ });
    await dialog.getByRole("radio", { name: /Ajouter ces postes/ }).waitFor();
    const [download] = await Promise.all([page.waitForEvent("download"), dialog.getByRole("button", { name: "Télécharger un modèle" }).click()]);
    assert.match(fs.readFileSync((await download.path())!, "utf8"), /^\uFEFFemail;name;role;seats;password\r\n/, "Excel in French opens a ;-separated file in columns");
    await shot(page, "users-import-fr-desktop");
    await page.keyboard.press("Escape");
    await page.getByRole("link", { name: "Emma Durand" }).click();
    await page.getByRole("region", { name: "Activité et accès" }).getByText("Dernière connexion").waitFor();
    await page.getByRole("region", { name: "Postes utilisés en ce moment" }).waitFor();
    await shot(page, "users-detail-fr-desktop");
  });

  test(`at ${LARGE.toLocaleString("en")} users: counts, locale-aware sort, no-seat filter, shift-click, select all matching, pages (timed)`, { timeout: 240_000 }, async (t) => {
    if (skipWithoutChromium(t)) return;
    const given = ["Zoé", "Élodie", "Émile", "adam", "Bruno", "Çédric", "Lucie", "Øyvind", "Noël", "Hélène"];
    const rows = ["email,name,seats"];
    for (let i = 0; i < LARGE; i++) {
      const seat = i % 5 === 0 ? "remote-support-v5:concurrent" : "";
      rows.push(`bulk${i}@large.test,${given[i % given.length]} Large ${String(i).padStart(5, "0")},${seat}`);
    }
    await importCsv(rows.join("\n"));
    const { total } = await suite.admin.request<{ total: number }>("GET", "/users/count");
    const { total: withSeat } = await suite.admin.request<{ total: number }>("GET", "/users/count?seat=remote-support-v5:concurrent");

    const timings: Record<string, number> = {};
    const page = await suite.newPage({ viewport: DESKTOP });
    await page.goto(`${suite.url}/sign-in`);
    await page.getByLabel("Email").fill(DEMO_ADMIN);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    let start = Date.now();
    await page.getByRole("button", { name: "Sign in" }).click();
    const table = page.getByRole("table", { name: "Manage users" });
    await page.getByText(`${total.toLocaleString("en")} users`, { exact: true }).waitFor();
    await eventually(async () => assert.equal((await rowNames(table)).length, 50));
    timings["sign-in to the first page and the count"] = Date.now() - start;

    // Élodie and Émile sort among the Es, before Zoé; Øyvind among the Os; case is ignored.
    await page.getByLabel("Search").fill("Large 0000");
    await eventually(async () =>
      assert.deepEqual(await rowNames(table), [
        "adam Large 00003", "Bruno Large 00004", "Çédric Large 00005", "Élodie Large 00001", "Émile Large 00002",
        "Hélène Large 00009", "Lucie Large 00006", "Noël Large 00008", "Øyvind Large 00007", "Zoé Large 00000",
      ]),
    );
    await page.getByLabel("Search").fill("");
    await eventually(async () => assert.equal((await rowNames(table)).length, 50));

    start = Date.now();
    await page.getByLabel("Filter by category").selectOption("seats");
    await page.getByLabel("Filter by", { exact: true }).selectOption({ label: "Remote Support v5 – Concurrent" });
    await page.getByText(`${total.toLocaleString("en")} users, ${withSeat.toLocaleString("en")} with a Remote Support v5 – Concurrent seat`).waitFor();
    timings["seat filter: first page and counts"] = Date.now() - start;

    start = Date.now();
    await page.getByLabel("Sort by", { exact: true }).selectOption("-name");
    await eventually(async () => assert.match((await rowNames(table))[0], /^Zoé/));
    timings["sort Z to A"] = Date.now() - start;
    await page.getByLabel("Sort by", { exact: true }).selectOption("name");

    start = Date.now();
    await page.getByLabel("Filter by", { exact: true }).selectOption({ label: "No seat" });
    await page.getByText(/users, [\d,]+ without a seat/).waitFor();
    timings["no-seat filter"] = Date.now() - start;
    const { total: seatless } = await suite.admin.request<{ total: number }>("GET", "/users/count?seat=none");
    await page.getByText(`${total.toLocaleString("en")} users, ${seatless.toLocaleString("en")} without a seat`).waitFor();

    const names = await rowNames(table);
    await page.getByRole("checkbox", { name: `Select ${names[1]}` }).click();
    await page.getByRole("checkbox", { name: `Select ${names[5]}` }).click({ modifiers: ["Shift"] });
    await page.getByText("5 users selected").waitFor();
    for (const n of names.slice(1, 6)) assert.ok(await page.getByRole("checkbox", { name: `Select ${n}` }).isChecked(), `${n} is in the shift-click range`);
    await page.getByRole("button", { name: "Clear selection" }).click();

    const pager = page.getByRole("navigation", { name: "Pages of users" });
    start = Date.now();
    await pager.getByRole("button", { name: "Next" }).click();
    await pager.getByText(`51–100 of ${seatless.toLocaleString("en")}`).waitFor();
    timings["next page"] = Date.now() - start;
    await pager.getByRole("button", { name: "Previous" }).click();
    await pager.getByText(`1–50 of ${seatless.toLocaleString("en")}`).waitFor();

    start = Date.now();
    await page.getByRole("checkbox", { name: "Select all users shown" }).check();
    await page.getByRole("button", { name: `Select all ${seatless.toLocaleString("en")} matching users` }).click();
    await page.getByText(`${seatless.toLocaleString("en")} users selected`).waitFor();
    timings["select all matching"] = Date.now() - start;
    await shot(page, "users-large-select-all-desktop");
    await page.getByRole("button", { name: "Grant seat" }).click();
    const bulk = page.getByRole("dialog", { name: `Grant a seat to ${seatless.toLocaleString("en")} users` });
    await bulk.getByLabel("Seat").selectOption({ label: "Remote Support – Concurrent" });
    start = Date.now();
    await bulk.getByRole("button", { name: "Grant seat" }).click();
    // One transaction for all of them; on the embedded database, on two shared cores, it takes seconds.
    await toastSays(page, `Remote Support – Concurrent granted to ${seatless.toLocaleString("en")} users.`, 90_000);
    timings[`grant a seat to all ${seatless} matching`] = Date.now() - start;
    assert.equal((await suite.admin.request<{ total: number }>("GET", "/users/count?seat=remote-support:concurrent")).total >= seatless, true);


    const phone = await suite.signIn(DEMO_ADMIN, { viewport: PHONE, path: "/users?sort=-name" });
    await phone.getByText(`${total.toLocaleString("en")} users`, { exact: true }).waitFor();
    await shot(phone, "users-large-phone");

    console.log(`\nusers page at ${total.toLocaleString("en")} users, Chromium, ${DESKTOP.width}×${DESKTOP.height} (ms):`);
    for (const [what, ms] of Object.entries(timings)) console.log(`  ${what}: ${ms}`);
  });
});
