// One union of stable error codes. Transport layers map each to a status (src/http/problem.ts)
// and a message for people (./messages.ts); the code itself never changes with the language.

export type ErrorCode =
  | "VALIDATION_FAILED"
  | "UNAUTHENTICATED"
  | "INVALID_CREDENTIALS"
  | "FORBIDDEN"
  | "NOT_BILLING_CONTACT"
  | "NO_SEAT_ASSIGNED"
  | "NOT_FOUND"
  | "EMAIL_TAKEN"
  | "PRODUCT_EXISTS"
  | "NO_NAMED_SEAT_AVAILABLE"
  | "NAMED_SEATS_IN_USE"
  | "NO_SUBSCRIPTION"
  | "LAST_ADMIN"
  | "LAST_BILLING_CONTACT"
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
  | "NOT_ACCEPTABLE"
  | "SERVICE_UNAVAILABLE"
  | "INTERNAL";

export interface FieldError {
  field: string;
  message: string;
}

/** A field error before translation: `key` names a message of src/domain/messages.ts. */
export interface FieldProblem {
  field: string;
  key: string;
  params?: MessageParams;
}

/** Values substituted into the message for people, e.g. `{ product: "service-desk" }`. */
export type MessageParams = Record<string, string | number>;

/** An expected refusal: carries its code, what to say, and extra answer fields. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly params: MessageParams = {},
    /** Extra members of the problem body, e.g. `queuePosition`. */
    readonly extra: Record<string, unknown> = {},
    readonly errors: FieldProblem[] = [],
    /** Seconds for a Retry-After header. */
    readonly retryAfter?: number,
  ) {
    super(code);
    this.name = "DomainError";
  }
}

export const notFound = (what = "resource"): DomainError => new DomainError("NOT_FOUND", { what });
export const forbidden = (reason = "privilege"): DomainError => new DomainError("FORBIDDEN", { reason });

/** 400 naming the field; `key` is a message of src/domain/messages.ts (plain text is kept as is). */
export function validationFailed(field: string, key: string, params: MessageParams = {}): DomainError {
  return new DomainError("VALIDATION_FAILED", {}, {}, [{ field, key, params }]);
}
