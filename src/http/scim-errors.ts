// SCIM routes answer errors in the SCIM error schema (RFC 7644 §3.12), not problem+json:
// `status` is a string, `scimType` names the kind of 400/409. Nothing internal leaks.
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { DomainError } from "../domain/errors.js";
import { errorDetail, fieldMessage } from "../domain/messages.js";
import { ScimError, type ScimType } from "../domain/scim/errors.js";
import { ERROR_URN } from "../domain/scim/schemas.js";
import { STATUS } from "./problem.js";

export const SCIM_CONTENT_TYPE = "application/scim+json; charset=utf-8";

const SCIM_TYPES: Partial<Record<DomainError["code"], ScimType>> = {
  VALIDATION_FAILED: "invalidValue",
  EMAIL_TAKEN: "uniqueness",
};

function body(status: number, detail: string, scimType?: ScimType) {
  return { schemas: [ERROR_URN], status: String(status), ...(scimType && { scimType }), detail };
}

function fromError(error: FastifyError & { code?: string }, request: FastifyRequest): ReturnType<typeof body> {
  if (error instanceof ScimError) return body(error.status, error.detail, error.scimType);
  if (error instanceof DomainError) {
    const first = error.errors[0];
    const detail = first
      ? `${first.field} ${fieldMessage(first.key, first.params ?? {}, request.lang, first.key)}`
      : errorDetail(error.code, error.params, request.lang);
    return body(STATUS[error.code], detail, SCIM_TYPES[error.code]);
  }
  switch (error.code) {
    case "FST_ERR_CTP_INVALID_JSON_BODY":
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return body(400, "The request body is not valid JSON.", "invalidSyntax");
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return body(413, "The request body is too large.");
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
    case "FST_ERR_CTP_INVALID_TYPE":
      return body(415, "Send application/scim+json or application/json.");
    // A unique index refused the write (e.g. an externalId already used in the account).
    case "23505":
      return body(409, "A resource with that unique attribute already exists.", "uniqueness");
  }
  if (error.validation) return body(400, error.message, "invalidValue");
  if (error.statusCode === 429) return body(429, "Too many requests.");
  request.log.error({ err: error }, "unhandled SCIM error");
  return body(500, "Internal error.");
}

export function sendScimError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const answer = fromError(error, request);
  if (answer.status === "401") reply.header("www-authenticate", 'Bearer realm="SCIM"');
  return reply.code(Number(answer.status)).type(SCIM_CONTENT_TYPE).send(answer);
}

export function sendScimNotFound(reply: FastifyReply): FastifyReply {
  return reply.code(404).type(SCIM_CONTENT_TYPE).send(body(404, "No such SCIM endpoint."));
}
