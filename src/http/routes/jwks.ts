// GET /.well-known/jwks.json: the public keys that verify lease tokens (RFC 7517), the one
// signing now and the one before it. Needs no token: an agent app verifies leases offline.
import { Type } from "typebox";
import { leaseJwks } from "../../services/lease-keys.service.js";
import type { App, RouteDeps } from "../types.js";

/** Clients fetch the set again on a `kid` they do not know, so a rotation is seen at once. */
export const JWKS_MAX_AGE_SECONDS = 300;

const Jwk = Type.Object({
  kid: Type.String(),
  kty: Type.Literal("OKP"),
  crv: Type.Literal("Ed25519"),
  x: Type.String({ description: "the public key, base64url" }),
  alg: Type.Literal("EdDSA"),
  use: Type.Literal("sig"),
});

export function register(app: App, { db }: RouteDeps): void {
  app.get("/.well-known/jwks.json", {
    config: { access: { auth: "public" } },
    schema: {
      tags: ["agent app"],
      summary: "The public keys that verify lease tokens (JWK Set)",
      description:
        "Each granted seat comes with `seat.leaseToken` (and each heartbeat's lease with `token`): a JWT signed with Ed25519 " +
        "(`alg` EdDSA, `typ` sk-lease+jwt) whose claims are `iss` (the server's public URL), `sub` (the user), `acct`, `product`, " +
        "`seat` (named or concurrent), `iat` and `exp` (the lease's end). Keys rotate; two are published at once, the newest signs. " +
        "A client that meets an unknown `kid` fetches this set again.",
      security: [],
      response: { 200: Type.Object({ keys: Type.Array(Jwk) }) },
    },
    handler: async (_request, reply) => {
      reply.header("cache-control", `public, max-age=${JWKS_MAX_AGE_SECONDS}`);
      return leaseJwks(db);
    },
  });
}
