// Seeding a scenario. The catalogue, the account and its subscription go through the HTTP
// API (so a server that keeps more state for them, e.g. a pool row, sets it up itself);
// agents, their seat grants, tokens and any open leases are inserted directly with
// set-based SQL, using only tables and columns every version of the schema has.
import { randomBytes } from "node:crypto";
import { request } from "./http.js";
import type { SqlConnection } from "./databases.js";

export interface Tenant {
  accountId: string;
  product: string;
  adminToken: string;
}

async function call<T>(baseUrl: string, method: "POST" | "PUT" | "PATCH", path: string, token: string, body: unknown, expected: number): Promise<T> {
  const reply = await request(false, `${baseUrl}${path}`, method, token, body);
  if (reply.status !== expected) throw new Error(`seeding: ${method} ${path} answered ${reply.status}: ${reply.text}`);
  return JSON.parse(reply.text) as T;
}

/** A product, an account whose admin is signed in, and `seats` concurrent seats of it. */
export async function seedTenant(baseUrl: string, operatorToken: string, seats: number, leaseTtlSeconds?: number): Promise<Tenant> {
  const tag = randomBytes(4).toString("hex");
  const product = `bench-${tag}`;
  await call(baseUrl, "POST", "/api/v1/products", operatorToken, { slug: product, name: `Bench ${tag}` }, 201);
  const email = `admin-${tag}@bench.test`;
  const password = `bench-password-${randomBytes(8).toString("hex")}`;
  const account = await call<{ id: string }>(baseUrl, "POST", "/api/v1/accounts", operatorToken, { name: `Bench ${tag}`, admin: { email, name: "Bench Admin", password } }, 201);
  const { token } = await call<{ token: string }>(baseUrl, "POST", "/api/v1/auth/login", "", { email, password }, 200);
  await call(baseUrl, "PUT", `/api/v1/subscription/${product}`, token, { named: 0, concurrent: seats }, 200);
  if (leaseTtlSeconds !== undefined) await call(baseUrl, "PATCH", "/api/v1/account", token, { settings: { leaseTtlSeconds } }, 200);
  return { accountId: account.id, product, adminToken: token };
}

/**
 * Endpoints of the tenant's account for every webhook event, at `url`: eleven of them, with
 * queue thresholds 30, 32 … 50, so that the queue's length, which moves around there under
 * the shared workload, keeps crossing one of them and the outbox gets rows.
 */
export async function seedWebhook(baseUrl: string, tenant: Tenant, url: string): Promise<void> {
  const events = ["pool.exhausted", "pool.available", "queue.waiting_over", "release_request.created", "shared_session.ended_by_admin", "lease.expired", "subscription.changed", "seat.granted", "seat.revoked"];
  for (let threshold = 30; threshold <= 50; threshold += 2) {
    await call(baseUrl, "POST", "/api/v1/webhooks", tenant.adminToken, { url, events, queueThreshold: threshold }, 201);
  }
}

/** Ten characters of the id alphabet: agents' ids are `<prefix>_<this><16 hex digits>`. */
export function seedPrefix(): string {
  const alphabet = "0123456789abcdefghjkmnpqrstvwxyz";
  return Array.from(randomBytes(10), (b) => alphabet[b & 31]).join("");
}

export interface AgentSeed {
  tenant: Tenant;
  /** Makes the ids and tokens of this run's agents (agentToken in agents.ts). */
  prefix: string;
  agents: number;
  /** Give each agent an open shared session (a connected support session) of the product. */
  openLeases?: { seconds: number };
}

/**
 * Agents 0…n−1: users with a concurrent seat of the product and a token each, written with
 * a handful of INSERT … SELECT over generate_series, so 100,000 take seconds.
 */
export async function seedAgents(db: SqlConnection, seed: AgentSeed): Promise<void> {
  const values = {
    account: seed.tenant.accountId,
    product: seed.tenant.product,
    prefix: seed.prefix,
    agents: seed.agents,
    leaseSeconds: seed.openLeases?.seconds ?? 0,
  };
  const id = (kind: string) => `'${kind}_' || {prefix}::text || lpad(to_hex(i), 16, '0')`;
  const series = "FROM generate_series(0, {agents}::int - 1) AS i";
  const product = "(SELECT id FROM products WHERE slug = {product}::text)";
  const statements = [
    `INSERT INTO users (account_id, id, email, name, role)
       SELECT {account}::text, ${id("usr")}, 'agent-' || {prefix}::text || '-' || i || '@bench.test', 'Agent ' || i, 'agent' ${series}`,
    `INSERT INTO user_logins (email_lower, account_id, user_id)
       SELECT 'agent-' || {prefix}::text || '-' || i || '@bench.test', {account}::text, ${id("usr")} ${series}`,
    `INSERT INTO seat_assignments (account_id, user_id, product_id, type, source)
       SELECT {account}::text, ${id("usr")}, ${product}, 'concurrent', 'manual' ${series}`,
    `INSERT INTO auth_tokens (token_hash, id, kind, account_id, user_id, app)
       SELECT encode(sha256(convert_to('skt_' || {prefix}::text || '_' || i, 'UTF8')), 'hex'), ${id("tok")}, 'user', {account}::text, ${id("usr")}, 'desktop' ${series}`,
  ];
  if (seed.openLeases) {
    statements.push(
      `INSERT INTO shared_sessions (account_id, id, product_id, user_id, created_at, lease_expires_at)
         SELECT {account}::text, ${id("ss")}, ${product}, ${id("usr")}, now(), now() + make_interval(secs => {leaseSeconds}::int) ${series}`,
      `INSERT INTO support_sessions (account_id, id, user_id, product_id, shared_session_id, seat_type, state, mode, platform, support_key, token_id, created_at, connected_at)
         SELECT {account}::text, ${id("sess")}, ${id("usr")}, ${product}, ${id("ss")}, 'concurrent', 'active', 'attended', 'windows',
                lpad((i % 1000000000)::text, 9, '0'), ${id("tok")}, now(), now() ${series}`,
    );
  }
  await db.query("BEGIN");
  try {
    for (const statement of statements) await db.query(...bind(statement, values));
    await db.query("COMMIT");
  } catch (error) {
    await db.query("ROLLBACK");
    throw error;
  }
  await db.query("ANALYZE");
}

/** `{name}` placeholders to $n, passing only the values a statement uses (PostgreSQL must type each one). */
function bind(text: string, values: Record<string, string | number>): [string, unknown[]] {
  const names: string[] = [];
  const sql = text.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`seed SQL: no value for {${name}}`);
    if (!names.includes(name)) names.push(name);
    return `$${names.indexOf(name) + 1}`;
  });
  return [sql, names.map((name) => values[name])];
}
