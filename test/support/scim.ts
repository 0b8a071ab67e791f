// SCIM test helpers: a token per account (made through the API, as an admin would) and
// calls that speak application/scim+json.
import type { ScimJson, TestAccount, TestApp, Response } from "./app.js";

export const USER_URN = "urn:ietf:params:scim:schemas:core:2.0:User";
export const GROUP_URN = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const PATCH_URN = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
export const ERROR_URN = "urn:ietf:params:scim:api:messages:2.0:Error";

export interface ScimClient {
  token: string;
  account: TestAccount;
  get(path: string): Promise<Response<ScimJson>>;
  post(path: string, body: unknown): Promise<Response<ScimJson>>;
  put(path: string, body: unknown, headers?: Record<string, string>): Promise<Response<ScimJson>>;
  patch(path: string, operations: unknown[], headers?: Record<string, string>): Promise<Response<ScimJson>>;
  delete(path: string, headers?: Record<string, string>): Promise<Response<ScimJson>>;
  /** Creates a user and returns its SCIM representation. */
  user(userName: string, extra?: Record<string, unknown>): Promise<ScimJson>;
  group(displayName: string, memberIds?: string[]): Promise<ScimJson>;
}

export async function scimClient(t: TestApp, account?: TestAccount): Promise<ScimClient> {
  const owner = account ?? (await t.account());
  const made = await t.call("POST", "/api/v1/scim-tokens", { token: owner.admin.token, body: { name: "Test IdP" } });
  if (made.status !== 201) throw new Error(`scim token: ${made.status} ${JSON.stringify(made.body)}`);
  const token = made.body.token;
  const headers = { "content-type": "application/scim+json" };
  const client: ScimClient = {
    token,
    account: owner,
    get: (path) => t.call("GET", `/scim/v2${path}`, { token }),
    post: (path, body) => t.call("POST", `/scim/v2${path}`, { token, body, headers }),
    put: (path, body, extra = {}) => t.call("PUT", `/scim/v2${path}`, { token, body, headers: { ...headers, ...extra } }),
    patch: (path, operations, extra = {}) => t.call("PATCH", `/scim/v2${path}`, { token, body: { schemas: [PATCH_URN], Operations: operations }, headers: { ...headers, ...extra } }),
    delete: (path, extra = {}) => t.call("DELETE", `/scim/v2${path}`, { token, headers: extra }),
    async user(userName, extra = {}) {
      const r = await client.post("/Users", { schemas: [USER_URN], userName, name: { givenName: "Given", familyName: "Family" }, active: true, ...extra });
      if (r.status !== 201) throw new Error(`scim user: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    },
    async group(displayName, memberIds = []) {
      const r = await client.post("/Groups", { schemas: [GROUP_URN], displayName, members: memberIds.map((value) => ({ value })) });
      if (r.status !== 201) throw new Error(`scim group: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    },
  };
  return client;
}

export function uniqueEmail(prefix = "scim"): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}@example.test`;
}
