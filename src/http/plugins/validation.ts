// Two Ajv instances: request bodies are validated strictly (no coercion, unknown fields are
// errors, nothing is silently removed); query strings and path params are strings on the
// wire, so those coerce ("50" → 50) but are otherwise just as strict.
// Before any of that, one check covers every route, with or without a schema (SCIM, CSV):
// no string anywhere in the params, query or body may hold text the database cannot store.
import { Ajv, type ErrorObject } from "ajv";
import addFormatsModule from "ajv-formats";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { validationFailed, type DomainError, type FieldError } from "../../domain/errors.js";
import { fieldMessage, type Language } from "../../domain/messages.js";
import { showUnstorable, unstorableAt } from "../../domain/text.js";
import { isTimestamp } from "../../domain/timestamp.js";

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

function makeAjv(coerceTypes: boolean): Ajv {
  const ajv = new Ajv({ coerceTypes, removeAdditional: false, useDefaults: true, allErrors: true, strict: false });
  addFormats(ajv);
  // RFC 3339's grammar allows what a Date and the database cannot hold (a leap second, year -200000).
  ajv.addFormat("date-time", isTimestamp);
  return ajv;
}

/** A string or key the database cannot store, named like a field error ("admin.name", "q"). */
function unstorableInput(request: FastifyRequest): DomainError | undefined {
  for (const part of [request.params, request.query, request.body]) {
    const found = findUnstorable(part);
    if (!found) continue;
    const field = found.path.length > 0 ? found.path.map(showUnstorable).join(".") : "body";
    const line = found.text.includes("\n") ? found.text.slice(0, found.at).split("\n").length : undefined;
    return validationFailed(field, "unstorableText", line === undefined ? {} : { line });
  }
  return undefined;
}

/** Walks without recursion: a deeply nested body must not exhaust the stack. */
function findUnstorable(root: unknown): { path: string[]; text: string; at: number } | undefined {
  interface Node { value: unknown; parent: Node | null; key: string }
  const pathOf = (node: Node | null): string[] => {
    const path: string[] = [];
    for (let n = node; n?.parent; n = n.parent) path.unshift(n.key);
    return path;
  };
  const stack: Node[] = [{ value: root, parent: null, key: "" }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (typeof node.value === "string") {
      const at = unstorableAt(node.value);
      if (at >= 0) return { path: pathOf(node), text: node.value, at };
    } else if (node.value !== null && typeof node.value === "object") {
      for (const [key, value] of Object.entries(node.value)) {
        const child = { value, parent: node, key };
        const at = unstorableAt(key);
        if (at >= 0) return { path: pathOf(child), text: key, at };
        stack.push(child);
      }
    }
  }
  return undefined;
}

export function installValidators(app: FastifyInstance): void {
  const strict = makeAjv(false);
  const coercing = makeAjv(true);
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === "body" ? strict : coercing).compile(schema));
  app.addHook("preValidation", (request, _reply, done) => done(unstorableInput(request) as never));
}

/** A copy of a response schema where every object without a say on it refuses extra properties. */
export function closedSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closedSchema);
  if (schema === null || typeof schema !== "object") return schema;
  const out: Record<string, unknown> = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, closedSchema(v)]));
  if (out.type === "object" && out.properties !== undefined && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

/**
 * Routes answer through fast-json-stringify with their response schemas: a field a schema
 * lacks is dropped, a value of the wrong type coerced. With this check (tests turn it on),
 * every JSON answer is first compared with its status's schema, exactly — no field the
 * schema lacks, every required one, every type — and a mismatch is a 500 that names it.
 */
export function installResponseCheck(app: FastifyInstance): void {
  const ajv = makeAjv(false);
  const validators = new WeakMap<object, ReturnType<Ajv["compile"]>>();
  app.addHook("preSerialization", async (request, reply, payload) => {
    const responses = request.routeOptions.schema?.response as Record<string, object> | undefined;
    const schema = responses?.[reply.statusCode] ?? responses?.[`${String(reply.statusCode)[0]}xx`] ?? responses?.default;
    if (!schema) return payload;
    let validate = validators.get(schema);
    if (!validate) validators.set(schema, (validate = ajv.compile(closedSchema(schema) as object)));
    if (validate(payload)) return payload;
    const errors = (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}${e.keyword === "additionalProperties" ? ` (${String(e.params.additionalProperty)})` : ""}`);
    const detail = `${request.method} ${request.routeOptions.url} ${reply.statusCode}: the answer does not match its schema: ${errors.join("; ")}`;
    request.log.error(detail);
    reply.code(500).type("application/problem+json");
    return { type: "about:blank", title: "Internal Server Error", status: 500, code: "RESPONSE_SCHEMA_MISMATCH", detail, requestId: String(request.id) };
  });
}

function fieldPath(error: ErrorObject, context: string | undefined): string {
  const parts = error.instancePath.split("/").filter(Boolean);
  if (error.keyword === "required") parts.push(String(error.params.missingProperty));
  if (error.keyword === "additionalProperties") parts.push(String(error.params.additionalProperty));
  if (parts.length === 0) return context === "body" ? "body" : context ?? "request";
  return parts.join(".");
}

export function fieldErrors(errors: ErrorObject[], context: string | undefined, lang: Language): FieldError[] {
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const error of errors) {
    // anyOf/oneOf add a summary error after the branches' own; the branches say more.
    if (error.keyword === "anyOf" || error.keyword === "oneOf" || error.keyword === "if") continue;
    const p = error.params as Record<string, unknown>;
    const params = {
      type: String(p.type ?? ""),
      limit: String(p.limit ?? ""),
      format: String(p.format ?? ""),
      values: Array.isArray(p.allowedValues) ? p.allowedValues.join(", ") : String(p.allowedValue ?? ""),
    };
    const field = fieldPath(error, context);
    const message = fieldMessage(error.keyword, params, lang);
    const key = `${field}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ field, message });
  }
  return out;
}
