// Typed errors: every refusal from the server is a SeatkeeperError whose `code` is the
// server's stable code; a request that never got an answer is a NetworkError.

/** The server's error codes (API.md), and NETWORK for a request without an answer. */
export type ErrorCode =
  | "VALIDATION_FAILED"
  | "UNAUTHENTICATED"
  | "INVALID_CREDENTIALS"
  | "FORBIDDEN"
  | "NOT_BILLING_CONTACT"
  | "NO_SEAT_ASSIGNED"
  | "NOT_FOUND"
  | "ALL_SHARED_SEATS_IN_USE"
  | "SEAT_COOLDOWN"
  | "SESSION_ENDED_BY_ADMIN"
  | "SESSION_ENDED"
  | "TOO_MANY_SESSIONS"
  | "USER_INACTIVE"
  | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "IDEMPOTENCY_KEY_REUSED"
  | "IDEMPOTENCY_KEY_IN_USE"
  | "RATE_LIMITED"
  | "SERVICE_UNAVAILABLE"
  | "INTERNAL"
  | "NETWORK";

/** An application/problem+json answer. */
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code: string;
  requestId?: string;
  errors?: { field: string; message: string }[];
  queuePosition?: number;
  [extra: string]: unknown;
}

export class SeatkeeperError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Seconds to wait, from Retry-After (SEAT_COOLDOWN, RATE_LIMITED). */
  readonly retryAfter: number | undefined;

  constructor(readonly problem: Problem, retryAfter?: number) {
    super(problem.detail ?? problem.title ?? problem.code);
    this.name = "SeatkeeperError";
    this.code = problem.code as ErrorCode;
    this.status = problem.status;
    this.retryAfter = retryAfter;
  }

  /** The queue position a refused start carries when the agent is queued. */
  get queuePosition(): number | undefined {
    return typeof this.problem.queuePosition === "number" ? this.problem.queuePosition : undefined;
  }
}

export class NetworkError extends SeatkeeperError {
  constructor(override readonly cause: unknown) {
    super({ status: 0, code: "NETWORK", detail: `The server could not be reached: ${cause instanceof Error ? cause.message : String(cause)}` });
    this.name = "NetworkError";
  }
}

/** Whether `error` is a SeatkeeperError, with that code when one is given. */
export function isSeatkeeperError(error: unknown, code?: ErrorCode): error is SeatkeeperError {
  return error instanceof SeatkeeperError && (code === undefined || error.code === code);
}
