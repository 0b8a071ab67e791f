// Two Ajv instances: request bodies are validated strictly (no coercion, unknown fields are
// errors, nothing is silently removed); query strings and path params are strings on the
// wire, so those coerce ("50" → 50) but are otherwise just as strict.
import { Ajv, type ErrorObject } from "ajv";
import addFormatsModule from "ajv-formats";
import type { FastifyInstance } from "fastify";
import type { FieldError } from "../../domain/errors.js";
import { fieldMessage, type Language } from "../../domain/messages.js";

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

function makeAjv(coerceTypes: boolean): Ajv {
  const ajv = new Ajv({ coerceTypes, removeAdditional: false, useDefaults: true, allErrors: true, strict: false });
  addFormats(ajv);
  return ajv;
}

export function installValidators(app: FastifyInstance): void {
  const strict = makeAjv(false);
  const coercing = makeAjv(true);
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === "body" ? strict : coercing).compile(schema));
  // Response schemas document the API; serialisation stays plain JSON so nothing is dropped.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
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
