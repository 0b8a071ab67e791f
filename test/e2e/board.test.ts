// The admin center's daily board in a real browser, at 1440×900 and on a phone: shared
// sessions with their last heartbeat, the queue and reservations, release requests the
// admin resolves or dismisses with a note, the end dialog's cooldown and reason, when seats
// ran out, French wording, and axe-core over every page.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Locator, Page } from "playwright-core";
import { ApiClient, DEMO_ADMIN, DEMO_PASSWORD, PHONE, browserSuite } from "../support/browser.js";
import { assertNoAxeViolations } from "../support/axe.js";

const RS5 = "remote-support-v5";
const WIDE = { width: 1440, height: 900 };

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

const agentEmail = (i: number) => `agent${i}@demo.seatkeeper.test`;

describe("admin center board (browser)", () => {
  const agents = new Map<number, { api: ApiClient; sessionId?: string }>();
  // Ten agents hold the ten seats of Remote Support v5 (agent 3 connected); Karine Garcia (11)
  // then Louis David (12) wait in the queue; Louis asks to free Hugo Laurent's (8) idle seat.
  const suite = browserSuite(async (admin) => {
    await admin.request("PATCH", "/account", { settings: { leaseTtlSeconds: 3600 } });
    for (let i = 1; i <= 13; i++) agents.set(i, { api: await ApiClient.signIn(suite.url, agentEmail(i), DEMO_PASSWORD, "desktop") });
    for (let i = 1; i <= 10; i++) {
      const agent = agents.get(i)!;
      agent.sessionId = (await agent.api.request<{ id: string }>("POST", "/me/sessions", { product: RS5 })).id;
      await agent.api.request("POST", "/me/heartbeat");
    }
    await agents.get(3)!.api.request("POST", `/me/sessions/${agents.get(3)!.sessionId}/connect`, { mode: "attended", platform: "windows" });
    for (const i of [11, 12]) {
      await agents.get(i)!.api.request("POST", "/me/heartbeat");
      await assert.rejects(agents.get(i)!.api.request("POST", "/me/sessions", { product: RS5, wait: 1 }), /ALL_SHARED_SEATS_IN_USE/);
    }
    await agents.get(12)!.api.request("POST", "/me/release-requests", { product: RS5, message: "Hugo Laurent has had no customer since this morning." });
    await agents.get(13)!.api.request("POST", "/me/release-requests", { product: RS5, message: "Please, a customer is waiting." });
  });
  const { skipWithoutChromium, signIn, shot } = suite;

  async function sessionsPage(viewport = WIDE, locale = "en-US"): Promise<Page> {
    const page = await signIn(DEMO_ADMIN, { viewport, locale, path: "/shared-sessions" });
    await page.getByRole("table").first().waitFor();
    return page;
  }

  test("shared sessions: last heartbeat and idle time, search by agent, the queue in order, nothing wraps", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await sessionsPage();
    const table = page.getByRole("table", { name: "Manage shared sessions" });
    await eventually(async () => assert.equal((await bodyRows(table)).length, 10));
    const hugo = table.getByRole("row").filter({ hasText: "Hugo Laurent" });
    assert.match(await hugo.innerText(), /now|seconds? ago|minutes? ago/, "the last heartbeat is shown");
    assert.match(await hugo.innerText(), /No customer for \d+ s/);
    const camille = table.getByRole("row").filter({ hasText: "Camille Robert" });
    assert.doesNotMatch(await camille.innerText(), /No customer for/, "connected: not idle");
    // Product and time stay on one line each.
    for (const cell of [hugo.getByRole("cell").nth(2), hugo.getByRole("cell").nth(5)]) {
      const lines = await cell.evaluate((el) => {
        const range = document.createRange();
        range.selectNodeContents(el.firstChild!);
        return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
      });
      assert.equal(lines, 1, `${await cell.innerText()} fits on one line`);
    }

    const queue = page.getByRole("complementary", { name: "Queue" });
    const rs5 = queue.getByRole("region", { name: "Queue of Remote Support v5" });
    // The queue loads beside the table, not with it: wait for it as for the table.
    await eventually(async () => assert.equal((await rs5.getByRole("listitem").allInnerTexts()).length, 2));
    const places = await rs5.getByRole("listitem").allInnerTexts();
    assert.match(places[0], /Karine Garcia[\s\S]*Position 1, waiting since/);
    assert.match(places[1], /Louis David[\s\S]*Position 2/);
    await shot(page, "board-sessions-desktop");

    await page.getByLabel("Search by agent").fill("hugo");
    await eventually(async () => assert.equal((await bodyRows(table)).length, 1));
    assert.match(await table.innerText(), /Hugo Laurent/);
    await page.getByLabel("Search by agent").fill("");
    await eventually(async () => assert.equal((await bodyRows(table)).length, 10));
    await assertNoAxeViolations(page, "Manage shared sessions (desktop)");
  });

  test("a release request selects the session its note names; the end dialog names the cooldown, sends the reason, and gives focus back to the table", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await sessionsPage();
    const requests = page.getByRole("complementary", { name: /Release requests/ });
    const louis = requests.getByRole("listitem").filter({ hasText: "Louis David" });
    await louis.getByText("In the queue: position 2").waitFor();
    await louis.getByText("The note names Hugo Laurent (Remote Support v5).").waitFor();
    // Its accessible name is its visible text.
    await louis.getByRole("button", { name: "Select Hugo Laurent's session" }).click();
    assert.ok(await page.getByRole("checkbox", { name: "Select the session of Hugo Laurent" }).isChecked());
    assert.equal(await page.getByRole("checkbox", { checked: true }).count(), 1, "only the session the note named");
    // Manon's note names nobody: the session idle longest is offered.
    const manon = requests.getByRole("listitem").filter({ hasText: "Manon Bertrand" });
    await manon.getByText(/^Idle longest: Amélie Bernard/).waitFor();
    await page.getByRole("checkbox", { name: "Select the session of Amélie Bernard" }).check();

    await page.getByRole("button", { name: "End 2 sessions" }).click();
    const dialog = page.getByRole("dialog", { name: "End 2 shared sessions?" });
    await dialog.getByText("These agents cannot take a seat of Remote Support v5 for 2 min.").waitFor();
    await dialog.getByLabel("Reason (optional)").fill("No customer for an hour");
    await shot(page, "board-end-dialog-desktop");
    await assertNoAxeViolations(page, "the end dialog");
    await dialog.getByRole("button", { name: "End 2 sessions" }).click();
    await dialog.waitFor({ state: "detached" });
    await eventually(async () => assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("aria-label")), "Manage shared sessions"));

    // The agent's app hears why; the first in the queue gets a seat reserved.
    const heard = await agents.get(8)!.api.request<{ ended: { reason: string }[] }>("POST", "/me/heartbeat");
    assert.equal(heard.ended[0]?.reason, "No customer for an hour");
    const queue = page.getByRole("complementary", { name: "Queue" });
    await queue.getByText(/^Reserved for Karine Garcia until \d{1,2}:\d{2}/).waitFor();
    await queue.getByText(/^Reserved for Louis David until/).waitFor();
    await louis.getByText(/A seat is reserved for them until/).waitFor();
    await shot(page, "board-after-end-desktop");
  });

  test("an admin dismisses a release request with a note the agent reads", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await sessionsPage();
    const requests = page.getByRole("complementary", { name: /Release requests/ });
    const manon = requests.getByRole("listitem").filter({ hasText: "Manon Bertrand" });
    await manon.getByRole("button", { name: "Dismiss" }).click();
    const dialog = page.getByRole("dialog", { name: "Dismiss Manon Bertrand's request?" });
    await dialog.getByLabel("Note to the agent (optional)").fill("Two seats were just freed: you are next in line.");
    await dialog.getByRole("button", { name: "Dismiss" }).click();
    await page.getByRole("status").filter({ hasText: "Manon Bertrand's request dismissed." }).waitFor();
    assert.equal(await requests.getByRole("listitem").filter({ hasText: "Manon Bertrand" }).count(), 0);
    const mine = await agents.get(13)!.api.request<{ items: { outcome: string; note: string }[] }>("GET", "/me/release-requests");
    assert.deepEqual(mine.items.map((r) => [r.outcome, r.note]), [["dismissed", "Two seats were just freed: you are next in line."]]);
  });

  test("phone: the selection's End bar stays in reach, dialogs keep product names whole", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await sessionsPage(PHONE);
    const table = page.getByRole("table", { name: "Manage shared sessions" });
    await eventually(async () => assert.ok((await bodyRows(table)).length >= 8));
    await page.getByRole("checkbox", { name: "Select the session of Camille Robert" }).check();
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    const end = page.getByRole("button", { name: "End session" });
    const box = await end.boundingBox();
    assert.ok(box && box.y >= 0 && box.y + box.height <= PHONE.height, `the End button is on screen (at ${box?.y})`);
    await shot(page, "board-sessions-phone-selected");
    await end.click();
    const dialog = page.getByRole("dialog", { name: "End 1 shared session?" });
    const product = dialog.locator(".end-product");
    assert.equal(await product.evaluate((el) => el.scrollWidth <= el.clientWidth), true, "the product name is not clipped");
    await dialog.getByText("The agent cannot take a seat of Remote Support v5 for 2 min.").waitFor();
    await shot(page, "board-end-dialog-phone");
    await assertNoAxeViolations(page, "the end dialog (phone)");
    await dialog.getByRole("button", { name: "Cancel" }).click();
  });

  test("French: a pending session and a waiting agent have different words", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await signIn(DEMO_ADMIN, { viewport: WIDE, locale: "fr-FR", path: "/shared-sessions" });
    const table = page.getByRole("table", { name: "Gérer les sessions partagées" });
    await table.waitFor();
    await table.getByText("Non connectée").first().waitFor();
    assert.equal(await table.getByText(/en attente/i).count(), 0);
    await page.getByRole("complementary", { name: "File d'attente" }).getByText(/^Réservé pour Karine Garcia jusqu'à/).waitFor();
    // The longer French words fit: the table needs no sideways scrolling, nothing leaves the release panel.
    const overflow = await page.evaluate(() => {
      const wrap = document.querySelector(".sessions-layout .table-wrap")!;
      const panel = document.querySelector(".release-panel")!.getBoundingClientRect();
      return {
        table: wrap.scrollWidth - wrap.clientWidth,
        panel: [...document.querySelectorAll(".release-panel *")].filter((el) => el.getBoundingClientRect().right > panel.right + 1).map((el) => el.textContent),
      };
    });
    assert.deepEqual(overflow, { table: 0, panel: [] });
    await shot(page, "board-sessions-fr");
    await assertNoAxeViolations(page, "Gérer les sessions partagées");
  });

  test("usage: a tooltip, the list of when seats ran out, the peak against the licences of its time, no callout right after adding licences", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await signIn(DEMO_ADMIN, { viewport: WIDE, path: "/subscription?range=hour" });
    const card = page.getByRole("region", { name: "Remote Support v5" });
    const list = card.locator(".shortage-list");
    // All ten seats were taken at set-up and two were freed in an earlier test; Karine and Louis were refused meanwhile.
    await eventually(async () => assert.match(await list.innerText(), /^Ran out at \d{1,2}:\d{2}( [AP]M)? for \d+ (min|s)( \d+ s)? — 2 agents refused/));
    await card.getByText("Peak 10 of 10").waitFor();
    await card.getByRole("note", { name: "Need more seats?" }).waitFor();

    const chart = card.getByRole("img", { name: /Occupied seats of Remote Support v5/ });
    // The last minutes sit at the right edge of the plotting area.
    const hoverLatest = async () => {
      await chart.scrollIntoViewIfNeeded();
      const plot = (await chart.locator(".u-over").boundingBox())!;
      await page.mouse.move(plot.x + plot.width - 2, plot.y + plot.height / 2);
    };
    await hoverLatest();
    const tooltip = card.getByRole("tooltip");
    await tooltip.waitFor();
    assert.match(await tooltip.innerText(), /^\d{1,2}:\d{2}( [AP]M)?\n10 of 10 seats in use\n2 agents refused/);
    await shot(page, "board-usage-tooltip-desktop");
    await assertNoAxeViolations(page, "Seats and subscription");

    await card.getByRole("button", { name: "Change licenses of Remote Support v5" }).click();
    const dialog = page.getByRole("dialog", { name: "Licenses of Remote Support v5" });
    await dialog.getByLabel("Concurrent seats").fill("12");
    await dialog.getByRole("button", { name: "Update licenses" }).click();
    await dialog.waitFor({ state: "detached" });
    await card.getByText("10 / 12").or(card.getByText(/\/\s*12/)).first().waitFor();
    await eventually(async () => assert.equal(await card.getByRole("note", { name: "Need more seats?" }).count(), 0));
    assert.match(await card.innerText(), /Refusals:\s*2/, "the period's refusals still show beside the chart");
    // The peak still compares with the ten licences of its time.
    await card.getByText("Peak 10 of 10").waitFor();
    await hoverLatest();
    await eventually(async () => assert.match(await card.getByRole("tooltip").innerText(), /\d+ of 12 seats in use/));
    await shot(page, "board-usage-after-licenses-desktop");
  });

  test("usage on a phone and in French: the list reads in French with durations in minutes", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await signIn(DEMO_ADMIN, { viewport: PHONE, locale: "fr-FR", path: "/subscription?range=hour" });
    const card = page.getByRole("region", { name: "Remote Support v5" });
    await eventually(async () => assert.match(await card.locator(".shortage-list").innerText(), /^Plus aucun poste libre à \d{1,2}:\d{2} pendant \d+ (min|s)( \d+ s)? — 2 agents refusés/));
    await card.scrollIntoViewIfNeeded();
    await shot(page, "board-usage-phone-fr");
    await assertNoAxeViolations(page, "Postes et abonnement (téléphone)");
  });

  test("audit log: details in words, a date range, CSV export, targets that link to their page", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await signIn(DEMO_ADMIN, { viewport: WIDE, path: "/audit" });
    const table = page.getByRole("table", { name: "Audit log" });
    const settings = table.getByRole("row").filter({ hasText: "Settings changed" }).first();
    assert.match(await settings.innerText(), /lease\s*1 min 30 s → 1 h/, "90 then 3600 seconds read as durations");
    const dismissed = table.getByRole("row").filter({ hasText: "Release request dismissed" });
    assert.match(await dismissed.innerText(), /note\s*Two seats were just freed/);
    const licences = table.getByRole("row").filter({ hasText: "Licenses changed" }).first();
    assert.match(await licences.innerText(), /concurrent seats\s*10 → 12/);
    await shot(page, "board-audit-desktop");
    await assertNoAxeViolations(page, "Audit log");

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download CSV" }).click()]);
    const csv = await (await import("node:fs")).promises.readFile((await download.path())!, "utf8");
    assert.equal(csv.split("\r\n")[0], "at,actorType,actorId,actorName,action,targetType,targetId,targetName,details");
    assert.match(csv, /release_request\.dismissed/);

    const tomorrow = new Date(Date.now() + 86_400_000);
    const day = `${tomorrow.getFullYear()}-${String(tomorrow.getMonth() + 1).padStart(2, "0")}-${String(tomorrow.getDate()).padStart(2, "0")}`;
    await page.getByLabel("From").fill(day);
    await page.getByText("No entries match these filters.").waitFor();
    await page.getByRole("button", { name: "Clear filters" }).click();
    await dismissed.getByRole("link", { name: "Manon Bertrand" }).click();
    await page.getByRole("heading", { name: "Manon Bertrand", level: 1 }).waitFor();
    assert.match(page.url(), /\/users\/usr_\w+$/, "the user's own page");
  });

  test("audit log on a phone, in French: nothing overflows, details and actions translated", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await signIn(DEMO_ADMIN, { viewport: PHONE, locale: "fr-FR", path: "/audit" });
    const table = page.getByRole("table", { name: "Journal d'audit" });
    await table.getByText("Demande de libération refusée").first().waitFor();
    assert.match(await table.getByRole("row").filter({ hasText: "Paramètres modifiés" }).first().innerText(), /bail\s*1 min 30 s → 1 h/);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), "no horizontal scrolling");
    const overflowing = await page.evaluate(() =>
      [...document.querySelectorAll("main td *")].filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1).map((el) => el.textContent),
    );
    assert.deepEqual(overflowing, []);
    await shot(page, "board-audit-phone-fr");
    await assertNoAxeViolations(page, "Journal d'audit (téléphone)");
  });

  test("overview: per product the seats in use of those licensed, who waits, open requests and when seats last ran out", async (t) => {
    if (skipWithoutChromium(t)) return;
    for (const [viewport, name] of [[WIDE, "desktop"], [PHONE, "phone"]] as const) {
      const page = await signIn(DEMO_ADMIN, { viewport, path: "/overview" });
      await page.getByRole("heading", { name: "Overview", level: 1 }).waitFor();
      const rs5 = page.getByRole("region", { name: "Remote Support v5" });
      await eventually(async () => assert.equal(await rs5.getByRole("meter", { name: "Remote Support v5 – Concurrent seats" }).getAttribute("aria-valuetext"), "8 of 12 occupied"));
      await rs5.getByText(/^Karine Garcia$/).waitFor();
      assert.match(await rs5.innerText(), /Karine Garcia seat reserved until \d{1,2}:\d{2}/);
      assert.match(await rs5.innerText(), /1 open request — Louis David/);
      assert.match(await rs5.innerText(), /Last time seats ran out\s+\d+ minutes? ago|Last time seats ran out\s+now/);
      assert.match(await page.getByRole("region", { name: "Remote Support", exact: true }).innerText(), /Not in the last 7 days\./);
      await shot(page, `board-overview-${name}`);
      await rs5.getByRole("link", { name: "1 open request" }).click();
      await page.getByRole("heading", { name: "Manage shared sessions", level: 1 }).waitFor();
      assert.match(page.url(), /\/shared-sessions\?product=remote-support-v5$/);
    }
  });

  test("axe-core: every page, signed in and out, at 1440×900 and on a phone, has no WCAG A/AA violation", async (t) => {
    if (skipWithoutChromium(t)) return;
    const pages = ["/overview", "/users", "/groups", "/shared-sessions", "/subscription", "/audit", "/settings"];
    for (const viewport of [WIDE, PHONE]) {
      for (const locale of ["en-US", "fr-FR"]) {
        const page = await signIn(DEMO_ADMIN, { viewport, locale, path: "/overview" });
        for (const path of pages) {
          await page.goto(`${suite.url}${path}`);
          await page.getByRole("main").waitFor();
          await page.waitForLoadState("networkidle");
          await assertNoAxeViolations(page, `${path} (${viewport.width}×${viewport.height}, ${locale})`);
        }
        await page.goto(`${suite.url}/users`);
        await page.getByRole("button", { name: locale === "fr-FR" ? "Importer un CSV" : "Import CSV" }).click();
        await page.getByRole("dialog").waitFor();
        await assertNoAxeViolations(page, `the import dialog (${viewport.width}, ${locale})`);
      }
      const signedOut = await suite.newPage({ viewport });
      await signedOut.goto(`${suite.url}/sign-in`);
      await signedOut.getByRole("heading", { name: "Sign in to the admin center" }).waitFor();
      await assertNoAxeViolations(signedOut, `sign-in (${viewport.width})`);
      const agent = await signIn(agentEmail(14), { viewport });
      await assertNoAxeViolations(agent, `the agent notice (${viewport.width})`);
    }
  });

  test("a11y: visible text is in each control's name, the language select's focus ring shows, the file picker speaks French", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await signIn(DEMO_ADMIN, { viewport: WIDE, locale: "fr-FR", path: "/users" });
    await page.getByRole("button", { name: "Importer un CSV" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText("Choisir un fichier", { exact: true }).waitFor();
    await dialog.getByText("Aucun fichier choisi", { exact: true }).waitFor();
    await dialog.getByLabel("Fichier CSV", { exact: true }).setInputFiles({ name: "équipe.csv", mimeType: "text/csv", buffer: Buffer.from("email,name\n") });
    await dialog.getByText("équipe.csv", { exact: true }).waitFor();
    await shot(page, "board-file-input-fr");
    await page.keyboard.press("Escape");

    // Every button's accessible name contains its visible text (WCAG 2.5.3).
    for (const path of ["/groups", "/shared-sessions", "/subscription", "/overview"]) {
      await page.goto(`${suite.url}${path}`);
      await page.getByRole("main").waitFor();
      await page.waitForLoadState("networkidle");
      const mismatched = await page.evaluate(() =>
        [...document.querySelectorAll("main button[aria-label], main a[aria-label]")]
          .map((el) => ({ text: (el as HTMLElement).innerText.trim(), name: el.getAttribute("aria-label")! }))
          .filter(({ text, name }) => text && !name.toLowerCase().includes(text.toLowerCase())),
      );
      assert.deepEqual(mismatched, [], path);
    }

    const select = page.locator(".sidebar").getByLabel("Langue");
    await select.focus();
    const ring = await select.evaluate((el) => {
      const style = getComputedStyle(el);
      return { outline: style.outlineStyle, width: parseFloat(style.outlineWidth), color: style.outlineColor };
    });
    assert.equal(ring.outline, "solid");
    assert.ok(ring.width >= 2);
    assert.equal(ring.color, "rgb(255, 255, 255)", "white on the dark sidebar");
  });
});
