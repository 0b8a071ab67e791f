// The admin center talks to Seatkeeper only through its public HTTP API, with the
// bearer token it got at sign-in, like any other client.

// The API's shapes come from the server's own schemas (src/domain/shapes.ts): a type-only
// import, erased from the bundle.
import type {
  Account, AccountSettings, AuditEntry, BulkSeatResult, Group, GroupWarning, ImportChange, ImportProgress, ImportResult, NewScimToken, Page, Product,
  ReleaseRequest, ScimToken, SharedSession, SignIn, SubscriptionLine, UsagePoint, User, UserActivity, UserCount, UserSummary,
} from "../../src/domain/shapes.js";

export type {
  Account, AccountSettings, AuditEntry, BulkSeatResult, Group, GroupWarning, ImportChange, ImportProgress, ImportResult, NewScimToken, Page, Product,
  ReleaseRequest, ScimToken, SharedSession, SignIn, SubscriptionLine, UsagePoint, User, UserActivity, UserCount,
};
export type Role = User["role"];
export type Privilege = User["privileges"][number];
export type SeatType = User["seats"][number]["type"];
/** The signed-in user, as sign-in answers it. */
export type SessionUser = UserSummary;

/** An application/problem+json answer, or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors: { field: string; message: string }[] = [],
  ) {
    super(detail);
  }

  /** The message for people: the server's detail, plus what it said about each field. */
  get text(): string {
    if (this.errors.length === 0) return this.detail;
    return `${this.detail} ${this.errors.map((e) => `${e.field}: ${e.message}`).join("; ")}`;
  }

  fieldError(field: string): string | undefined {
    return this.errors.find((e) => e.field === field || e.field.endsWith(`/${field}`) || e.field.endsWith(`.${field}`))?.message;
  }
}

const TOKEN_KEY = "seatkeeper.token";
const USER_KEY = "seatkeeper.user";

export const session = {
  token(): string | null {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  user(): SessionUser | null {
    const raw = sessionStorage.getItem(USER_KEY);
    if (!raw) return null;
    try {
      return JSON.parse(raw) as SessionUser;
    } catch {
      return null;
    }
  },
  save(token: string, user: SessionUser): void {
    sessionStorage.setItem(TOKEN_KEY, token);
    sessionStorage.setItem(USER_KEY, JSON.stringify(user));
  },
  saveUser(user: SessionUser): void {
    sessionStorage.setItem(USER_KEY, JSON.stringify(user));
  },
  clear(): void {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(USER_KEY);
  },
};

let language = "en";
let onUnauthenticated: () => void = () => {};

export function setApiLanguage(lang: string): void {
  language = lang;
}

/** Called when any request answers 401: the token is gone, so is the signed-in state. */
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined | null>;
  accept?: string;
  /** Sign-in answers 401 for wrong credentials: that must not sign anyone out. */
  noAuthRedirect?: boolean;
  signal?: AbortSignal;
}

export function apiUrl(path: string, query?: RequestOptions["query"]): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
  }
  const qs = params.toString();
  return `/api/v1${path}${qs ? `?${qs}` : ""}`;
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { "Accept-Language": language, Accept: options.accept ?? "application/json" };
  const token = session.token();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(apiUrl(path, options.query), {
      method: options.method ?? "GET",
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if ((error as Error).name === "AbortError") throw error;
    throw new ApiError(0, "NETWORK", language === "fr" ? "Le serveur est injoignable. Vérifiez votre connexion." : "The server cannot be reached. Check your connection.");
  }
  if (response.ok) return response;
  let problem: { code?: string; detail?: string; title?: string; errors?: { field: string; message: string }[] } = {};
  try {
    problem = await response.json();
  } catch {
    // Not a problem document (a proxy error page, say): fall back to the status line.
  }
  const error = new ApiError(
    response.status,
    problem.code ?? `HTTP_${response.status}`,
    problem.detail ?? problem.title ?? `${response.status} ${response.statusText}`,
    problem.errors ?? [],
  );
  if (response.status === 401 && !options.noAuthRedirect) onUnauthenticated();
  throw error;
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(path, options);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export async function apiBlob(path: string, options: RequestOptions = {}): Promise<Blob> {
  const response = await send(path, options);
  return response.blob();
}

export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.text;
  return error instanceof Error ? error.message : String(error);
}

/** `replace`: each row's seats are the user's complete set; `add`: the listed seats are granted, none revoked. */
export type SeatsMode = "replace" | "add";

/**
 * POST /users/import with the file as text/csv. Asks for NDJSON so that progress lines
 * arrive while the import runs; the last line is the result (or a problem).
 */
export async function importUsersCsv(file: Blob, dryRun: boolean, seats: SeatsMode, onProgress: (p: ImportProgress) => void): Promise<ImportResult> {
  const headers: Record<string, string> = { "Accept-Language": language, Accept: "application/x-ndjson", "Content-Type": "text/csv" };
  const token = session.token();
  if (token) headers.Authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(apiUrl("/users/import", { dryRun, seats, details: true }), { method: "POST", headers, body: file });
  } catch {
    throw new ApiError(0, "NETWORK", language === "fr" ? "Le serveur est injoignable. Vérifiez votre connexion." : "The server cannot be reached. Check your connection.");
  }
  if (!response.ok || !response.body) {
    const problem = (await response.json().catch(() => ({}))) as { code?: string; detail?: string; errors?: { field: string; message: string }[] };
    if (response.status === 401) onUnauthenticated();
    throw new ApiError(response.status, problem.code ?? `HTTP_${response.status}`, problem.detail ?? `${response.status} ${response.statusText}`, problem.errors ?? []);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  for (;;) {
    const { value, done } = await reader.read();
    buffered += value ?? "";
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines.filter(Boolean)) {
      const message = JSON.parse(line) as ImportProgress | { result: ImportResult } | { error: { code: string; detail: string; status: number } };
      if ("result" in message) return message.result;
      if ("error" in message) throw new ApiError(message.error.status, message.error.code, message.error.detail);
      onProgress(message);
    }
    if (done) break;
  }
  throw new ApiError(0, "NETWORK", language === "fr" ? "L'import s'est interrompu sans résultat." : "The import stopped without a result.");
}

/** The users list's filters, as GET /users, /users/count and the bulk seat endpoints read them. */
export interface UserFilter {
  q?: string;
  role?: Role;
  active?: boolean;
  /** `<product>:<type>`, or `none` for users without any seat. */
  seat?: string;
}

