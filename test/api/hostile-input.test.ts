// Input the database cannot store, cursors and dates a client made up, prototype names,
// oversized lists, empty bodies and absurd ids: each is a clear 4xx (problem+json on the
// API, the SCIM error schema on /scim/v2), never a 500, and nothing is written.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { eachBackend } from "../support/suite.js";
import { fingerprinter } from "../support/fingerprint.js";
import { OPERATOR_TOKEN, type Response, type ScimJson, type TestAccount, type TestUser } from "../support/app.js";
import type { Problem, User } from "../../src/domain/shapes.js";
import { ERROR_URN, USER_URN, scimClient, uniqueEmail, type ScimClient } from "../support/scim.js";

const cursor = (key: unknown) => Buffer.from(JSON.stringify(key)).toString("base64url");
const q = encodeURIComponent;

function assertProblem(r: Response, field: string, label: string): void {
  const body = r.body as Problem;
  assert.equal(r.status, 400, `${label} → ${r.status} ${JSON.stringify(body)}`);
  assert.equal(body.code, "VALIDATION_FAILED", label);
  assert.equal(r.headers["content-type"], "application/problem+json; charset=utf-8", label);
  assert.ok(body.errors?.some((e) => e.field === field), `${label}: expected field ${field} in ${JSON.stringify(body.errors)}`);
}

function assertScimError(r: Response, status: number, label: string, scimType?: string): void {
  const body = r.body as ScimJson;
  assert.equal(r.status, status, `${label} → ${r.status} ${JSON.stringify(body)}`);
  assert.deepEqual(body.schemas, [ERROR_URN], label);
  assert.equal(body.status, String(status), label);
  if (scimType) assert.equal(body.scimType, scimType, label);
}

eachBackend("hostile input", ({ t }) => {
  let account: TestAccount;
  let agent: TestUser;
  let slug: string;
  let scim: ScimClient;
  let scimUserId: string;
  let snapshot: () => Promise<Map<string, string>>;

  before(async () => {
    account = await t().account();
    slug = (await t().product()).slug;
    await t().subscribe(account, slug, 2, 2);
    agent = await t().user(account);
    await t().grant(account, agent.id, slug, "concurrent");
    scim = await scimClient(t(), account);
    scimUserId = (await scim.user(uniqueEmail())).id;
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
    assert.deepEqual((api.body as Problem).errors, [{ field: "body", message: "is not valid UTF-8" }]);
    const scimBody = Buffer.concat([Buffer.from(`{"schemas":["${USER_URN}"],"userName":"${uniqueEmail()}","displayName":"`), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    assertScimError(await raw("POST", "/scim/v2/Users", scim.token, scimBody, "application/scim+json"), 400, "SCIM invalid UTF-8");
    assertProblem(await csv(Buffer.concat([Buffer.from(`email,name\n${uniqueEmail()},`), Buffer.from([0xe9]), Buffer.from("\n")]), false), "body", "CSV invalid UTF-8");
    const fr = await t().app.inject({ method: "PATCH", url: "/api/v1/account", payload: notUtf8, headers: { authorization: `Bearer ${admin}`, "content-type": "application/json", "accept-language": "fr" } });
    assert.deepEqual(JSON.parse(fr.body).errors, [{ field: "body", message: "n'est pas de l'UTF-8 valide" }]);
    assert.deepEqual(await snapshot(), before, "nothing was written");
  });

  test("a NUL byte in any string, or in a key, is a 400 naming the field; nothing is written", async () => {
    const admin = account.admin.token;
    const before = await snapshot();
    const api: [string, Promise<Response>][] = [
      ["name", t().call("POST", "/api/v1/users", { token: admin, body: { email: uniqueEmail(), name: "A\u0000B", role: "agent" } })],
      ["name", t().call("PATCH", "/api/v1/account", { token: admin, body: { name: "Acme\u0000" } })],
      ["admin.name", t().call("POST", "/api/v1/accounts", { token: OPERATOR_TOKEN, body: { name: "N", admin: { email: uniqueEmail(), name: "\u0000", password: "long enough pass" } } })],
      ["email", t().call("POST", "/api/v1/auth/login", { body: { email: `${account.admin.email}\u0000`, password: "whatever1" } })],
      ["q", t().call("GET", "/api/v1/users?q=%00", { token: admin })],
      ["action", t().call("GET", "/api/v1/audit?action=user.%00created", { token: admin })],
      ["message", t().call("POST", "/api/v1/me/release-requests", { token: agent.token, body: { product: slug, message: "please\u0000" } })],
      ["name", t().call("POST", "/api/v1/scim-tokens", { token: admin, body: { name: "IdP\u0000" } })],
      ["ids.0", t().call("POST", "/api/v1/shared-sessions/end", { token: admin, body: { ids: ["ss_\u0000"] } })],
      ["na\ufffdme", t().call("PATCH", `/api/v1/users/${agent.id}`, { token: admin, body: { "na\u0000me": "x" } })],
    ];
    for (const [field, call] of api) assertProblem(await call, field, field);

    const scimCases: [string, Promise<Response>, string][] = [
      ["attributes", scim.get("/Users?attributes=userName%00"), "invalidValue"],
      ["raw NUL in a filter", scim.get(`/Users?filter=${q('userName eq "a\u0000"')}`), "invalidValue"],
      ["escaped NUL in a filter", scim.get(`/Users?filter=${q('userName eq "a\\u0000"')}`), "invalidFilter"],
      ["escaped NUL in a PATCH path", scim.patch(`/Users/${scimUserId}`, [{ op: "remove", path: 'emails[value eq "\\u0000"]' }]), "invalidPath"],
      ["userName", scim.post("/Users", { schemas: [USER_URN], userName: `${uniqueEmail()}\u0000` }), "invalidValue"],
      ["a kept attribute", scim.post("/Users", { schemas: [USER_URN], userName: uniqueEmail(), title: "Boss\u0000" }), "invalidValue"],
      ["PATCH value", scim.patch(`/Users/${scimUserId}`, [{ op: "replace", path: "displayName", value: "\u0000" }]), "invalidValue"],
    ];
    for (const [label, call, scimType] of scimCases) assertScimError(await call, 400, label, scimType);

    // The dry run used to say all was fine, and the real import then failed with a 500.
    for (const dryRun of [true, false]) {
      const r = await csv(`email,name,role\n${uniqueEmail()},Zed\u0000,agent\n`, dryRun);
      assertProblem(r, "body", `CSV dryRun=${dryRun}`);
      assert.match(r.body.errors![0].message, /on line 2$/);
    }
    assert.deepEqual(await snapshot(), before, "nothing was written");
  });

  test("a lone surrogate is a 400, never stored as U+FFFD; a surrogate pair is a character like any other", async () => {
    const admin = account.admin.token;
    const before = await snapshot();
    for (const escaped of ["\\ud800", "\\udc00", "x\\ud83d"]) {
      const r = await raw("POST", "/api/v1/users", admin, `{"email":"${uniqueEmail()}","name":"A${escaped}","role":"agent"}`, "application/json");
      assertProblem(r, "name", escaped);
    }
    assertScimError(await raw("POST", "/scim/v2/Users", scim.token, `{"schemas":["${USER_URN}"],"userName":"${uniqueEmail()}","displayName":"\\udfff"}`, "application/scim+json"), 400, "SCIM lone surrogate");
    assert.deepEqual(await snapshot(), before, "nothing was written");

    const emoji = await raw("POST", "/api/v1/users", admin, `{"email":"${uniqueEmail()}","name":"Smile \\ud83d\\ude00","role":"agent"}`, "application/json");
    assert.equal(emoji.status, 201);
    assert.equal((emoji.body as User).name, "Smile \u{1f600}");
  });

  test("a cursor of the wrong shape is a 400 on every list, and real cursors still page", async () => {
    const admin = account.admin.token;
    const bad = [cursor(["garbage", "x"]), cursor(["\u0000", "x"]), cursor([1, 2]), cursor(["2026-01-01T00:00:00.000Z", "\u0000"]), cursor({}), cursor(["x", "y", "z"]), "not-a-cursor!"];
    for (const list of ["/api/v1/audit", "/api/v1/scim-tokens", "/api/v1/release-requests", "/api/v1/shared-sessions", "/api/v1/users", "/api/v1/groups", "/api/v1/products"]) {
      for (const c of bad) assertProblem(await t().call("GET", `${list}?cursor=${c}`, { token: admin }), "cursor", `${list} ${Buffer.from(c, "base64url").toString()}`);
    }
    const first = await t().call("GET", "/api/v1/users?limit=1", { token: admin });
    assert.ok(first.body.nextCursor);
    const next = await t().call("GET", `/api/v1/users?limit=1&cursor=${first.body.nextCursor}`, { token: admin });
    assert.equal(next.status, 200);
    assert.notEqual(next.body.items[0].id, first.body.items[0].id);
    const audit = await t().call("GET", "/api/v1/audit?limit=1", { token: admin });
    assert.equal((await t().call("GET", `/api/v1/audit?limit=1&cursor=${audit.body.nextCursor}`, { token: admin })).status, 200);
  });

  test("a leap second, a day that does not exist or a year the database cannot hold is a 400", async () => {
    const admin = account.admin.token;
    const usage = (from: string, to = "2026-07-01T01:00:00Z") => t().call("GET", `/api/v1/usage?product=${slug}&from=${q(from)}&to=${q(to)}&step=3600`, { token: admin });
    assertProblem(await usage("2026-06-30T23:59:60Z"), "from", "leap second in from");
    assertProblem(await usage("2026-06-30T00:00:00Z", "2026-06-30T23:59:60Z"), "to", "leap second in to");
    assertProblem(await usage("2026-02-30T00:00:00Z"), "from", "February 30");
    assertProblem(await usage("0001-01-01T00:30:00+01:00"), "from", "year 0 once in UTC");
    assert.equal((await usage("2026-06-30T23:59:59+02:00")).status, 200, "an offset is fine");

    for (const date of ["-200000-01-01T00:00:00Z", "+275760-09-13T00:00:00Z", "2026-06-30T23:59:60Z", "2026-13-01T00:00:00Z"]) {
      assertScimError(await scim.get(`/Users?filter=${q(`meta.created gt "${date}"`)}`), 400, date, "invalidFilter");
    }
    const found = await scim.get(`/Users?filter=${q('meta.created gt "2000-01-01T00:00:00Z"')}`);
    assert.equal(found.status, 200);
    assert.ok(found.body.totalResults >= 1);
  });

  test("prototype names are unknown SCIM attributes, never Object.prototype's", async () => {
    for (const filter of ["constructor pr", 'constructor eq "x"', "toString pr", "__proto__ pr", 'hasOwnProperty eq "x"', 'name.constructor eq "x"', 'emails[constructor eq "x"]', 'meta.valueOf pr']) {
      assertScimError(await scim.get(`/Users?filter=${q(filter)}`), 400, filter, "invalidFilter");
      assertScimError(await scim.get(`/Groups?filter=${q(filter)}`), 400, `Groups ${filter}`, "invalidFilter");
    }
    for (const sortBy of ["constructor", "toString", "name.constructor"]) assertScimError(await scim.get(`/Users?sortBy=${sortBy}`), 400, `sortBy=${sortBy}`, "invalidValue");
  });

  test("a CSV row listing 200,000 seats is one row error, and 70,000 distinct slugs are no 500", async () => {
    const before = await snapshot();
    const seats = Array.from({ length: 200_000 }, (_, i) => `p${i}:named`).join(";");
    for (const dryRun of [true, false]) {
      const r = await csv(`email,name,role,seats\n${uniqueEmail()},Zed,agent,${seats}\n`, dryRun);
      assert.equal(r.status, 200, `dryRun=${dryRun}: ${r.status}`);
      assert.deepEqual(r.body.errors, [{ row: 2, field: "seats", message: "lists 200000 seats; a row may list at most 100" }]);
    }
    const rows = Array.from({ length: 700 }, (_, row) => `${uniqueEmail()},Zed,agent,${Array.from({ length: 100 }, (_, i) => `s${row}-${i}:named`).join(";")}`);
    const many = await csv(`email,name,role,seats\n${rows.join("\n")}\n`, true);
    assert.equal(many.status, 200);
    assert.equal(many.body.errors.length, 70_000);
    assert.equal(many.body.errors![0].message, "names an unknown product: s0-0");
    assert.deepEqual(await snapshot(), before, "nothing was written");
  });

  test("an unknown or malformed id is a 404 however long; 401 and 400 still come first", async () => {
    const admin = account.admin.token;
    for (const id of [`usr_${"x".repeat(97)}`, "y".repeat(150), `sess_${"0".repeat(5000)}`, "%FF", "%ED%A0%80"]) {
      const calls: [string, Promise<Response<Partial<Problem>>>][] = [
        ["GET user", t().call("GET", `/api/v1/users/${id}`, { token: admin })],
        ["PATCH user", t().call("PATCH", `/api/v1/users/${id}`, { token: admin, body: { name: "N" } })],
        ["DELETE user", t().call("DELETE", `/api/v1/users/${id}`, { token: admin })],
        ["PUT seat", t().call("PUT", `/api/v1/users/${id}/seats/${slug}`, { token: admin, body: { type: "named" } })],
        ["end session", t().call("POST", `/api/v1/me/sessions/${id}/end`, { token: agent.token })],
        ["connect session", t().call("POST", `/api/v1/me/sessions/${id}/connect`, { token: agent.token, body: { mode: "attended", platform: "mac" } })],
        ["group seat", t().call("PUT", `/api/v1/groups/${id}/seat`, { token: admin, body: { product: slug, type: "named" } })],
        ["SCIM token", t().call("DELETE", `/api/v1/scim-tokens/${id}`, { token: admin })],
      ];
      for (const [label, call] of calls) {
        const r = await call;
        assert.equal(r.status, 404, `${label} ${id.slice(0, 20)}… → ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
        assert.equal(r.body.code, "NOT_FOUND");
      }
      for (const path of [`/Users/${id}`, `/Groups/${id}`]) assertScimError(await scim.get(path), 404, `SCIM ${path.slice(0, 20)}`);
    }
    const long = "z".repeat(500);
    assert.equal((await t().call("GET", `/api/v1/users/${long}`)).status, 401);
    assertProblem(await t().call("PATCH", `/api/v1/users/${long}`, { token: admin, body: { role: "emperor" } }), "role", "bad body beats a bad id");
  });
  test("a PATCH of the account that changes nothing answers the account (the fuzz test found a 500)", async () => {
    const before = await snapshot();
    const r = await t().call("PATCH", "/api/v1/account", { token: account.admin.token, body: {} });
    assert.equal(r.status, 200);
    assert.equal(r.body.id, account.id);
    assert.equal((await t().call("PATCH", "/api/v1/account", { token: account.admin.token, body: { settings: {} } })).status, 200);
    assert.deepEqual(await snapshot(), before, "nothing was written");
  });

});
