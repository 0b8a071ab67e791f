// The one error handler: expected refusals become problem+json with their code; framework
// errors (bad JSON, size, content type) map to ours; anything else is a 500 that says
// nothing about internals and is logged with the request id.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { DomainError } from "../../domain/errors.js";
import { ScimError } from "../../domain/scim/errors.js";
import { problem, sendProblem } from "../problem.js";
import { sendScimError } from "../scim-errors.js";
import { SCIM_PREFIX } from "../routes/scim/v2/index.js";
import { fieldErrors } from "./validation.js";
import { fieldMessage, pickLanguage } from "../../domain/messages.js";

/**
 * A path param may be as long as the request line, which Node bounds by its header limit
 * (16 KiB by default): an id too long for the router would otherwise be a 414.
 */
export const MAX_PARAM_LENGTH = 16 * 1024;

const FRAMEWORK_CODES: Record<string, "VALIDATION_FAILED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE"> = {
  FST_ERR_CTP_INVALID_JSON_BODY: "VALIDATION_FAILED",
  FST_ERR_CTP_EMPTY_JSON_BODY: "VALIDATION_FAILED",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "VALIDATION_FAILED",
  FST_ERR_CTP_BODY_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  FST_ERR_CTP_INVALID_TYPE: "UNSUPPORTED_MEDIA_TYPE",
};

declare module "fastify" {
  interface FastifyContextConfig {
    /** The body's media type when it is not JSON (named in 415 answers). */
    contentType?: string;
  }
}

function mebibytes(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MiB`;
}

/**
 * Errors carry a product's slug (what the API names products by); people read its name:
 * `productName` looks it up when a message names a product.
 */
export function installErrorHandling(app: FastifyInstance, productName: (slug: string) => Promise<string>): void {
  app.setErrorHandler(async (error: FastifyError & { validationContext?: string }, request, reply) => {
    if (error instanceof DomainError) {
      const fields = error.errors.map((e) => ({ field: e.field, message: fieldMessage(e.key, e.params ?? {}, request.lang, e.key) }));
      const slug = error.params.product;
      const params = typeof slug === "string" ? { ...error.params, product: await productName(slug).catch(() => slug) } : error.params;
      return sendProblem(reply, problem(request, error.code, params, error.extra, fields), error.retryAfter);
    }
    if (error.validation) {
      return sendProblem(reply, problem(request, "VALIDATION_FAILED", {}, {}, fieldErrors(error.validation as never, error.validationContext, request.lang)));
    }
    const mapped = error.code ? FRAMEWORK_CODES[error.code] : undefined;
    if (mapped === "VALIDATION_FAILED") {
      const key = error.code === "FST_ERR_CTP_EMPTY_JSON_BODY" ? "empty" : "json";
      return sendProblem(reply, problem(request, mapped, {}, {}, [{ field: "body", message: fieldMessage(key, {}, request.lang) }]));
    }
    // Each route has its own limit and media type (CSV import: 20 MiB of text/csv).
    if (mapped === "PAYLOAD_TOO_LARGE") return sendProblem(reply, problem(request, mapped, { limit: mebibytes(request.routeOptions.bodyLimit) }));
    if (mapped) return sendProblem(reply, problem(request, mapped, { expected: request.routeOptions.config?.contentType ?? "application/json" }));
    if (error.statusCode === 429) return sendProblem(reply, problem(request, "RATE_LIMITED", { seconds: 1 }), 1);
    request.log.error({ err: error }, "unhandled error");
    return sendProblem(reply, problem(request, "INTERNAL"));
  });

  app.setNotFoundHandler((request, reply) => sendProblem(reply, problem(request, "NOT_FOUND", { what: "route" })));
}

/**
 * Errors the router raises before any route runs: a path segment that is not valid
 * percent-encoded UTF-8, or one longer than MAX_PARAM_LENGTH. Such a segment names
 * nothing that exists, so the answer is the route's 404, in the SCIM schema under /scim/v2.
 */
export function answerRoutingError(_error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  request.lang = pickLanguage(request.headers["accept-language"]);
  if (request.url.startsWith(`${SCIM_PREFIX}/`)) {
    sendScimError(new ScimError(404, undefined, "No such resource.") as never, request, reply);
    return;
  }
  sendProblem(reply, problem(request, "NOT_FOUND", { what: "resource" }));
}
