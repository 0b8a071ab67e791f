// Input the database cannot store, cursors and dates a client made up, prototype names,
// oversized lists, empty bodies and absurd ids: each is a clear 4xx (problem+json on the
// API, the SCIM error schema on /scim/v2), never a 500, and nothing is written.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { eachBackend } from "../support/suite.js";
import { fingerprinter } from "../support/fingerprint.js";
import { type Response, type TestAccount, type TestUser } from "../support/app.js";
import { ERROR_URN, USER_URN, scimClient, uniqueEmail, type ScimClient } from "../support/scim.js";


function assertProblem(r: Response, field: string, label: string): void {
  assert.equal(r.status, 400, `${label} → ${r.status} ${JSON.stringify(r.body)}`);
  assert.equal(r.body.code, "VALIDATION_FAILED", label);
  assert.equal(r.headers["content-type"], "application/problem+json; charset=utf-8", label);
  assert.ok(r.body.errors.some((e: { field: string }) => e.field === field), `${label}: expected field ${field} in ${JSON.stringify(r.body.errors)}`);
}

function assertScimError(r: Response, status: number, label: string, scimType?: string): void {
  assert.equal(r.status, status, `${label} → ${r.status} ${JSON.stringify(r.body)}`);
  assert.deepEqual(r.body.schemas, [ERROR_URN], label);
  assert.equal(r.body.status, String(status), label);
  if (scimType) assert.equal(r.body.scimType, scimType, label);
}

eachBackend("hostile input", ({ t }) => {
  let account: TestAccount;
  let agent: TestUser;
  let slug: string;
  let scim: ScimClient;
  let snapshot: () => Promise<Map<string, string>>;

  before(async () => {
    account = await t().account();
    slug = (await t().product()).slug;
    await t().subscribe(account, slug, 2, 2);
    agent = await t().user(account);
    await t().grant(account, agent.id, slug, "concurrent");
    scim = await scimClient(t(), account);
    snapshot = await fingerprinter(t().database.db);
  });

  const csv = (text: string | Buffer, dryRun: boolean) =>
    t().call("POST", `/api/v1/users/import?dryRun=${dryRun}`, { token: account.admin.token, body: text, headers: { "content-type": "text/csv" } });
  const raw = async (method: "POST" | "PATCH", url: string, token: string, payload: Buffer | string, contentType: string): Promise<Response> => {
    const r = await t().app.inject({ method, url, payload, headers: { authorization: `Bearer ${token}`, "content-type": contentType } });
    return { status: r.statusCode, body: r.body === "" ? "" : JSON.parse(r.body), headers: r.headers };
  };

  test("actions without a body take Content-Type: application/json with an empty body", async () => {
    const json = { "content-type": "application/json" };
    const started = await t().call("POST", "/api/v1/me/sessions", { token: agent.token, body: { product: slug } });
    assert.equal(started.status, 201);
    assert.equal((await t().call("POST", "/api/v1/me/heartbeat", { token: agent.token, body: "", headers: json })).status, 200);
    const ended = await t().call("POST", `/api/v1/me/sessions/${started.body.id}/end`, { token: agent.token, body: "", headers: json });
    assert.equal(ended.status, 200);
    assert.equal(ended.body.state, "ended");
    const victim = await t().user(account);
    await t().grant(account, victim.id, slug, "concurrent");
    assert.equal((await t().call("DELETE", `/api/v1/users/${victim.id}/seats/${slug}`, { token: account.admin.token, body: "", headers: json })).status, 204);
    assert.equal((await scim.delete(`/Users/${(await scim.user(uniqueEmail())).id}`, { "content-type": "application/scim+json", "content-length": "0" })).status, 204);
    const signedIn = await t().token(account.id, agent.id, "desktop");
    assert.equal((await t().call("POST", "/api/v1/auth/logout", { token: signedIn, body: "", headers: json })).status, 204);
    assert.equal((await t().call("GET", "/api/v1/me/seats", { token: signedIn })).status, 401, "the token is revoked");

    // A route that reads a body still needs one.
    const connect = await t().call("POST", `/api/v1/me/sessions/${started.body.id}/connect`, { token: agent.token, body: "", headers: json });
    assert.deepEqual(connect.body.errors, [{ field: "body", message: "is empty" }]);
    assertProblem(await t().call("POST", "/api/v1/users", { token: account.admin.token, body: "", headers: json }), "body", "POST /users");
  });

  test("a body that is not UTF-8 is a 400, never stored with U+FFFD in its place", async () => {
    const admin = account.admin.token;
    const before = await snapshot();
    const notUtf8 = Buffer.concat([Buffer.from('{"name":"Acme '), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    const api = await raw("PATCH", "/api/v1/account", admin, notUtf8, "application/json");
    assertProblem(api, "body", "invalid UTF-8");
    assert.deepEqual(api.body.errors, [{ field: "body", message: "is not valid UTF-8" }]);
    const scimBody = Buffer.concat([Buffer.from(`{"schemas":["${USER_URN}"],"userName":"${uniqueEmail()}","displayName":"`), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    assertScimError(await raw("POST", "/scim/v2/Users", scim.token, scimBody, "application/scim+json"), 400, "SCIM invalid UTF-8");
    assertProblem(await csv(Buffer.concat([Buffer.from(`email,name\n${uniqueEmail()},`), Buffer.from([0xe9]), Buffer.from("\n")]), false), "body", "CSV invalid UTF-8");
    const fr = await t().app.inject({ method: "PATCH", url: "/api/v1/account", payload: notUtf8, headers: { authorization: `Bearer ${admin}`, "content-type": "application/json", "accept-language": "fr" } });
    assert.deepEqual(JSON.parse(fr.body).errors, [{ field: "body", message: "n'est pas de l'UTF-8 valide" }]);
    assert.deepEqual(await snapshot(), before, "nothing was written");
  });

});
