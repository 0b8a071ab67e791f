// Security headers on every response (admin center, API, 404s), as helmet writes them. The
// admin center is built by Vite into same-origin script and style files with no inline
// script, so its policy allows only 'self'; Swagger UI at /docs gets its own allowances.
//
// helmet is run once, at start-up, to compute the headers; every response then gets that
// fixed set. (Running helmet's middleware per request, as its Fastify plugin does, re-parses
// the policy each time: 4–10 % of a server's busy time under load in `npm run bench`.)
import type { IncomingMessage, ServerResponse } from "node:http";
import type { FastifyInstance } from "fastify";
import helmet, { type HelmetOptions } from "helmet";

const CONTENT_SECURITY_POLICY = {
  "default-src": ["'self'"],
  "base-uri": ["'self'"],
  "connect-src": ["'self'"],
  "font-src": ["'self'"],
  "form-action": ["'self'"],
  "frame-ancestors": ["'none'"],
  // The admin center's favicon and its select arrows are data: URIs.
  "img-src": ["'self'", "data:"],
  "object-src": ["'none'"],
  "script-src": ["'self'"],
  "script-src-attr": ["'none'"],
  "style-src": ["'self'"],
};

const OPTIONS: HelmetOptions = {
  contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
  frameguard: { action: "deny" },
  referrerPolicy: { policy: "no-referrer" },
};

/** The headers helmet sets with these options (none of them depends on the request). */
export function securityHeaders(options: HelmetOptions = OPTIONS): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : String(value);
    },
    removeHeader() {},
  };
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
  });
  return headers;
}

export function installSecurityHeaders(app: FastifyInstance): void {
  const headers = Object.entries(securityHeaders());
  // On the raw response, as helmet does: event streams that take over the socket keep them.
  app.addHook("onRequest", (_request, reply, done) => {
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    done();
  });
}

/** Swagger UI's policy (/docs): its scripts are same-origin files too, but it injects style elements. */
export function docsContentSecurityPolicy(header: string): string {
  return header.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");
}
