// The security headers every response of Seatkeeper carries (src/http/plugins/security-headers.ts).
import assert from "node:assert/strict";

/** The directives the policy must hold, whatever else it says. */
const REQUIRED_DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
];

/** Asserts the security headers every response must carry (`what` names it in failures). */
export function assertSecurityHeaders(response: Response, what: string): void {
  const policy = response.headers.get("content-security-policy");
  assert.ok(policy, `${what}: no Content-Security-Policy`);
  const directives = policy.split(";").map((d) => d.trim());
  for (const directive of REQUIRED_DIRECTIVES) assert.ok(directives.includes(directive), `${what}: CSP lacks ${directive}: ${policy}`);
  assert.doesNotMatch(policy, /unsafe-eval/, what);
  const scriptSrc = directives.find((d) => d.startsWith("script-src "));
  assert.doesNotMatch(scriptSrc ?? "", /unsafe-inline|data:|\*/, `${what}: ${scriptSrc}`);
  assert.equal(response.headers.get("x-content-type-options"), "nosniff", what);
  assert.equal(response.headers.get("x-frame-options"), "DENY", what);
  assert.equal(response.headers.get("referrer-policy"), "no-referrer", what);
}
