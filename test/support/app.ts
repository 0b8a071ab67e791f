// A Seatkeeper app on a test database, driven through app.inject(), plus fixtures that
// make accounts, products and users quickly (precomputed password hashes, direct tokens).
import { randomBytes } from "node:crypto";
import type { LightMyRequestResponse } from "fastify";
import { loadConfig, type Config } from "../../src/config.js";
import { buildApp } from "../../src/http/app.js";
import { newId } from "../../src/domain/ids.js";
import { hashToken, newSecretToken } from "../../src/services/crypto.js";
import { insertToken } from "../../src/store/token.repository.js";
import { insertUser } from "../../src/store/user.repository.js";
import type { Role } from "../../src/domain/access.js";
import type {
  DormantSeats, DormantSettings, ReclaimResult, SeatAdvice, WebhookDelivery, WebhookEndpoint, WebhookEndpoints, WebhookEndpointWithSecret,
  Account, AuditEntry, BulkSeatResult, EndedSharedSessions, Group, Heartbeat, ImportResult, MySeats, NewAccount, NewReleaseRequest, NewScimToken, Page,
  Problem, Product, ReleaseRequest, ScimToken, SharedSession, SignIn, Subscription, SubscriptionLine, SupportSession, Usage, User, UserActivity, UserCount,
  ClosedReleaseRequest, MyReleaseRequests, Queue, Shortages,
} from "../../src/domain/shapes.js";
import { openTestDatabase, type Backend, type TestDatabase } from "./backends.js";

export const OPERATOR_TOKEN = "test-operator-token-0123456789abcdef";
/** Encrypts the test databases' lease signing keys (no key file in the working directory). */
export const LEASE_KEY_SECRET = "test-lease-key-secret-0123456789abcdef";
/** scrypt of TEST_PASSWORD, computed once: hashing per fixture user would dominate test time. */
export const TEST_PASSWORD = "correct horse battery";
export const TEST_PASSWORD_HASH =
  "scrypt$16384$8$5$_vmI76SjeY5CAlopcWc06w$SLU3X5a9wC-jRN31TjOIpnEMlDIhtKCQR1VSRpnV5KU";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * What a route answers, by method and path (the query string aside): its success shape
 * from src/domain/shapes.ts, with a refusal's problem fields beside it (the status says
 * which came). SCIM answers are free-form JSON (extension attributes); other URLs unknown.
 */
export type AnswerOf<M extends Method, U extends string> = ShapeOf<M, U extends `${infer P}?${string}` ? P : U>;
type Answer<S> = S & Partial<Problem>;
/** A SCIM resource or message: any attribute, extensions included. */
export type ScimJson = Record<string, any>;
type ShapeOf<M extends Method, P extends string> =
  P extends `/scim/v2${string}` ? ScimJson
  : M extends "GET" ? (
    P extends "/healthz" ? { status: "ok" }
    : P extends "/api/v1/products" ? Answer<Page<Product>>
    : P extends "/api/v1/users" ? Answer<Page<User>>
    : P extends `/api/v1/users/count${string}` ? Answer<UserCount>
    : P extends `/api/v1/users/${string}/activity` ? Answer<UserActivity>
    : P extends `/api/v1/users/${string}` ? Answer<User>
    : P extends "/api/v1/account" ? Answer<Account>
    : P extends "/api/v1/subscription" ? Answer<Subscription>
    : P extends "/api/v1/audit" ? Answer<Page<AuditEntry>>
    : P extends "/api/v1/me/seats" ? Answer<MySeats>
    : P extends "/api/v1/shared-sessions" ? Answer<Page<SharedSession>>
    : P extends "/api/v1/release-requests" ? Answer<Page<ReleaseRequest>>
    : P extends "/api/v1/usage" ? Answer<Usage>
    : P extends "/api/v1/usage/shortages" ? Answer<Shortages>
    : P extends "/api/v1/queue" ? Answer<Queue>
    : P extends "/api/v1/me/release-requests" ? Answer<MyReleaseRequests>
    : P extends "/api/v1/scim-tokens" ? Answer<Page<ScimToken>>
    : P extends "/api/v1/groups" ? Answer<Page<Group>>
    : P extends "/api/v1/usage/advice" ? Answer<SeatAdvice>
    : P extends "/api/v1/webhooks" ? Answer<WebhookEndpoints>
    : P extends `/api/v1/webhooks/${string}/deliveries` ? Answer<Page<WebhookDelivery>>
    : P extends `/api/v1/webhooks/${string}` ? Answer<WebhookEndpoint>
    : P extends "/api/v1/dormant-seats" ? Answer<DormantSeats>
    : P extends "/api/v1/dormant-seats/settings" ? Answer<DormantSettings>
    : P extends `/api/v1/${string}` ? Answer<object>
    : unknown)
  : M extends "POST" ? (
    P extends "/api/v1/products" ? Answer<Product>
    : P extends "/api/v1/accounts" ? Answer<NewAccount>
    : P extends "/api/v1/auth/login" ? Answer<SignIn>
    : P extends "/api/v1/users/import" ? Answer<ImportResult>
    : P extends "/api/v1/users" ? Answer<User>
    : P extends `/api/v1/users/seats/${string}/revoke` ? Answer<BulkSeatResult>
    : P extends `/api/v1/me/sessions${string}` ? Answer<SupportSession>
    : P extends "/api/v1/me/heartbeat" ? Answer<Heartbeat>
    : P extends "/api/v1/me/release-requests" ? Answer<NewReleaseRequest>
    : P extends "/api/v1/shared-sessions/end" ? Answer<EndedSharedSessions>
    : P extends `/api/v1/release-requests/${string}/close` ? Answer<ClosedReleaseRequest>
    : P extends "/api/v1/scim-tokens" ? Answer<NewScimToken>
    : P extends "/api/v1/webhooks" ? Answer<WebhookEndpointWithSecret>
    : P extends `/api/v1/webhooks/${string}/secret` ? Answer<WebhookEndpointWithSecret>
    : P extends `/api/v1/webhooks/${string}/replay` ? Answer<WebhookDelivery>
    : P extends "/api/v1/dormant-seats/reclaim" ? Answer<ReclaimResult>
    : P extends `/api/v1/${string}` ? Answer<object>
    : unknown)
  : M extends "PATCH" ? (
    P extends "/api/v1/account" ? Answer<Account>
    : P extends `/api/v1/users/${string}` ? Answer<User>
    : P extends `/api/v1/webhooks/${string}` ? Answer<WebhookEndpoint>
    : P extends `/api/v1/${string}` ? Answer<object>
    : unknown)
  : M extends "PUT" ? (
    P extends `/api/v1/users/seats/${string}` ? Answer<BulkSeatResult>
    : P extends `/api/v1/users/${string}/seats/${string}` ? Answer<User>
    : P extends `/api/v1/subscription/${string}` ? Answer<SubscriptionLine>
    : P extends `/api/v1/groups/${string}/seat` ? Answer<Group>
    : P extends "/api/v1/dormant-seats/settings" ? Answer<DormantSettings>
    : P extends `/api/v1/${string}` ? Answer<object>
    : unknown)
  : P extends `/api/v1/${string}` ? Answer<object>
  : unknown;

export interface CallOptions {
  token?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Response<T = unknown> {
  status: number;
  body: T;
  headers: LightMyRequestResponse["headers"];
}

export interface TestUser {
  id: string;
  email: string;
  token: string;
}

export interface TestAccount {
  id: string;
  admin: TestUser;
}

export interface TestApp {
  backend: Backend;
  database: TestDatabase;
  config: Config;
  app: Awaited<ReturnType<typeof buildApp>>;
  call<T = never, M extends Method = Method, U extends string = string>(method: M, url: U, options?: CallOptions): Promise<Response<[T] extends [never] ? AnswerOf<M, U> : T>>;
  /** A product with a unique slug, in the global catalogue. */
  product(name?: string): Promise<{ slug: string; name: string }>;
  /** A new account through the operator API; its admin signs in. */
  account(): Promise<TestAccount>;
  /** A user inserted directly, with a token (no scrypt, no sign-in round trip). */
  user(account: TestAccount, options?: { role?: Role; privileges?: string[]; name?: string; email?: string; app?: "desktop" | "mobile" | null }): Promise<TestUser>;
  /** A fresh token for an existing user. */
  token(accountId: string, userId: string, app?: "desktop" | "mobile" | null): Promise<string>;
  subscribe(account: TestAccount, slug: string, named: number, concurrent: number): Promise<void>;
  grant(account: TestAccount, userId: string, slug: string, type: "named" | "concurrent"): Promise<void>;
  /** Listens on a free loopback port (for streams and other processes), once; returns the base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export function uniqueSlug(prefix = "prod"): string {
  return `${prefix}-${randomBytes(5).toString("hex")}`;
}

export async function startTestApp(backend: Backend, env: Record<string, string> = {}): Promise<TestApp> {
  const database = await openTestDatabase(backend);
  const config = loadConfig({ SEATKEEPER_OPERATOR_TOKEN: OPERATOR_TOKEN, SEATKEEPER_LEASE_KEY_SECRET: LEASE_KEY_SECRET, LOG_LEVEL: "silent", ...env });
  const app = await buildApp({ config, database, logger: false, checkResponses: true });
  const db = database.db;

  const call = async <T = never, M extends Method = Method, U extends string = string>(method: M, url: U, options: CallOptions = {}): Promise<Response<[T] extends [never] ? AnswerOf<M, U> : T>> => {
    const headers: Record<string, string> = { ...options.headers };
    const token = options.token === undefined ? undefined : options.token;
    if (token) headers.authorization = `Bearer ${token}`;
    let payload: string | undefined;
    if (options.body !== undefined) {
      payload = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
      headers["content-type"] ??= "application/json";
    }
    const response = await app.inject({ method, url, headers, payload });
    let body: unknown = response.body;
    if (/\/([\w.-]+\+)?json\b/.test(String(response.headers["content-type"] ?? "")) && response.body !== "") body = JSON.parse(response.body);
    return { status: response.statusCode, body: body as [T] extends [never] ? AnswerOf<M, U> : T, headers: response.headers };
  };

  const testApp: TestApp = {
    backend,
    database,
    config,
    app,
    call,
    async product(name = "Test Product") {
      const slug = uniqueSlug();
      const r = await call("POST", "/api/v1/products", { token: OPERATOR_TOKEN, body: { slug, name } });
      if (r.status !== 201) throw new Error(`product: ${r.status} ${JSON.stringify(r.body)}`);
      return { slug, name };
    },
    async account() {
      const email = `admin-${randomBytes(6).toString("hex")}@example.test`;
      const r = await call("POST", "/api/v1/accounts", {
        token: OPERATOR_TOKEN,
        body: { name: "Test Account", admin: { email, name: "Ada Admin", password: TEST_PASSWORD } },
      });
      if (r.status !== 201) throw new Error(`account: ${r.status} ${JSON.stringify(r.body)}`);
      const account = { id: r.body.id, admin: { id: r.body.admin.id, email, token: "" } };
      account.admin.token = await tokenFor(account.id, account.admin.id, null);
      return account;
    },
    async user(account, options = {}) {
      const id = newId("usr");
      const email = options.email ?? `${options.role ?? "agent"}-${randomBytes(6).toString("hex")}@example.test`;
      await insertUser(db, {
        accountId: account.id,
        id,
        email,
        name: options.name ?? `User ${email.slice(0, 12)}`,
        role: options.role ?? "agent",
        privileges: options.role === "manager" ? options.privileges ?? [] : [],
        billingContact: false,
        passwordHash: TEST_PASSWORD_HASH,
      });
      return { id, email, token: await tokenFor(account.id, id, options.app ?? null) };
    },
    token: (accountId, userId, appKind = null) => tokenFor(accountId, userId, appKind),
    async subscribe(account, slug, named, concurrent) {
      const r = await call("PUT", `/api/v1/subscription/${slug}`, { token: account.admin.token, body: { named, concurrent } });
      if (r.status !== 200) throw new Error(`subscribe: ${r.status} ${JSON.stringify(r.body)}`);
    },
    async grant(account, userId, slug, type) {
      const r = await call("PUT", `/api/v1/users/${userId}/seats/${slug}`, { token: account.admin.token, body: { type } });
      if (r.status !== 200) throw new Error(`grant: ${r.status} ${JSON.stringify(r.body)}`);
    },
    async listen() {
      if (!app.server.listening) await app.listen({ port: 0, host: "127.0.0.1" });
      const address = app.server.address() as { port: number };
      return `http://127.0.0.1:${address.port}`;
    },
    async close() {
      await app.close();
      await database.close();
    },
  };

  async function tokenFor(accountId: string, userId: string, appKind: "desktop" | "mobile" | null): Promise<string> {
    const token = newSecretToken("skt");
    await insertToken(db, { tokenHash: hashToken(token), id: newId("tok"), kind: "user", accountId, userId, name: null, app: appKind });
    return token;
  }

  return testApp;
}

