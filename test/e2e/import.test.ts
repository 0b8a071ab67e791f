// CSV import in the admin center, in a real browser against the demo account: the dry run
// lists row errors, the fixed file imports, the users appear. Screenshots of the dialog,
// desktop and phone, land in test-results/screenshots/.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { DEMO_ADMIN, PHONE, browserSuite } from "../support/browser.js";


const BAD_FILE = [
  "email,name,role,seats",
  "lea.fontaine@import.test,Léa Fontaine,agent,remote-support-v5:concurrent",
  "not-an-email,Broken Row,agent,",
  "hugo.blanc@import.test,Hugo Blanc,agent,remote-support-v5:named",
].join("\n");
const FIXED_FILE = [
  "email,name,role,seats",
  "lea.fontaine@import.test,Léa Fontaine,agent,remote-support-v5:concurrent",
  "zoe.martin@import.test,Zoé Martin,manager,",
  "hugo.blanc@import.test,Hugo Blanc,agent,service-desk:named",
].join("\n");

describe("CSV import in the admin center (browser)", () => {
  const suite = browserSuite();
  const { skipWithoutChromium, shot } = suite;

  async function signIn(email: string, viewport?: { width: number; height: number }): Promise<Page> {
    const page = await suite.signIn(email, { viewport });
    await page.getByRole("heading", { name: "Manage users", level: 1 }).waitFor();
    return page;
  }

  async function chooseFile(page: Page, name: string, content: string) {
    await page.getByLabel("CSV file", { exact: true }).setInputFiles({ name, mimeType: "text/csv", buffer: Buffer.from(content) });
  }

  test("the dry run lists row errors; the fixed file imports and its users appear", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await signIn(DEMO_ADMIN);
    await page.getByRole("button", { name: "Import CSV" }).click();
    const dialog = page.getByRole("dialog", { name: "Import users from a CSV file" });
    await dialog.waitFor();
    assert.ok(await page.getByLabel("CSV file", { exact: true }).evaluate((el) => el === document.activeElement), "the file picker has the focus");
    await dialog.getByText("File format and example").click();
    await dialog.getByLabel("Example file").waitFor();

    await chooseFile(page, "users.csv", BAD_FILE);
    const errors = dialog.getByRole("table", { name: "Errors in the file" });
    await errors.waitFor();
    const rows = await errors.locator("tbody tr").allInnerTexts();
    assert.equal(rows.length, 2);
    assert.match(rows[0], /3\s+email\s+must be a valid email address/);
    assert.match(rows[1], /4\s+seats\s+no named seat of remote-support-v5 left/);
    assert.ok(await dialog.getByRole("button", { name: /^Import/ }).isDisabled(), "nothing can be imported while a row has an error");
    await shot(page, "import-dry-run-errors-desktop");

    await chooseFile(page, "users-fixed.csv", FIXED_FILE);
    await dialog.getByText("No errors. Click Import to apply these changes.").waitFor();
    assert.equal(await dialog.locator(".import-counts dd").first().innerText(), "3");
    await shot(page, "import-dry-run-ready-desktop");
    await dialog.getByRole("button", { name: "Import 3 users" }).click();
    await dialog.waitFor({ state: "detached" });
    await page.getByText("Import done: 3 created, 0 updated, 0 unchanged.").waitFor();

    await page.getByLabel("Search").fill("import.test");
    const table = page.getByRole("table", { name: "Manage users" });
    await table.getByText("Léa Fontaine").waitFor();
    const lea = table.locator("tbody tr", { hasText: "Léa Fontaine" });
    assert.match(await lea.innerText(), /Remote Support v5 – Concurrent/);
    assert.match(await table.locator("tbody tr", { hasText: "Hugo Blanc" }).innerText(), /Service Desk – Named/);
    assert.match(await table.locator("tbody tr", { hasText: "Zoé Martin" }).innerText(), /Manager/);
    await shot(page, "import-done-desktop");
  });

  test("on a phone the dialog fits; without add/remove users the button says why", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await signIn(DEMO_ADMIN, PHONE);
    await page.getByRole("button", { name: "Import CSV" }).click();
    const dialog = page.getByRole("dialog", { name: "Import users from a CSV file" });
    await chooseFile(page, "users.csv", BAD_FILE.replace("lea.fontaine", "lea2"));
    await dialog.getByRole("table", { name: "Errors in the file" }).waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= PHONE.width, `the page scrolls sideways: ${width}px`);
    await shot(page, "import-dry-run-errors-phone");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });

    const manager = await signIn("manager@demo.seatkeeper.test");
    const button = manager.getByRole("button", { name: "Import CSV" });
    assert.ok(await button.isDisabled());
    assert.match(String(await button.getAttribute("title")), /Add\/remove users/);
  });
});
