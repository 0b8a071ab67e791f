// POST /api/v1/users/import: a CSV body (its own parser and a 20 MiB limit, in a scope of
// its own so that every other route stays JSON-only). Plain JSON answers by default; with
// Accept: application/x-ndjson, progress lines stream first and the result comes last.
import { PassThrough } from "node:stream";
import { Type } from "typebox";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyRequest } from "fastify";
import { DomainError } from "../../../../domain/errors.js";
import { fieldMessage } from "../../../../domain/messages.js";
import { ImportResult, type ImportProgress } from "../../../../domain/shapes.js";
import { importUsers, readImport } from "../../../../services/user-import.service.js";
import { accountOf } from "../../../../services/user.service.js";
import { principalOf } from "../../../plugins/auth.js";
import { textParser } from "../../../plugins/body-parsers.js";
import { problem, type Problem } from "../../../problem.js";
import { problems } from "../../../schemas.js";
import type { App, RouteDeps } from "../../../types.js";

export const IMPORT_BODY_LIMIT = 20 * 1024 * 1024;
export const CSV = "text/csv";
export const NDJSON = "application/x-ndjson";

function streamedProblem(request: FastifyRequest, error: unknown): Problem {
  if (error instanceof DomainError) {
    const fields = error.errors.map((e) => ({ field: e.field, message: fieldMessage(e.key, e.params ?? {}, request.lang, e.key) }));
    return problem(request, error.code, error.params, error.extra, fields);
  }
  request.log.error({ err: error }, "user import failed");
  return problem(request, "INTERNAL");
}

export function register(app: App, { db }: RouteDeps): void {
  app.register(async (plugin) => {
    const scope = plugin.withTypeProvider<TypeBoxTypeProvider>();
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(CSV, { parseAs: "buffer", bodyLimit: IMPORT_BODY_LIMIT }, textParser);

    scope.post("/api/v1/users/import", {
      bodyLimit: IMPORT_BODY_LIMIT,
      config: { access: { auth: "user", privilege: "users:write" }, contentType: CSV },
      schema: {
        tags: ["users"],
        summary: "Import users from CSV (email,name,role,seats,password): all or nothing; dryRun checks without writing",
        description:
          "Body text/csv, UTF-8, at most 20 MiB. Rows update the account's users with the same email and create the others. " +
          "When the seats column is present, each row's seats are the user's complete set: seats it does not list are revoked (seats=add: only granted). " +
          "Comma- or semicolon-separated (detected from the header line). " +
          "Send Accept: application/x-ndjson to receive {phase, done, total} progress lines, then a {result} line (or an {error} problem line).",
        consumes: [CSV],
        querystring: Type.Object(
          {
            dryRun: Type.Boolean({ default: false }),
            seats: Type.Optional(
              Type.Union([Type.Literal("replace"), Type.Literal("add")], {
                description: "extension: replace (the default) makes each row's seats the user's complete set, revoking unlisted ones; add grants the listed seats and revokes nothing",
              }),
            ),
            details: Type.Optional(Type.Boolean({ description: "extension: list every user the import changes (seats granted, revoked, open sessions that end, role changes)" })),
          },
          { additionalProperties: false },
        ),
        body: Type.String({ description: "the CSV file" }),
        response: { 200: ImportResult, ...problems(400, 401, 403, 413, 415) },
      },
      handler: async (request, reply) => {
        const principal = principalOf(request);
        const accountId = accountOf(principal);
        const file = readImport(request.body, principal);
        const options = { dryRun: request.query.dryRun, lang: request.lang, seats: request.query.seats, details: request.query.details };
        if (!String(request.headers.accept ?? "").includes(NDJSON)) return importUsers(db, principal, accountId, file, options);

        const stream = new PassThrough();
        const line = (value: unknown) => stream.write(`${JSON.stringify(value)}\n`);
        void importUsers(db, principal, accountId, file, { ...options, onProgress: (p: ImportProgress) => line(p) })
          .then((result) => line({ result }))
          .catch((error: unknown) => line({ error: streamedProblem(request, error) }))
          .finally(() => stream.end());
        // The 200 schema documents the JSON answer; this one is a stream of lines.
        return reply.type(NDJSON).send(stream as never);
      },
    });
  });
}
