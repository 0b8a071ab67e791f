import assert from "node:assert/strict";
import { test } from "node:test";
import { eachBackend } from "../../../../../test/support/suite.js";
import { sleep } from "../../../../../test/support/pool.js";

eachBackend("audit log: date range and CSV", ({ t }) => {
  test("from and to bound the entries; CSV carries the same filters, quoted and safe for spreadsheets", async () => {
    const account = await t().account();
    const admin = account.admin.token;
    await sleep(20);
    const start = new Date().toISOString();
    const add = async (name: string) => {
      const r = await t().call("POST", "/api/v1/users", { token: admin, body: { email: `${Math.random().toString(36).slice(2)}@example.test`, name, role: "agent" } });
      assert.equal(r.status, 201);
    };
    await add("=cmd|' /C calc'!A0, \"quoted\"");
    await sleep(20);
    const middle = new Date().toISOString();
    await sleep(20);
    await add("Zoé Later");

    const all = (await t().call("GET", `/api/v1/audit?action=user.created&from=${start}`, { token: admin })).body.items;
    assert.equal(all.length, 2);
    const before = (await t().call("GET", `/api/v1/audit?action=user.created&from=${start}&to=${middle}`, { token: admin })).body.items;
    assert.deepEqual(before.map((e: any) => e.target.name), ["=cmd|' /C calc'!A0, \"quoted\""]);
    const since = (await t().call("GET", `/api/v1/audit?action=user.created&from=${middle}`, { token: admin })).body.items;
    assert.deepEqual(since.map((e: any) => e.target.name), ["Zoé Later"]);
    assert.equal((await t().call("GET", `/api/v1/audit?from=${middle}&to=${middle}`, { token: admin })).status, 400);
    assert.equal((await t().call("GET", "/api/v1/audit?from=yesterday", { token: admin })).status, 400);

    const csv = await t().call("GET", `/api/v1/audit?action=user.created&from=${start}&to=${middle}`, { token: admin, headers: { accept: "text/csv" } });
    assert.equal(csv.status, 200);
    assert.match(String(csv.headers["content-type"]), /^text\/csv/);
    const lines = String(csv.body).trimEnd().split("\r\n");
    assert.equal(lines[0], "at,actorType,actorId,actorName,action,targetType,targetId,targetName,details");
    assert.equal(lines.length, 2);
    assert.ok(lines[1].includes(`"'=cmd|' /C calc'!A0, ""quoted"""`), lines[1]);
    assert.equal((await t().call("GET", "/api/v1/audit", { token: admin, headers: { accept: "image/png" } })).status, 406);
    const other = await t().account();
    const theirs = await t().call("GET", `/api/v1/audit?action=user.created&to=${middle}`, { token: other.admin.token, headers: { accept: "text/csv" } });
    assert.equal(String(theirs.body).trimEnd().split("\r\n").length, 1, "only the header: another account's entries never show");
  });
});
