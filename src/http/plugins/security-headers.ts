// Security headers on every response (admin center, API, 404s), by @fastify/helmet. The
// admin center is built by Vite into same-origin script and style files with no inline
// script, so its policy allows only 'self'; Swagger UI at /docs gets its own allowances.
import helmet from "@fastify/helmet";
import type { FastifyInstance } from "fastify";

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

export async function installSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    frameguard: { action: "deny" },
    referrerPolicy: { policy: "no-referrer" },
  });
}

/** Swagger UI's policy (/docs): its scripts are same-origin files too, but it injects style elements. */
export function docsContentSecurityPolicy(header: string): string {
  return header.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");
}
