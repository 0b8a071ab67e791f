// The served OpenAPI document against real answers: a story that calls every documented
// JSON operation checks each answer against the document's schema for its status, exactly
// (no field the schema lacks, every required one, every type), and fails when an operation
// with a JSON answer was not called, so a new route comes with its shape checked.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Ajv, type ValidateFunction } from "ajv";
import { closedSchema } from "../../src/http/plugins/validation.js";
import { eachBackend } from "../support/suite.js";
import { OPERATOR_TOKEN, uniqueSlug, type CallOptions, type Response } from "../support/app.js";
import { GROUP_URN, scimClient } from "../support/scim.js";

interface Operation {
  method: string;
  path: string;
  pattern: RegExp;
  params: number;
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

eachBackend("response shapes", ({ t }) => {
  test("every documented JSON operation answers exactly the shape the OpenAPI document gives it", async () => {
    const doc = await t().call<{ paths: Record<string, Record<string, { responses?: Operation["responses"] }>> }>("GET", "/openapi.json");
    const operations: Operation[] = [];
    for (const [path, methods] of Object.entries(doc.body.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const params = (path.match(/\{[^}]+\}/g) ?? []).length;
        const pattern = new RegExp(`^${path.replace(/\{[^}]+\}/g, "[^/]+")}$`);
        operations.push({ method: method.toUpperCase(), path, pattern, params, responses: op.responses ?? {} });
      }
    }
    // An operation with a JSON success answer: the ones this story must call.
    const jsonSuccess = (op: Operation) =>
      Object.entries(op.responses).some(([status, r]) => status.startsWith("2") && r.content?.["application/json"]?.schema !== undefined && status !== "204");
    const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
    const validators = new Map<unknown, ValidateFunction>();
    const called = new Set<string>();
    const failures: string[] = [];

    /** Any route's answer: this walker reads a few fields of many shapes. */
    async function call(method: Method, url: string, options: CallOptions = {}): Promise<Response<any>> {
      const r = await t().call<unknown>(method, url, options);
      const path = url.split("?")[0];
      const op = operations.filter((o) => o.method === method && o.pattern.test(path)).sort((a, b) => a.params - b.params)[0];
      assert.ok(op, `${method} ${path} is not in the OpenAPI document`);
      called.add(`${op.method} ${op.path}`);
      const contentType = String(r.headers["content-type"] ?? "");
      if (r.status === 204 || !/json/.test(contentType)) return r;
      const documented = op.responses[String(r.status)]?.content;
      const schema = documented?.["application/json"]?.schema ?? documented?.["application/problem+json"]?.schema;
      if (schema === undefined) {
        failures.push(`${method} ${op.path} answered ${r.status}, which the document does not describe`);
        return r;
      }
      let validate = validators.get(schema);
      if (!validate) validators.set(schema, (validate = ajv.compile(closedSchema(schema) as object)));
      if (!validate(r.body)) failures.push(`${method} ${op.path} ${r.status}: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(r.body).slice(0, 300)}`);
      return r;
    }
    const ok = async (status: number, method: Method, url: string, options: CallOptions = {}) => {
      const r = await call(method, url, options);
      assert.equal(r.status, status, `${method} ${url}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };

    // The operator's catalogue and a customer account.
    await ok(200, "GET", "/healthz");
    await ok(200, "GET", "/readyz");
    await ok(200, "GET", "/.well-known/jwks.json");
    const slug = uniqueSlug();
    await ok(201, "POST", "/api/v1/products", { token: OPERATOR_TOKEN, body: { slug, name: "Shapes Product" } });
    await ok(200, "GET", "/api/v1/products", { token: OPERATOR_TOKEN });
    const email = `${uniqueSlug("admin")}@example.test`;
    const created = await ok(201, "POST", "/api/v1/accounts", {
      token: OPERATOR_TOKEN,
      body: { name: "Shapes", admin: { email, name: "Ada", password: "correct horse battery" } },
    });
    const signIn = await ok(200, "POST", "/api/v1/auth/login", { body: { email, password: "correct horse battery" } });
    const admin = { token: signIn.token as string };
    const account = { id: created.id as string, admin: { id: created.admin.id as string, email, token: admin.token } };

    // The account, its licenses and its users.
    await ok(200, "GET", "/api/v1/account", admin);
    await ok(200, "PATCH", "/api/v1/account", { ...admin, body: { settings: { endedCooldownSeconds: 0 } } });
    await ok(200, "PUT", `/api/v1/subscription/${slug}`, { ...admin, body: { named: 1, concurrent: 1 } });
    await ok(200, "GET", "/api/v1/subscription", admin);
    const agent = await ok(201, "POST", "/api/v1/users", { ...admin, body: { email: `${uniqueSlug("agent")}@example.test`, name: "Agent", role: "agent", password: "correct horse battery" } });
    await ok(200, "GET", "/api/v1/users", admin);
    await ok(200, "GET", `/api/v1/users/${agent.id}`, admin);
    await ok(200, "PATCH", `/api/v1/users/${agent.id}`, { ...admin, body: { name: "Agent Smith" } });
    await ok(200, "PUT", `/api/v1/users/${agent.id}/seats/${slug}`, { ...admin, body: { type: "concurrent" } });
    await ok(200, "GET", `/api/v1/users/count?seat=${slug}:concurrent`, admin);
    await ok(200, "GET", `/api/v1/users/${agent.id}/activity`, admin);
    await ok(200, "POST", `/api/v1/users/seats/${slug}/revoke`, { ...admin, body: { users: [agent.id] } });
    await ok(200, "PUT", `/api/v1/users/seats/${slug}`, { ...admin, body: { users: [agent.id], type: "concurrent" } });
    await ok(200, "POST", "/api/v1/users/import", {
      ...admin,
      body: `email,name,role\n${uniqueSlug("csv")}@example.test,Csv User,agent\n`,
      headers: { "content-type": "text/csv" },
    });

    // The agent app: a seat, a session through its life, a second agent refused and asking for it.
    const agentToken = await t().token(account.id, agent.id, "desktop");
    const me = { token: agentToken };
    await ok(200, "GET", "/api/v1/me/seats", me);
    const session = await ok(201, "POST", "/api/v1/me/sessions", { ...me, body: { product: slug } });
    await ok(200, "POST", `/api/v1/me/sessions/${session.id}/connect`, { ...me, body: { mode: "attended", platform: "mac" } });
    await ok(200, "POST", "/api/v1/me/heartbeat", me);
    const other = await t().user(account, { app: "desktop" });
    await t().grant(account, other.id, slug, "concurrent");
    const refused = await ok(409, "POST", "/api/v1/me/sessions", { token: other.token, body: { product: slug } });
    assert.equal(refused.code, "ALL_SHARED_SEATS_IN_USE");
    const asked = await ok(201, "POST", "/api/v1/me/release-requests", { token: other.token, body: { product: slug, message: "please" } });
    await ok(200, "GET", "/api/v1/release-requests", admin);
    await ok(200, "GET", "/api/v1/queue", admin);
    await ok(200, "POST", `/api/v1/release-requests/${asked.id}/close`, { ...admin, body: { outcome: "dismissed", note: "wait in the queue" } });
    await ok(200, "GET", "/api/v1/me/release-requests", { token: other.token });
    const shared = await ok(200, "GET", "/api/v1/shared-sessions", admin);
    await ok(200, "POST", "/api/v1/shared-sessions/end", { ...admin, body: { ids: [shared.items[0].id] } });
    const second = await ok(201, "POST", "/api/v1/me/sessions", { ...me, body: { product: slug } });
    const ended = await ok(200, "POST", `/api/v1/me/sessions/${second.id}/end`, me);
    assert.equal(ended.endReason, "agent", "an ended session says why");
    await ok(200, "GET", `/api/v1/usage?product=${slug}`, admin);
    await ok(200, "GET", `/api/v1/usage/shortages?product=${slug}`, admin);
    await ok(200, "GET", "/api/v1/audit", admin);

    // Seat-sizing advice, dormant seats, webhooks (to a documentation address nothing answers at).
    await ok(200, "GET", `/api/v1/usage/advice?product=${slug}&days=30`, admin);
    await ok(200, "GET", "/api/v1/dormant-seats?days=0", admin);
    await ok(200, "POST", "/api/v1/dormant-seats/reclaim", { ...admin, body: { action: "convert", seats: [{ userId: agent.id, product: slug }] } });
    await ok(200, "GET", "/api/v1/dormant-seats/settings", admin);
    await ok(200, "PUT", "/api/v1/dormant-seats/settings", { ...admin, body: { days: 30, reclaim: "off" } });
    const hook = await ok(201, "POST", "/api/v1/webhooks", { ...admin, body: { url: "https://203.0.113.10/hook", events: ["subscription.changed"] } });
    await ok(200, "PUT", `/api/v1/subscription/${slug}`, { ...admin, body: { named: 1, concurrent: 2 } });
    await ok(200, "GET", "/api/v1/webhooks", admin);
    await ok(200, "GET", `/api/v1/webhooks/${hook.id}`, admin);
    await ok(200, "PATCH", `/api/v1/webhooks/${hook.id}`, { ...admin, body: { enabled: false } });
    await ok(200, "POST", `/api/v1/webhooks/${hook.id}/secret`, admin);
    const log = await ok(200, "GET", `/api/v1/webhooks/${hook.id}/deliveries`, admin);
    await ok(202, "POST", `/api/v1/webhooks/${hook.id}/deliveries/${log.items[0].id}/replay`, admin);
    await ok(204, "DELETE", `/api/v1/webhooks/${hook.id}`, admin);

    // SCIM: a token, a provisioned group and its seat.
    const token = await ok(201, "POST", "/api/v1/scim-tokens", { ...admin, body: { name: "IdP" } });
    await ok(200, "GET", "/api/v1/scim-tokens", admin);
    const scim = await scimClient(t(), account);
    const member = await scim.user(`${uniqueSlug("scim")}@example.test`);
    const group = (await scim.post("/Groups", { schemas: [GROUP_URN], displayName: "Shapes group", members: [{ value: member.id }] })).body;
    await ok(200, "GET", "/api/v1/groups", admin);
    await ok(200, "PUT", `/api/v1/groups/${group.id}/seat`, { ...admin, body: { product: slug, type: "named" } });
    await ok(204, "DELETE", `/api/v1/groups/${group.id}/seat`, admin);
    await ok(204, "DELETE", `/api/v1/scim-tokens/${token.id}`, admin);

    // Refusals are problems in the shape the document gives them.
    await ok(404, "GET", "/api/v1/users/usr_nobody", admin);
    await ok(400, "PATCH", "/api/v1/account", { ...admin, body: { name: "" } });
    await ok(204, "DELETE", `/api/v1/users/${agent.id}/seats/${slug}`, admin);
    await ok(204, "POST", "/api/v1/auth/logout", me);

    assert.deepEqual(failures, [], "answers that do not match the OpenAPI document");
    const missed = operations.filter((op) => jsonSuccess(op) && !called.has(`${op.method} ${op.path}`)).map((op) => `${op.method} ${op.path}`);
    assert.deepEqual(missed, [], "documented JSON operations this story does not call: add them");
  });
});
