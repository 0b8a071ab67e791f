// Request bodies are decoded here rather than by Fastify's parsers, which replace invalid
// UTF-8 with U+FFFD: a body that is not UTF-8 is refused (400), never stored altered.
// An action that reads no body (end, heartbeat, logout…) also takes an empty one sent as
// application/json, as many HTTP clients send it.
import type { FastifyInstance, FastifyRequest } from "fastify";
import { validationFailed } from "../../domain/errors.js";

// fatal: throw on invalid UTF-8 instead of substituting; a leading BOM is dropped.
const UTF8 = new TextDecoder("utf-8", { fatal: true });

type Done = (error: Error | null, body?: unknown) => void;

function decode(raw: Buffer, done: Done): string | undefined {
  try {
    return UTF8.decode(raw);
  } catch {
    done(validationFailed("body", "utf8"));
    return undefined;
  }
}

/** A text body (CSV), as a string. */
export function textParser(_request: FastifyRequest, raw: Buffer, done: Done): void {
  const text = decode(raw, done);
  if (text !== undefined) done(null, text);
}

/** JSON bodies, with Fastify's own protection from `__proto__` and `constructor` keys. */
export function jsonParser(app: FastifyInstance) {
  const parseJson = app.getDefaultJsonParser("error", "error");
  return (request: FastifyRequest, raw: Buffer, done: Done): void => {
    const text = decode(raw, done);
    if (text === undefined) return;
    // To a route without a body schema, an empty body is no body; elsewhere it stays a 400.
    if (text === "" && request.routeOptions.schema?.body === undefined) return done(null, undefined);
    parseJson(request, text, done);
  };
}

/** JSON only: CSV import and SCIM add their media types in their own scopes; any other body is a 415. */
export function installBodyParsers(app: FastifyInstance): void {
  app.removeContentTypeParser(["application/json", "text/plain"]);
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, jsonParser(app));
}
