// `seatkeeper serve` as a user runs it: a real process, the demo seeded, the URLs printed.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import { BACKENDS, TEST_TMP, openTestDatabase } from "../support/backends.js";
import { runCli, startServer } from "../support/server.js";

async function demoSignIn(url: string, output: string) {
  const match = /Demo sign-in: (\S+) \/ (\S+)/.exec(output);
  assert.ok(match, output);
  const login = await fetch(new URL("/api/v1/auth/login", url), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: match[1], password: match[2] }),
  });
  assert.equal(login.status, 200);
  const { token } = (await login.json()) as { token: string };
  const subscription = (await (await fetch(new URL("/api/v1/subscription", url), { headers: { authorization: `Bearer ${token}` } })).json()) as any;
  assert.deepEqual(subscription.items.map((i: any) => i.product), ["remote-support", "remote-support-v5", "service-desk"]);
  const v5 = subscription.items.find((i: any) => i.product === "remote-support-v5");
  assert.deepEqual(v5.named, { total: 2, assigned: 2 });
  assert.equal(v5.concurrent.total, 10);
  assert.equal(v5.concurrent.eligible, 15);
}

describe("seatkeeper serve", () => {
  test("on the embedded database: migrates, seeds the demo, prints the URL and sign-in; a second process is refused", async () => {
    const dataDir = path.join(TEST_TMP, `serve-${randomBytes(4).toString("hex")}`);
    const server = await startServer({ SEATKEEPER_DATA_DIR: dataDir, SEATKEEPER_DEMO: "1" });
    try {
      assert.equal((await fetch(new URL("/readyz", server.url))).status, 200);
      assert.equal((await fetch(new URL("/healthz", server.url))).status, 200);
      await demoSignIn(server.url, server.output());

      const second = runCli(["migrate"], { SEATKEEPER_DATA_DIR: dataDir });
      let out = "";
      second.stderr!.on("data", (d) => (out += d));
      const code = await new Promise((resolve) => second.on("exit", resolve));
      assert.equal(code, 1);
      assert.match(out, /in use by another Seatkeeper process/);
    } finally {
      await server.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test("on PostgreSQL with DATABASE_URL", { skip: !BACKENDS.includes("postgres") && "TEST_DATABASE_URL is not set" }, async () => {
    const database = await openTestDatabase("postgres");
    await database.db.deleteFrom("products").execute();
    try {
      const server = await startServer({ DATABASE_URL: database.url!, SEATKEEPER_DEMO: "1" });
      try {
        assert.match(server.output(), /running on PostgreSQL/);
        assert.equal((await fetch(new URL("/readyz", server.url))).status, 200);
        await demoSignIn(server.url, server.output());
      } finally {
        await server.stop();
      }
    } finally {
      await database.close();
    }
  });

  test("operator-token prints a token once; it works over HTTP and is stored hashed", async () => {
    const dataDir = path.join(TEST_TMP, `optoken-${randomBytes(4).toString("hex")}`);
    const make = runCli(["operator-token", "--name", "ci"], { SEATKEEPER_DATA_DIR: dataDir });
    let out = "";
    make.stdout!.on("data", (d) => (out += d));
    assert.equal(await new Promise((resolve) => make.on("exit", resolve)), 0);
    const token = /^(sko_\S+)$/m.exec(out)?.[1];
    assert.ok(token, out);
    const server = await startServer({ SEATKEEPER_DATA_DIR: dataDir });
    try {
      const r = await fetch(new URL("/api/v1/products", server.url), {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ slug: "from-cli", name: "From CLI" }),
      });
      assert.equal(r.status, 201);
    } finally {
      await server.stop();
    }
    const stored = fs.readdirSync(dataDir).length > 0;
    assert.ok(stored);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test("a bad setting stops start-up with a message naming the variable", async () => {
    const child = runCli(["serve"], { PORT: "not-a-port" });
    let out = "";
    child.stderr!.on("data", (d) => (out += d));
    const code = await new Promise((resolve) => child.on("exit", resolve));
    assert.equal(code, 1);
    assert.match(out, /PORT must be an integer/);
  });
});
