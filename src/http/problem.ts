// One table of error codes → HTTP status, and one error body (application/problem+json).
import type { FastifyReply, FastifyRequest } from "fastify";
import type { ErrorCode, FieldError, MessageParams } from "../domain/errors.js";
import { errorDetail, errorTitle } from "../domain/messages.js";

export const STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  NOT_BILLING_CONTACT: 403,
  NO_SEAT_ASSIGNED: 403,
  NOT_FOUND: 404,
  NOT_ACCEPTABLE: 406,
  EMAIL_TAKEN: 409,
  PRODUCT_EXISTS: 409,
  NO_NAMED_SEAT_AVAILABLE: 409,
  NAMED_SEATS_IN_USE: 409,
  NO_SUBSCRIPTION: 409,
  LAST_ADMIN: 409,
  LAST_BILLING_CONTACT: 409,
  ALL_SHARED_SEATS_IN_USE: 409,
  SEAT_COOLDOWN: 409,
  SESSION_ENDED_BY_ADMIN: 409,
  SESSION_ENDED: 409,
  TOO_MANY_SESSIONS: 409,
  USER_INACTIVE: 409,
  IDEMPOTENCY_KEY_IN_USE: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  IDEMPOTENCY_KEY_REUSED: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  SERVICE_UNAVAILABLE: 503,
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  requestId: string;
  errors?: FieldError[];
  [extra: string]: unknown;
}

export function problem(
  request: FastifyRequest,
  code: ErrorCode,
  params: MessageParams = {},
  extra: Record<string, unknown> = {},
  errors: FieldError[] = [],
): Problem {
  const lang = request.lang;
  return {
    type: `https://seatkeeper.dev/problems/${code.toLowerCase().replace(/_/g, "-")}`,
    title: errorTitle(code, lang),
    status: STATUS[code],
    detail: errorDetail(code, params, lang),
    code,
    requestId: String(request.id),
    ...(errors.length > 0 && { errors }),
    ...extra,
  };
}

export function sendProblem(reply: FastifyReply, body: Problem, retryAfter?: number): FastifyReply {
  if (retryAfter !== undefined) reply.header("retry-after", String(retryAfter));
  return reply.code(body.status).type("application/problem+json").send(body);
}
