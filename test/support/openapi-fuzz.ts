// What the fuzz test needs from an OpenAPI document, and the nasty values it breaks a
// request with: the operations and their parameters, a valid value for a JSON schema,
// the fields a request has (to break one at a time), and encoders that can put any
// UTF-16 string on the wire (a lone surrogate too, as the bytes a sloppy client sends).
import fc from "fast-check";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

// A JSON schema as the document holds it: read loosely, as the generator only needs a few keywords.
export type Schema = Record<string, any>;

export interface Param {
  name: string;
  schema: Schema;
  required: boolean;
}

export interface Operation {
  method: Method;
  /** The path as the document writes it, e.g. /api/v1/users/{id}. */
  path: string;
  pathParams: Param[];
  query: Param[];
  headers: Param[];
  body: { mediaType: string; schema: Schema | undefined } | undefined;
}

export function operationsOf(doc: { paths: Record<string, Record<string, any>> }): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const params: any[] = op.parameters ?? [];
      const of = (where: string): Param[] =>
        params.filter((p) => p.in === where).map((p) => ({ name: p.name, schema: p.schema ?? {}, required: Boolean(p.required) }));
      const content = op.requestBody?.content as Record<string, { schema?: Schema }> | undefined;
      const mediaType = content ? Object.keys(content)[0] : undefined;
      out.push({
        method: method.toUpperCase() as Method,
        path,
        pathParams: of("path"),
        query: of("query"),
        headers: of("header"),
        body: mediaType ? { mediaType, schema: content![mediaType].schema } : undefined,
      });
    }
  }
  return out;
}

/** A value the schema accepts: required properties only, the first enum value, the minimum. */
export function validValue(schema: Schema, name: string | undefined, hint: (name: string) => unknown): unknown {
  if (name !== undefined) {
    const hinted = hint(name);
    if (hinted !== undefined) return hinted;
  }
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  const branches: Schema[] | undefined = schema.anyOf ?? schema.oneOf;
  if (branches) return validValue(branches.find((b) => b.type !== "null") ?? branches[0], name, hint);
  switch (schema.type) {
    case "object":
      return Object.fromEntries((schema.required ?? []).map((key: string) => [key, validValue(schema.properties?.[key] ?? {}, key, hint)]));
    case "array":
      return Array.from({ length: schema.minItems ?? 0 }, () => validValue(schema.items ?? {}, undefined, hint));
    case "integer":
    case "number":
      return Math.min(schema.maximum ?? Number.MAX_SAFE_INTEGER, Math.max(schema.minimum ?? 0, 1));
    case "boolean":
      return true;
    case "string":
      if (schema.format === "date-time") return new Date().toISOString();
      if (schema.pattern) return fc.sample(fc.stringMatching(new RegExp(schema.pattern), { size: "xsmall" }), { seed: 1, numRuns: 1 })[0];
      return "fuzz".padEnd(schema.minLength ?? 0, "z");
    default:
      return "fuzz";
  }
}

/** Every property path a schema names (objects and the first item of arrays), for breaking one field. */
export function schemaPaths(schema: Schema | undefined, prefix: string[] = [], depth = 0): string[][] {
  if (!schema || depth > 6) return [];
  const out: string[][] = [];
  if (schema.type === "object" && schema.properties) {
    for (const [key, sub] of Object.entries<Schema>(schema.properties)) {
      out.push([...prefix, key], ...schemaPaths(sub, [...prefix, key], depth + 1));
    }
  }
  if (schema.type === "array" && schema.items) out.push(...schemaPaths(schema.items, [...prefix, "0"], depth + 1));
  for (const branch of schema.anyOf ?? schema.oneOf ?? []) out.push(...schemaPaths(branch, prefix, depth + 1));
  return out;
}

/** Every path to a value inside a JSON value (for bodies the document has no schema for). */
export function valuePaths(value: unknown, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, sub]) => [[...prefix, key], ...valuePaths(sub, [...prefix, key])]);
}

/** A copy of `root` with the value at `path` replaced (parents created), or removed when `value` is undefined. */
export function withValueAt(root: unknown, path: string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const base: any = root !== null && typeof root === "object" ? (Array.isArray(root) ? [...root] : { ...root }) : {};
  const next = withValueAt(base[head], rest, value);
  if (next === undefined && rest.length === 0) {
    if (Array.isArray(base)) base.splice(Number(head), 1);
    else delete base[head];
  } else {
    // defineProperty, not assignment: "__proto__" must become a key like any other.
    Object.defineProperty(base, head, { value: next, enumerable: true, writable: true, configurable: true });
  }
  return base;
}

/**
 * The bytes a client would send for a string, as WTF-8: like UTF-8, but a lone surrogate
 * becomes its own three bytes (invalid UTF-8) instead of being replaced.
 */
export function wtf8(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
      i++;
    }
    if (c < 0x80) bytes.push(c);
    else if (c < 0x800) bytes.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) bytes.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else bytes.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Buffer.from(bytes);
}

/** Percent-encodes every byte outside the unreserved set: any string fits in a path segment or a query. */
export function percentEncode(text: string): string {
  let out = "";
  for (const byte of wtf8(text)) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

const cursorOf = (key: unknown) => Buffer.from(JSON.stringify(key)).toString("base64url");

/** Strings that broke, or could break, something: as path segments, query values, body fields, CSV cells. */
export const NASTY_STRINGS: readonly string[] = [
  "", " ", "\u0000", "a\u0000b", "\ud800", "x\udfff", "\udc00\ud800", "\u{1f600}", "\u202egnp.exe", "\ufeff", "é",
  "__proto__", "constructor", "toString", "hasOwnProperty", "prototype", "valueOf",
  "2026-06-30T23:59:60Z", "-200000-01-01T00:00:00Z", "+275760-09-13T00:00:00.000Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z", "2026-02-30T00:00:00Z",
  "-1", "0", "-0", "1.5", "NaN", "Infinity", "-Infinity", "1e309", "9007199254740993", "99999999999999999999999", "0x10", " 1", "true", "null",
  "x".repeat(101), "x".repeat(5000), "é".repeat(70_000), "a;".repeat(30_000),
  "' OR 1=1 --", "%", "_", "\\", '"', "%00", "../..", "a/b", "<script>", "\r\n", "\t",
  "usr_00000000000000000000000000", "grp_zzzzzzzzzzzzzzzzzzzzzzzzzz", "acct_00000000000000000000000000",
  cursorOf(["garbage", "x"]), cursorOf([1, 2]), cursorOf(["\u0000", "x"]), cursorOf(["2026-01-01T00:00:00.000Z", "\ud800"]), cursorOf({}), cursorOf(["x".repeat(900)]),
  "constructor pr", 'constructor eq "x"', 'meta.created gt "-200000-01-01T00:00:00Z"', 'meta.created gt "2026-06-30T23:59:60Z"', 'userName eq "\\u0000"',
  'emails[value eq "\\ud800"]', `${"(".repeat(70)}userName pr${")".repeat(70)}`, `${"not ".repeat(100)}userName pr`, 'userName co "%_\\\\"', 'meta.lastModified ge 1e309',
  "p:named;".repeat(200), "x:concurrent", "a@b", "@", "A@B.TEST",
];

/** Header values a real client can send: printable Latin-1, no control characters. */
export const NASTY_HEADER_VALUES: readonly string[] = [
  "", " ", "__proto__", "constructor", "toString", "*", '"*"', 'W/"1"', 'W/"x", *', "\u00ff\u00fe", "é".repeat(100),
  "x".repeat(256), "x".repeat(8000), "2026-06-30T23:59:60Z", "-1", "NaN", "fr;q=NaN, en;q=-1", "de-DE,*;q=0", "application/json;;", "text/csv",
];

export const NASTY_CONTENT_TYPES: readonly string[] = [
  "text/plain", "application/json; charset=utf-16", "application/json; charset=latin1", "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x", "application/scim+json", "text/csv", "application/json;;", "*/*", "application/JSON", "application/merge-patch+json",
];

const deep = (depth: number, open: string, close: string, inner = "1") => open.repeat(depth) + inner + close.repeat(depth);

/** Whole bodies, as bytes: broken JSON, hostile JSON, invalid UTF-8, too large. */
export const NASTY_PAYLOADS: readonly (string | Buffer)[] = [
  "", " ", "null", "true", "0", "[]", "{}", '"x"', "NaN", "{", '{"a":1,"a":2}', '{"__proto__":{"isAdmin":true}}', '{"constructor":{"prototype":{"x":1}}}',
  '"\\ud800"', '{"\\u0000":1}', deep(5000, "[", "]"), deep(100_000, "[", ""), deep(3000, '{"a":', "}"),
  Buffer.from([0xff, 0xfe, 0x7b, 0x7d]), Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]),
  Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("{}")]), `[${"1,".repeat(300_000)}1]`, "x".repeat(1024 * 1024 + 1),
];

/** JSON values for one body field: every type, the edges of numbers, and the strings above. */
export function nastyJson(): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom<unknown>(...NASTY_STRINGS) },
    { weight: 3, arbitrary: fc.constantFrom<unknown>(
      null, true, false, 0, -1, 1.5, -0.5, 1e308, -1e308, 2 ** 31, 2 ** 53 + 2, -(2 ** 53) - 2, 5e-324,
      [], [null], [[[]]], ["\u0000"], Array.from({ length: 2000 }, (_, i) => `v${i}`), {}, { a: 1 }, JSON.parse('{"__proto__":{"x":1}}'), { constructor: { prototype: 1 } },
    ) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom("\u0000", "\ud800", "\udfff", "a", "\u{1f600}"), maxLength: 8 }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
    { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })) },
  );
}

/** Strings for one path segment, query value or CSV cell. */
export function nastyString(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom("\u0000", "\ud800", "\udfff", "a", ";", ":", ",", '"', "\n"), maxLength: 12 }) },
    { weight: 1, arbitrary: fc.integer().map(String) },
  );
}
