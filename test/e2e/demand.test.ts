// "Need more seats?", webhooks and dormant seats in a real browser against the demo account:
// recorded refusals become the advice beside the licenses; an endpoint registered in the UI
// receives a signed delivery and replays it from the log; dormant named seats are converted
// in bulk. Screenshots in test-results/screenshots/.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ApiClient, DEMO_ADMIN, PHONE, browserSuite } from "../support/browser.js";
import { startReceiver, verifySignature } from "../support/webhook-receiver.js";
import { until } from "../support/pool.js";
import type { SeatAdvice } from "../../src/domain/shapes.js";

describe("seat-sizing advice, webhooks and dormant seats (browser)", () => {
  const suite = browserSuite(undefined, {
    SEATKEEPER_WEBHOOK_ALLOW_PRIVATE: "1",
    SEATKEEPER_WEBHOOK_ALLOW_HTTP: "1",
    SEATKEEPER_WEBHOOK_POLL_MS: "100",
    SEATKEEPER_WEBHOOK_RETRY_BASE_MS: "200",
  });
  const { skipWithoutChromium, shot } = suite;

  test("the demo's recorded day: the Subscription page says how many seats would have refused almost nobody, as the API replays it", async (t) => {
    if (skipWithoutChromium(t)) return;
    const admin = await ApiClient.signIn(suite.url, DEMO_ADMIN);
    const replayed = await admin.request<SeatAdvice>("GET", "/usage/advice?product=remote-support-v5&days=7");
    assert.ok(replayed.current.refusals > 0 && replayed.suggested !== null && replayed.suggested > 10, `the demo's day ran out of seats: ${JSON.stringify(replayed.current)}`);
    const target = replayed.items.find((i) => i.capacity === replayed.suggested)!;
    const page = await suite.signIn(DEMO_ADMIN, { path: "/subscription" });
    const advice = page.getByRole("region", { name: "Remote Support v5", exact: true }).getByRole("region", { name: /Need more seats\?/ });
    await advice.getByText(`With ${replayed.suggested} seats instead of 10, last week's ${replayed.current.refusals} refusals would have been ${target.refusals}`).waitFor();
    const rows = advice.getByRole("row");
    assert.equal(await rows.count(), 1 + replayed.items.length, "a header and one row per capacity from 5 to 20");
    await advice.getByText("today", { exact: true }).waitFor();
    await advice.getByText({ low: "Low confidence", medium: "Medium confidence", high: "High confidence", none: "No data" }[replayed.confidence.level]).waitFor();
    await advice.scrollIntoViewIfNeeded();
    await shot(page, "seat-advice-desktop");
    const download = page.waitForEvent("download");
    await advice.getByRole("button", { name: "Download CSV" }).click();
    assert.match((await download).suggestedFilename(), /^seat-advice-remote-support-v5-7d\.csv$/);

    const phone = await suite.signIn(DEMO_ADMIN, { path: "/subscription", viewport: PHONE, locale: "fr-FR" });
    const conseil = phone.getByRole("region", { name: "Remote Support v5", exact: true }).getByRole("region", { name: /Besoin de plus de postes/ });
    await conseil.getByText(`Avec ${replayed.suggested} postes au lieu de 10`).waitFor();
    await conseil.scrollIntoViewIfNeeded();
    await shot(phone, "seat-advice-phone-fr");
  });

  test("an endpoint added in the UI shows its secret once, receives a signed delivery, and replays it from the log", async (t) => {
    if (skipWithoutChromium(t)) return;
    const receiver = await startReceiver();
    try {
      const page = await suite.signIn(DEMO_ADMIN, { path: "/webhooks" });
      await page.getByRole("heading", { name: "Webhooks", level: 1 }).waitFor();
      await page.getByText("No webhook endpoints yet").waitFor();
      await page.getByRole("button", { name: "Add endpoint" }).click();
      const dialog = page.getByRole("dialog", { name: "Add endpoint" });
      await dialog.getByLabel("Endpoint URL").fill(receiver.url);
      await dialog.getByLabel("Description").fill("Ops chat");
      await dialog.getByRole("checkbox", { name: "seat.granted" }).check();
      await shot(page, "webhooks-add-desktop");
      await dialog.getByRole("button", { name: "Create endpoint" }).click();
      const secret = (await page.locator(".webhook-secret").textContent())!;
      assert.match(secret, /^whsec_/);
      await shot(page, "webhooks-secret-desktop");

      const users = await suite.admin.request<{ items: { id: string; email: string }[] }>("GET", "/users?limit=100");
      const agent = users.items.find((u) => u.email === "agent15@demo.seatkeeper.test")!;
      await suite.admin.request("PUT", `/users/${agent.id}/seats/service-desk`, { type: "named" });
      await until("the delivery", async () => receiver.accepted().length === 1);
      const got = receiver.received[0];
      assert.equal(got.json.type, "seat.granted");
      assert.ok(verifySignature(secret, got.headers["seatkeeper-signature"] as string, got.body));

      await page.reload();
      const card = page.getByRole("region", { name: receiver.url });
      await card.getByRole("button", { name: "Delivery log" }).click();
      const log = card.getByRole("table", { name: /Delivery log/ });
      await log.getByText("delivered").waitFor();
      await log.getByRole("button", { name: /^Replay seat\.granted/ }).click();
      await card.getByText("Queued again").waitFor();
      await until("the replay", async () => receiver.accepted().length === 2);
      assert.equal(receiver.received[1].json.id, got.json.id);
      await card.getByRole("button", { name: "Hide log" }).click();
      await card.getByRole("button", { name: "Delivery log" }).click();
      await until("both delivered in the log", async () => (await log.getByText("delivered").count()) === 2);
      await shot(page, "webhooks-log-desktop");
      const phone = await suite.signIn(DEMO_ADMIN, { path: "/webhooks", viewport: PHONE });
      await phone.getByRole("region", { name: receiver.url }).waitFor();
      await shot(phone, "webhooks-phone");
    } finally {
      await receiver.close();
    }
  });

  test("dormant named seats are listed and converted to concurrent in bulk; the dormancy settings save", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await suite.signIn(DEMO_ADMIN, { path: "/dormant-seats" });
    await page.getByRole("heading", { name: "Dormant seats", level: 1 }).waitFor();
    await page.getByText("No dormant named seats").waitFor();
    await page.getByLabel("Dormant after (days)").fill("45");
    await page.getByLabel("Automatic reclaim").selectOption("convert");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Saved.").waitFor();
    assert.deepEqual(await suite.admin.request("GET", "/dormant-seats/settings"), { days: 45, reclaim: "convert" });
    await suite.admin.request("PUT", "/dormant-seats/settings", { days: 30, reclaim: "off" });
    await shot(page, "dormant-empty-desktop");

    // The demo's named seats were granted today: listed as dormant for a period of 0 days.
    await page.goto(`${suite.url}/dormant-seats?days=0`);
    await page.getByRole("checkbox", { name: "Select Nadia Leroy (remote-support-v5)" }).waitFor();
    await shot(page, "dormant-list-desktop");
    await page.getByRole("checkbox", { name: "Select all" }).check();
    await page.getByRole("button", { name: "Convert to concurrent" }).click();
    await page.getByText(/seats? reclaimed/).waitFor();
    await shot(page, "dormant-converted-desktop");
    const users = await suite.admin.request<{ items: { email: string; seats: { product: string; type: string }[] }[] }>("GET", "/users?limit=100");
    const nadia = users.items.find((u) => u.email === "named1@demo.seatkeeper.test")!;
    assert.deepEqual(nadia.seats.map((s) => [s.product, s.type]), [["remote-support-v5", "concurrent"]]);
  });
});
