// The only file that reads process.env. Parsed once, validated, frozen.

export const DEFAULT_PORT = 3000;
export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_DATA_DIR = "./data";
export const DEFAULT_SWEEP_INTERVAL_MS = 1000;
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;
export const DEFAULT_WEBHOOK_RETRY_BASE_MS = 30_000;
export const DEFAULT_WEBHOOK_POLL_MS = 1000;
export const DEFAULT_LEASE_KEY_ROTATION_DAYS = 30;
/** Below this a lease key secret is too easy to guess (`openssl rand -base64 32` gives 44). */
export const MIN_LEASE_KEY_SECRET_LENGTH = 32;

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
/** `pretty`: one readable line per entry, for a person at a terminal; `json`: one JSON object per line, for log pipelines. */
export type LogFormat = "pretty" | "json";

export interface Config {
  readonly port: number;
  readonly host: string;
  /** `postgres://…` for PostgreSQL; undefined means the embedded PGlite database. */
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  /** An operator bearer token accepted over HTTP in addition to stored ones. */
  readonly operatorToken: string | undefined;
  readonly demo: boolean;
  readonly logLevel: LogLevel;
  readonly logFormat: LogFormat;
  /** How often this process looks for expired leases and stale sessions. */
  readonly sweepIntervalMs: number;
  /** Trust X-Forwarded-For (behind a load balancer) for client addresses. */
  readonly trustProxy: boolean;
  /**
   * Where clients reach this server (no trailing slash), for absolute links such as SCIM's
   * meta.location. Never taken from a request's Host header, which the client controls.
   */
  readonly publicUrl: string;
  /**
   * The secret that encrypts the lease signing keys in the database; undefined: a key file
   * made in the data directory on first start (one machine only).
   */
  readonly leaseKeySecret: string | undefined;
  /** How often a new lease signing key is made; the previous one stays published until the next. */
  readonly leaseKeyRotationDays: number;
  readonly webhooks: WebhookConfig;
}

export interface WebhookConfig {
  /** This process sends deliveries (every process does unless told not to). */
  readonly deliver: boolean;
  /** Seals endpoints' signing secrets; undefined: a key file in the data directory. */
  readonly key: string | undefined;
  /** Deliveries may go to loopback and private addresses (tests, an intranet). */
  readonly allowPrivate: boolean;
  /** Endpoints may be plain http:// (tests). */
  readonly allowHttp: boolean;
  /** An attempt that has no answer within this fails. */
  readonly timeoutMs: number;
  /** The pause after a first failed attempt; doubled after each further one. */
  readonly retryBaseMs: number;
  /** How often each process looks for deliveries due. */
  readonly pollMs: number;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`Invalid configuration: ${variable} ${message}`);
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be an integer, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (raw === "1" || raw === "true") return true;
  if (raw === "0" || raw === "false") return false;
  throw new ConfigError(name, `must be 1 or 0, got "${raw}"`);
}

/** SEATKEEPER_PUBLIC_URL: an http(s) origin with an optional path, nothing a link could not carry. */
function publicUrl(env: Env, host: string, port: number): string {
  const raw = env.SEATKEEPER_PUBLIC_URL;
  if (raw === undefined || raw === "") return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError("SEATKEEPER_PUBLIC_URL", `must be an absolute URL such as https://seats.example.com, got "${raw}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new ConfigError("SEATKEEPER_PUBLIC_URL", `must start with https:// or http://, got "${raw}"`);
  if (url.username || url.password || url.search || url.hash) {
    throw new ConfigError("SEATKEEPER_PUBLIC_URL", `must not carry credentials, a query or a fragment, got "${raw}"`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

/** SEATKEEPER_WEBHOOK_KEY: at least 32 characters (a passphrase or random base64; it is hashed to the AES key). */
function webhookKey(env: Env): string | undefined {
  const raw = env.SEATKEEPER_WEBHOOK_KEY || undefined;
  if (raw !== undefined && raw.length < 32) throw new ConfigError("SEATKEEPER_WEBHOOK_KEY", "must be at least 32 characters long (e.g. `openssl rand -base64 32`)");
  return raw;
}

const LOG_LEVELS: readonly LogLevel[] = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];
const LOG_FORMATS: readonly LogFormat[] = ["pretty", "json"];

/** `stdoutIsTerminal` picks the default log format: pretty for a person, JSON when stdout goes to a pipe or a file. */
export function loadConfig(env: Env = process.env, stdoutIsTerminal = process.stdout.isTTY === true): Config {
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError("DATABASE_URL", "must start with postgres:// or postgresql://");
  }
  const operatorToken = env.SEATKEEPER_OPERATOR_TOKEN || undefined;
  if (operatorToken !== undefined && operatorToken.length < 16) {
    throw new ConfigError("SEATKEEPER_OPERATOR_TOKEN", "must be at least 16 characters long");
  }
  const logLevel = (env.LOG_LEVEL || "info") as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError("LOG_LEVEL", `must be one of ${LOG_LEVELS.join(", ")}, got "${logLevel}"`);
  }
  const logFormat = (env.LOG_FORMAT || (stdoutIsTerminal ? "pretty" : "json")) as LogFormat;
  if (!LOG_FORMATS.includes(logFormat)) {
    throw new ConfigError("LOG_FORMAT", `must be one of ${LOG_FORMATS.join(", ")}, got "${logFormat}"`);
  }
  const leaseKeySecret = env.SEATKEEPER_LEASE_KEY_SECRET || undefined;
  if (leaseKeySecret !== undefined && leaseKeySecret.length < MIN_LEASE_KEY_SECRET_LENGTH) {
    throw new ConfigError("SEATKEEPER_LEASE_KEY_SECRET", `must be at least ${MIN_LEASE_KEY_SECRET_LENGTH} characters long (e.g. openssl rand -base64 32)`);
  }
  const host = env.HOST || DEFAULT_HOST;
  const port = integer(env, "PORT", DEFAULT_PORT, 0, 65535);
  return Object.freeze({
    port,
    host,
    databaseUrl,
    dataDir: env.SEATKEEPER_DATA_DIR || DEFAULT_DATA_DIR,
    operatorToken,
    demo: flag(env, "SEATKEEPER_DEMO", false),
    logLevel,
    logFormat,
    sweepIntervalMs: integer(env, "SEATKEEPER_SWEEP_INTERVAL_MS", DEFAULT_SWEEP_INTERVAL_MS, 50, 60_000),
    trustProxy: flag(env, "SEATKEEPER_TRUST_PROXY", false),
    publicUrl: publicUrl(env, host, port),
    webhooks: Object.freeze({
      deliver: flag(env, "SEATKEEPER_WEBHOOK_DELIVERY", true),
      key: webhookKey(env),
      allowPrivate: flag(env, "SEATKEEPER_WEBHOOK_ALLOW_PRIVATE", false),
      allowHttp: flag(env, "SEATKEEPER_WEBHOOK_ALLOW_HTTP", false),
      timeoutMs: integer(env, "SEATKEEPER_WEBHOOK_TIMEOUT_MS", DEFAULT_WEBHOOK_TIMEOUT_MS, 100, 60_000),
      retryBaseMs: integer(env, "SEATKEEPER_WEBHOOK_RETRY_BASE_MS", DEFAULT_WEBHOOK_RETRY_BASE_MS, 10, 3_600_000),
      pollMs: integer(env, "SEATKEEPER_WEBHOOK_POLL_MS", DEFAULT_WEBHOOK_POLL_MS, 10, 60_000),
    }),
    leaseKeySecret,
    leaseKeyRotationDays: integer(env, "SEATKEEPER_LEASE_KEY_ROTATION_DAYS", DEFAULT_LEASE_KEY_ROTATION_DAYS, 1, 3650),
  });
}
