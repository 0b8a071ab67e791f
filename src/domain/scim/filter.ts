// SCIM filters (RFC 7644 §3.4.2.2) and PATCH paths (§3.5.2), parsed by recursive descent
// into a small AST that src/store compiles to SQL. Linear in the input; nesting is capped
// so that a hostile filter cannot exhaust the stack. Keywords, operators and attribute
// names are case-insensitive; string values keep their case (JSON string escapes apply).
import { isStorableText } from "../text.js";
import { invalidFilter, invalidPath } from "./errors.js";

export const MAX_FILTER_LENGTH = 10_000;
export const MAX_FILTER_DEPTH = 64;

export type CompareOp = "eq" | "ne" | "co" | "sw" | "ew" | "gt" | "ge" | "lt" | "le";
export type Value = string | number | boolean | null;

/** An attribute path, lower-cased: `urn` is the schema URN when one was written. */
export interface AttrPath {
  urn: string | null;
  name: string;
  sub: string | null;
}

export type Filter =
  | { op: "and" | "or"; left: Filter; right: Filter }
  | { op: "not"; filter: Filter }
  | { op: "compare"; attr: AttrPath; cmp: CompareOp; value: Value }
  | { op: "pr"; attr: AttrPath }
  /** `emails[type eq "work"]`: some element of a multi-valued attribute matches. */
  | { op: "valuePath"; attr: AttrPath; filter: Filter };

/** A PATCH target: `members`, `name.givenName`, `emails[type eq "work"].value`. */
export interface PatchPath {
  attr: AttrPath;
  filter: Filter | null;
  /** The sub-attribute after a value filter (`.value` above). */
  sub: string | null;
}

const COMPARE_OPS = new Set(["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"]);

type Token =
  | { kind: "word"; text: string; at: number }
  | { kind: "string"; value: string; at: number }
  | { kind: "punct"; text: "(" | ")" | "[" | "]"; at: number }
  | { kind: "end"; at: number };

// An attribute path or keyword: URNs (with ':' and '.'), names, sub-attributes, numbers.
const WORD = /[A-Za-z0-9_$:.\-+]+/y;

function tokenize(input: string, fail: (detail: string) => Error): Token[] {
  if (input.length > MAX_FILTER_LENGTH) throw fail(`is longer than ${MAX_FILTER_LENGTH} characters`);
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
    } else if (c === "(" || c === ")" || c === "[" || c === "]") {
      tokens.push({ kind: "punct", text: c, at: i });
      i++;
    } else if (c === '"') {
      let j = i + 1;
      while (j < input.length && input[j] !== '"') j += input[j] === "\\" ? 2 : 1;
      if (j >= input.length) throw fail(`has an unterminated string at ${i + 1}`);
      let value: unknown;
      try {
        value = JSON.parse(input.slice(i, j + 1));
      } catch {
        throw fail(`has an invalid escape in the string at ${i + 1}`);
      }
      if (!isStorableText(value as string)) throw fail(`has a NUL or an unpaired surrogate in the string at ${i + 1}`);
      tokens.push({ kind: "string", value: value as string, at: i });
      i = j + 1;
    } else {
      WORD.lastIndex = i;
      const match = WORD.exec(input);
      if (!match) throw fail(`has an unexpected character '${c}' at ${i + 1}`);
      tokens.push({ kind: "word", text: match[0], at: i });
      i += match[0].length;
    }
  }
  tokens.push({ kind: "end", at: input.length });
  return tokens;
}

/** `urn:…:User:name.givenName` → {urn, name, sub}; false when it is not an attribute path. */
export function parseAttrPath(text: string): AttrPath | null {
  const lower = text.toLowerCase();
  let urn: string | null = null;
  let rest = lower;
  if (lower.startsWith("urn:")) {
    const cut = lower.lastIndexOf(":");
    urn = lower.slice(0, cut);
    rest = lower.slice(cut + 1);
  }
  const match = /^([a-z$][a-z0-9_$-]*)(?:\.([a-z$][a-z0-9_$-]*))?$/.exec(rest);
  if (!match) return null;
  return { urn, name: match[1], sub: match[2] ?? null };
}

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly fail: (detail: string) => Error,
  ) {}

  private peek(): Token {
    return this.tokens[this.pos];
  }

  private next(): Token {
    return this.tokens[this.pos++];
  }

  private isWord(token: Token, word: string): boolean {
    return token.kind === "word" && token.text.toLowerCase() === word;
  }

  private expectPunct(text: ")" | "]"): void {
    const token = this.next();
    if (token.kind !== "punct" || token.text !== text) throw this.fail(`expects '${text}' at ${token.at + 1}`);
  }

  private enter(): void {
    if (++this.depth > MAX_FILTER_DEPTH) throw this.fail(`nests deeper than ${MAX_FILTER_DEPTH} levels`);
  }

  atEnd(): boolean {
    return this.peek().kind === "end";
  }

  expectEnd(): void {
    const token = this.peek();
    if (token.kind !== "end") throw this.fail(`has unexpected input at ${token.at + 1}`);
  }

  filter(): Filter {
    let left = this.conjunction();
    while (this.isWord(this.peek(), "or")) {
      this.next();
      left = { op: "or", left, right: this.conjunction() };
    }
    return left;
  }

  private conjunction(): Filter {
    let left = this.unary();
    while (this.isWord(this.peek(), "and")) {
      this.next();
      left = { op: "and", left, right: this.unary() };
    }
    return left;
  }

  private unary(): Filter {
    const token = this.peek();
    if (this.isWord(token, "not") && !this.isComparison(this.pos + 1)) {
      this.next();
      this.enter();
      const inner = this.unary();
      this.depth--;
      return { op: "not", filter: inner };
    }
    if (token.kind === "punct" && token.text === "(") {
      this.next();
      this.enter();
      const inner = this.filter();
      this.expectPunct(")");
      this.depth--;
      return inner;
    }
    return this.attributeExpression();
  }

  /** `not` is also a legal attribute name: it is one when an operator follows it. */
  private isComparison(index: number): boolean {
    const token = this.tokens[index];
    return token.kind === "word" && (COMPARE_OPS.has(token.text.toLowerCase()) || token.text.toLowerCase() === "pr");
  }

  attrPath(): AttrPath {
    const token = this.next();
    const attr = token.kind === "word" ? parseAttrPath(token.text) : null;
    if (!attr) throw this.fail(`expects an attribute name at ${token.at + 1}`);
    return attr;
  }

  private attributeExpression(): Filter {
    const attr = this.attrPath();
    const token = this.next();
    if (token.kind === "punct" && token.text === "[") {
      if (attr.sub !== null) throw this.fail(`cannot filter the sub-attribute '${attr.name}.${attr.sub}' at ${token.at + 1}`);
      this.enter();
      const inner = this.filter();
      this.expectPunct("]");
      this.depth--;
      // `emails[type eq "work"].value eq "x"` (Entra ID's lookup): one element matches both.
      const after = this.peek();
      const sub = after.kind === "word" ? /^\.([a-z$][a-z0-9_$-]*)$/i.exec(after.text) : null;
      if (!sub) return { op: "valuePath", attr, filter: inner };
      this.next();
      const subAttr: AttrPath = { urn: null, name: sub[1].toLowerCase(), sub: null };
      const operator = this.next();
      if (operator.kind !== "word") throw this.fail(`expects an operator at ${operator.at + 1}`);
      const cmp = operator.text.toLowerCase();
      const condition: Filter =
        cmp === "pr" ? { op: "pr", attr: subAttr } : COMPARE_OPS.has(cmp) ? { op: "compare", attr: subAttr, cmp: cmp as CompareOp, value: this.value() } : this.unknownOperator(operator);
      return { op: "valuePath", attr, filter: { op: "and", left: inner, right: condition } };
    }
    if (token.kind !== "word") throw this.fail(`expects an operator at ${token.at + 1}`);
    const op = token.text.toLowerCase();
    if (op === "pr") return { op: "pr", attr };
    if (!COMPARE_OPS.has(op)) this.unknownOperator(token);
    return { op: "compare", attr, cmp: op as CompareOp, value: this.value() };
  }

  private unknownOperator(token: Token & { kind: "word" }): never {
    throw this.fail(`has an unknown operator '${token.text}' at ${token.at + 1}`);
  }

  private value(): Value {
    const token = this.next();
    if (token.kind === "string") return token.value;
    if (token.kind === "word") {
      const text = token.text.toLowerCase();
      if (text === "true") return true;
      if (text === "false") return false;
      if (text === "null") return null;
      if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(token.text)) return Number(token.text);
    }
    throw this.fail(`expects a value (a "string", a number, true, false or null) at ${token.at + 1}`);
  }

  patchPath(): PatchPath {
    const attr = this.attrPath();
    if (this.atEnd()) return { attr, filter: null, sub: null };
    const token = this.next();
    if (token.kind !== "punct" || token.text !== "[" || attr.sub !== null) throw this.fail(`has unexpected input at ${token.at + 1}`);
    this.enter();
    const inner = this.filter();
    this.expectPunct("]");
    this.depth--;
    let sub: string | null = null;
    const after = this.peek();
    if (after.kind === "word") {
      this.next();
      const match = /^\.([a-z$][a-z0-9_$-]*)$/i.exec(after.text);
      if (!match) throw this.fail(`has unexpected input at ${after.at + 1}`);
      sub = match[1].toLowerCase();
    }
    this.expectEnd();
    return { attr, filter: inner, sub };
  }
}

export function parseFilter(input: string): Filter {
  const fail = (detail: string) => invalidFilter(`The filter ${detail}.`);
  const parser = new Parser(tokenize(input, fail), fail);
  if (parser.atEnd()) throw fail("is empty");
  const filter = parser.filter();
  parser.expectEnd();
  return filter;
}

export function parsePatchPath(input: string): PatchPath {
  const fail = (detail: string) => invalidPath(`The path ${detail}.`);
  const parser = new Parser(tokenize(input, fail), fail);
  if (parser.atEnd()) throw fail("is empty");
  return parser.patchPath();
}

/** Evaluates a filter on one element of a multi-valued attribute held in memory (PATCH). */
export function matchesElement(filter: Filter, element: Record<string, unknown>): boolean {
  switch (filter.op) {
    case "and":
      return matchesElement(filter.left, element) && matchesElement(filter.right, element);
    case "or":
      return matchesElement(filter.left, element) || matchesElement(filter.right, element);
    case "not":
      return !matchesElement(filter.filter, element);
    case "valuePath":
      throw invalidFilter("A value filter cannot nest another value filter.");
    case "pr": {
      const v = lookup(element, filter.attr.name);
      return v !== undefined && v !== null && v !== "";
    }
    case "compare":
      return compare(lookup(element, filter.attr.name), filter.cmp, filter.value);
  }
}

function lookup(element: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(element).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : element[key];
}

function compare(actual: unknown, cmp: CompareOp, expected: Value): boolean {
  if (typeof actual === "string" && typeof expected === "string") {
    const a = actual.toLowerCase();
    const e = expected.toLowerCase();
    switch (cmp) {
      case "eq": return a === e;
      case "ne": return a !== e;
      case "co": return a.includes(e);
      case "sw": return a.startsWith(e);
      case "ew": return a.endsWith(e);
      case "gt": return a > e;
      case "ge": return a >= e;
      case "lt": return a < e;
      case "le": return a <= e;
    }
  }
  if (cmp === "eq") return actual === expected;
  if (cmp === "ne") return actual !== expected;
  if (typeof actual === "number" && typeof expected === "number") {
    if (cmp === "gt") return actual > expected;
    if (cmp === "ge") return actual >= expected;
    if (cmp === "lt") return actual < expected;
    if (cmp === "le") return actual <= expected;
  }
  return false;
}
