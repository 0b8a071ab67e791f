// Fixtures for seat-engine tests: one account with one product's pool, agents with seats.
import assert from "node:assert/strict";
import type { TestApp, TestUser } from "./app.js";

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it answers something truthy, or fails naming `what`. */
export async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** An account subscribed to one product with `named` and `concurrent` seats. */
export async function pool(t: TestApp, named: number, concurrent: number, settings?: Record<string, number>) {
  const account = await t.account();
  const product = await t.product("Remote Support v5");
  await t.subscribe(account, product.slug, named, concurrent);
  if (settings) {
    const r = await t.call("PATCH", "/api/v1/account", { token: account.admin.token, body: { settings } });
    assert.equal(r.status, 200);
  }
  const agent = async (type: "named" | "concurrent" = "concurrent", name?: string): Promise<TestUser> => {
    const user = await t.user(account, { app: "desktop", name });
    await t.grant(account, user.id, product.slug, type);
    return user;
  };
  const start = (user: TestUser, extra: Record<string, unknown> = {}) =>
    t.call("POST", "/api/v1/me/sessions", { token: user.token, body: { product: product.slug, ...extra } });
  /** The product's concurrent line of GET /subscription. */
  const line = async () => (await t.call("GET", "/api/v1/subscription", { token: account.admin.token })).body.items[0].concurrent;
  return { account, product, agent, start, line };
}
