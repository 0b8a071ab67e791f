import assert from "node:assert/strict";
import { test } from "node:test";
import { parseCsv } from "./csv.js";

test("RFC 4180: quotes, doubled quotes, commas and line breaks inside quotes, CRLF or LF, a BOM", () => {
  const r = parseCsv('\uFEFFa,b,c\r\n"x, y","say ""hi""","two\nlines"\n\n"",,last\n');
  assert.deepEqual(r, {
    ok: true,
    records: [
      { line: 1, fields: ["a", "b", "c"] },
      { line: 2, fields: ["x, y", 'say "hi"', "two\nlines"] },
      { line: 5, fields: ["", "", "last"] },
    ],
  });
});

test("a file without a final newline keeps its last record; blank lines are no records", () => {
  assert.deepEqual(parseCsv("a\n\n\nb"), { ok: true, records: [{ line: 1, fields: ["a"] }, { line: 4, fields: ["b"] }] });
  assert.deepEqual(parseCsv(""), { ok: true, records: [] });
});

test("broken quoting says on which line", () => {
  assert.deepEqual(parseCsv('a\n"open\nstill open'), { ok: false, line: 2, key: "csvUnclosedQuote" });
  assert.deepEqual(parseCsv('a\nb"c'), { ok: false, line: 2, key: "csvStrayQuote" });
  assert.deepEqual(parseCsv('"closed"x'), { ok: false, line: 1, key: "csvStrayQuote" });
});
