// The privilege matrix: every route of the API, tried by every kind of caller. Denied
// callers get 401/403 even with an invalid body (403 takes precedence over 400), and
// allowed callers never do. A route missing from the matrix fails the test.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { eachBackend } from "../support/suite.js";
import { OPERATOR_TOKEN, type TestAccount } from "../support/app.js";
import type { Problem } from "../../src/domain/shapes.js";

type Caller = "anonymous" | "agent" | "manager" | "managerUsers" | "managerSeats" | "admin" | "billingAdmin" | "operator";
const CALLERS: Caller[] = ["anonymous", "agent", "manager", "managerUsers", "managerSeats", "admin", "billingAdmin", "operator"];
const USERS: Caller[] = ["agent", "manager", "managerUsers", "managerSeats", "admin", "billingAdmin"];
const STAFF: Caller[] = ["manager", "managerUsers", "managerSeats", "admin", "billingAdmin"];
const USERS_WRITE: Caller[] = ["managerUsers", "admin", "billingAdmin"];
const SEATS_MANAGE: Caller[] = ["managerSeats", "admin", "billingAdmin"];
const ADMINS: Caller[] = ["admin", "billingAdmin"];

interface Row {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  allowed: Caller[];
  /** Deliberately invalid where there is a body: the allowed get a 400, never a 401/403. */
  body?: unknown;
  deniedCode?: string;
  /** The call spends the caller's token (logout): use fresh ones. */
  spendsToken?: boolean;
  /** A stream that stays open: only refusals are tried here (the SSE tests cover the rest). */
  stream?: boolean;
}

export const MATRIX: Row[] = [
  { method: "POST", path: "/api/v1/products", allowed: ["operator"], body: { slug: "Not A Slug" } },
  { method: "GET", path: "/api/v1/products", allowed: [...USERS, "operator"] },
  { method: "POST", path: "/api/v1/accounts", allowed: ["operator"], body: { name: "" } },
  { method: "POST", path: "/api/v1/auth/logout", allowed: [...USERS, "operator"], spendsToken: true },
  { method: "GET", path: "/api/v1/users", allowed: STAFF },
  { method: "POST", path: "/api/v1/users", allowed: USERS_WRITE, body: { email: "nope" } },
  { method: "GET", path: "/api/v1/users/:id", allowed: STAFF },
  { method: "PATCH", path: "/api/v1/users/:id", allowed: USERS_WRITE, body: { role: "emperor" } },
  { method: "DELETE", path: "/api/v1/users/:id", allowed: USERS_WRITE },
  { method: "POST", path: "/api/v1/users/import", allowed: USERS_WRITE, body: "email,name,department" },
  { method: "PUT", path: "/api/v1/users/:id/seats/:product", allowed: SEATS_MANAGE, body: { type: "both" } },
  { method: "DELETE", path: "/api/v1/users/:id/seats/:product", allowed: SEATS_MANAGE },
  { method: "GET", path: "/api/v1/users/count", allowed: STAFF },
  { method: "GET", path: "/api/v1/users/:id/activity", allowed: STAFF },
  { method: "PUT", path: "/api/v1/users/seats/:product", allowed: SEATS_MANAGE, body: { type: "both" } },
  { method: "POST", path: "/api/v1/users/seats/:product/revoke", allowed: SEATS_MANAGE, body: { users: [] } },
  { method: "GET", path: "/api/v1/subscription", allowed: STAFF },
  { method: "PUT", path: "/api/v1/subscription/:product", allowed: ["billingAdmin"], body: { named: -1 }, deniedCode: "NOT_BILLING_CONTACT" },
  { method: "GET", path: "/api/v1/account", allowed: USERS },
  { method: "PATCH", path: "/api/v1/account", allowed: ADMINS, body: { settings: { leaseTtlSeconds: 1 } } },
  { method: "GET", path: "/api/v1/audit", allowed: ADMINS },
  { method: "GET", path: "/api/v1/shared-sessions", allowed: SEATS_MANAGE },
  { method: "POST", path: "/api/v1/shared-sessions/end", allowed: SEATS_MANAGE, body: { ids: [] } },
  { method: "GET", path: "/api/v1/release-requests", allowed: SEATS_MANAGE },
  { method: "GET", path: "/api/v1/usage", allowed: STAFF },
  { method: "POST", path: "/api/v1/release-requests/:id/close", allowed: SEATS_MANAGE, body: { outcome: "forgotten" } },
  { method: "GET", path: "/api/v1/queue", allowed: SEATS_MANAGE },
  { method: "GET", path: "/api/v1/usage/shortages", allowed: STAFF },
  { method: "GET", path: "/api/v1/usage/advice", allowed: STAFF },
  { method: "GET", path: "/api/v1/dormant-seats", allowed: SEATS_MANAGE },
  { method: "POST", path: "/api/v1/dormant-seats/reclaim", allowed: SEATS_MANAGE, body: { action: "shred", seats: [] } },
  { method: "GET", path: "/api/v1/dormant-seats/settings", allowed: ADMINS },
  { method: "PUT", path: "/api/v1/dormant-seats/settings", allowed: ADMINS, body: { days: 0, reclaim: "off" } },
  { method: "GET", path: "/api/v1/me/seats", allowed: USERS },
  { method: "POST", path: "/api/v1/me/sessions", allowed: USERS, body: { product: "Not A Slug" } },
  { method: "POST", path: "/api/v1/me/sessions/:id/connect", allowed: USERS, body: { mode: "telepathic" } },
  { method: "POST", path: "/api/v1/me/sessions/:id/end", allowed: USERS },
  { method: "POST", path: "/api/v1/me/heartbeat", allowed: USERS },
  { method: "POST", path: "/api/v1/me/release-requests", allowed: USERS, body: { product: 42 } },
  { method: "GET", path: "/api/v1/me/release-requests", allowed: USERS },
  { method: "GET", path: "/api/v1/me/events", allowed: USERS, stream: true },
  { method: "POST", path: "/api/v1/scim-tokens", allowed: ADMINS, body: { name: "" } },
  { method: "GET", path: "/api/v1/scim-tokens", allowed: ADMINS },
  { method: "DELETE", path: "/api/v1/scim-tokens/:id", allowed: ADMINS },
  { method: "POST", path: "/api/v1/webhooks", allowed: ADMINS, body: { url: "", events: [] } },
  { method: "GET", path: "/api/v1/webhooks", allowed: ADMINS },
  { method: "GET", path: "/api/v1/webhooks/:id", allowed: ADMINS },
  { method: "PATCH", path: "/api/v1/webhooks/:id", allowed: ADMINS, body: {} },
  { method: "DELETE", path: "/api/v1/webhooks/:id", allowed: ADMINS },
  { method: "POST", path: "/api/v1/webhooks/:id/secret", allowed: ADMINS },
  { method: "GET", path: "/api/v1/webhooks/:id/deliveries", allowed: ADMINS },
  { method: "POST", path: "/api/v1/webhooks/:id/deliveries/:delivery/replay", allowed: ADMINS },
  { method: "GET", path: "/api/v1/groups", allowed: STAFF },
  { method: "PUT", path: "/api/v1/groups/:id/seat", allowed: SEATS_MANAGE, body: { product: "Not A Slug", type: "both" } },
  { method: "DELETE", path: "/api/v1/groups/:id/seat", allowed: SEATS_MANAGE },
];

/**
 * Account administration: who may change or remove whom (API.md, "Account administration").
 * A manager reaches only agents and managers whose privileges are all its own, never an
 * admin; the route's own privilege ("users:write") is not enough.
 */
type Kind = "agent" | "managerNone" | "managerUsers" | "managerSeats" | "managerBoth" | "admin";
const KINDS: Kind[] = ["agent", "managerNone", "managerUsers", "managerSeats", "managerBoth", "admin"];
const PRIVILEGES_OF: Record<Kind, string[]> = {
  agent: [], managerNone: [], managerUsers: ["users:write"], managerSeats: ["seats:manage"], managerBoth: ["users:write", "seats:manage"], admin: [],
};
type Administrator = "managerUsers" | "managerBoth" | "admin";
const REACHES: Record<Administrator, Kind[]> = {
  managerUsers: ["agent", "managerNone", "managerUsers"],
  managerBoth: ["agent", "managerNone", "managerUsers", "managerSeats", "managerBoth"],
  admin: KINDS,
};
type Change = "password" | "name" | "email" | "role" | "active" | "delete";
const CHANGES: Change[] = ["password", "name", "email", "role", "active", "delete"];

function request(change: Change, kind: Kind, n: number): { method: "PATCH" | "DELETE"; body?: Record<string, unknown> } {
  switch (change) {
    case "password": return { method: "PATCH", body: { password: "a brand new password" } };
    case "name": return { method: "PATCH", body: { name: "Taken Over" } };
    case "email": return { method: "PATCH", body: { email: `moved-${n}@takeover.test` } };
    case "role": return { method: "PATCH", body: { role: kind === "agent" ? "manager" : "agent" } };
    case "active": return { method: "PATCH", body: { active: false } };
    case "delete": return { method: "DELETE" };
  }
}

/** Routes that need no token at all, or another scheme (SCIM). */
const UNMATRIXED = new Set(["GET /healthz", "GET /readyz", "GET /metrics", "POST /api/v1/auth/login"]);

eachBackend("privilege matrix", ({ t }) => {
  const tokens = {} as Record<Caller, string | null>;
  let account: TestAccount;

  async function makeTokens() {
    tokens.anonymous = null;
    tokens.operator = OPERATOR_TOKEN;
    tokens.billingAdmin = await t().token(account.id, account.admin.id);
    tokens.admin = (await t().user(account, { role: "admin" })).token;
    tokens.agent = (await t().user(account, { role: "agent" })).token;
    tokens.manager = (await t().user(account, { role: "manager", privileges: [] })).token;
    tokens.managerUsers = (await t().user(account, { role: "manager", privileges: ["users:write"] })).token;
    tokens.managerSeats = (await t().user(account, { role: "manager", privileges: ["seats:manage"] })).token;
  }

  before(async () => {
    account = await t().account();
    await makeTokens();
  });

  test("the matrix covers every route in the OpenAPI document", async () => {
    const doc = (await t().call("GET", "/openapi.json")).body as { paths: Record<string, Record<string, unknown>> };
    const inMatrix = new Set(MATRIX.map((r) => `${r.method} ${r.path}`));
    for (const [path, methods] of Object.entries(doc.paths)) {
      if (!path.startsWith("/api/") && !UNMATRIXED.has(`GET ${path}`)) continue;
      for (const method of Object.keys(methods)) {
        const key = `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ":$1")}`;
        if (UNMATRIXED.has(key) || path.startsWith("/scim/")) continue;
        assert.ok(inMatrix.has(key), `${key} has no row in the privilege matrix`);
      }
    }
  });

  for (const row of MATRIX) {
    test(`${row.method} ${row.path}`, async () => {
      const target = await t().user(account, { role: "agent" });
      const url = row.path.replace(":id", target.id).replace(":product", "no-such-product");
      for (const caller of CALLERS) {
        if (row.spendsToken) await makeTokens();
        if (row.stream && row.allowed.includes(caller)) continue;
        const r = await t().call<Partial<Problem>>(row.method, url, { token: tokens[caller], body: row.body });
        if (row.allowed.includes(caller)) {
          assert.ok(r.status !== 401 && r.status !== 403, `${caller} should pass ${row.method} ${row.path}, got ${r.status} ${JSON.stringify(r.body)}`);
        } else if (caller === "anonymous") {
          assert.equal(r.status, 401, `anonymous ${row.method} ${row.path}`);
          assert.equal(r.body.code, "UNAUTHENTICATED");
        } else {
          assert.equal(r.status, 403, `${caller} should be refused ${row.method} ${row.path}, got ${r.status}`);
          assert.equal(r.body.code, row.deniedCode && caller !== "operator" ? row.deniedCode : "FORBIDDEN");
        }
      }
    });
  }

  test("a manager changes or removes only users whose privileges are all its own, never an admin", async () => {
    const administrators = {
      managerUsers: await t().user(account, { role: "manager", privileges: ["users:write"] }),
      managerBoth: await t().user(account, { role: "manager", privileges: ["users:write", "seats:manage"] }),
      admin: await t().user(account, { role: "admin" }),
    };
    const stored = (id: string) =>
      t().database.db.selectFrom("users").select(["name", "email", "role", "privileges", "active", "password_hash"]).where("id", "=", id).executeTakeFirst();
    let n = 0;
    for (const [by, actor] of Object.entries(administrators) as [Administrator, (typeof administrators)[Administrator]][]) {
      for (const kind of KINDS) {
        for (const change of CHANGES) {
          const target = await t().user(account, { role: kind === "admin" ? "admin" : kind === "agent" ? "agent" : "manager", privileges: PRIVILEGES_OF[kind] });
          const before = await stored(target.id);
          const { method, body } = request(change, kind, n++);
          const r = await t().call(method, `/api/v1/users/${target.id}`, { token: actor.token, body });
          const what = `${by} ${change} of ${kind}`;
          if (REACHES[by].includes(kind)) {
            assert.equal(r.status, method === "DELETE" ? 204 : 200, `${what}: ${r.status} ${JSON.stringify(r.body)}`);
          } else {
            assert.equal(r.status, 403, `${what}: ${r.status}`);
            assert.equal(r.body.code, "FORBIDDEN", what);
            assert.deepEqual(await stored(target.id), before, `${what} changed nothing`);
            assert.equal((await t().call("GET", "/api/v1/account", { token: target.token })).status, 200, `${what}: the target is still signed in`);
          }
        }
      }
    }
  });

  test("a CSV import by a lesser manager cannot reset the password of a manager who also manages seats", async () => {
    const lesser = await t().user(account, { role: "manager", privileges: ["users:write"] });
    const both = await t().user(account, { role: "manager", privileges: ["users:write", "seats:manage"] });
    const victim = await t().user(account, { role: "manager", privileges: ["seats:manage"] });
    const csv = `email,name,password\n${victim.email},Victim,taken over at last`;
    const importAs = (token: string) => t().call("POST", "/api/v1/users/import", { token, body: csv, headers: { "content-type": "text/csv" } });
    const signIn = (password: string) => t().call("POST", "/api/v1/auth/login", { body: { email: victim.email, password } });

    const refused = await importAs(lesser.token);
    assert.equal(refused.status, 200);
    assert.deepEqual(refused.body.errors.map((e) => `${e.row} ${e.field}`), ["2 email"]);
    assert.match(refused.body.errors![0].message, /privileges you do not hold/);
    // All or nothing: the row error wrote nothing, the victim keeps its password and sign-ins.
    assert.equal((await signIn("taken over at last")).status, 401);
    assert.equal((await t().call("GET", "/api/v1/account", { token: victim.token })).status, 200);

    // A manager holding every privilege of the victim may, and the victim's old sign-ins end.
    const done = await importAs(both.token);
    assert.deepEqual(done.body.errors, []);
    assert.equal(done.body.updated, 1);
    assert.equal((await t().call("GET", "/api/v1/account", { token: victim.token })).status, 401);
    assert.equal((await signIn("taken over at last")).status, 200);
  });

  test("a SCIM token is refused by every /api/v1 route, and user tokens by /scim/v2", async () => {
    const scimToken = (await t().call("POST", "/api/v1/scim-tokens", { token: tokens.admin, body: { name: "IdP" } })).body.token;
    for (const row of MATRIX.filter((r) => !r.stream && !r.spendsToken)) {
      const url = row.path.replace(":id", account.admin.id).replace(":product", "no-such-product");
      const r = await t().call(row.method, url, { token: scimToken, body: row.body });
      assert.equal(r.status, 401, `SCIM token on ${row.method} ${row.path}`);
    }
    for (const caller of USERS) {
      assert.equal((await t().call("GET", "/scim/v2/Users", { token: tokens[caller] })).status, 401, `${caller} on /scim/v2`);
    }
  });

  test("an unknown or revoked token is 401", async () => {
    const bogus = await t().call("GET", "/api/v1/account", { token: "skt_not-a-real-token" });
    assert.equal(bogus.status, 401);
    assert.equal(bogus.body.code, "UNAUTHENTICATED");
    const user = await t().user(account, { role: "agent" });
    assert.equal((await t().call("POST", "/api/v1/auth/logout", { token: user.token })).status, 204);
    const after = await t().call("GET", "/api/v1/account", { token: user.token });
    assert.equal(after.status, 401);
  });
});
