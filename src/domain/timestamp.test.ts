import assert from "node:assert/strict";
import { test } from "node:test";
import { parseTimestamp } from "./timestamp.js";

test("timestamps: RFC 3339 with an offset, read to the millisecond", () => {
  assert.equal(parseTimestamp("2026-06-30T23:59:59Z")?.toISOString(), "2026-06-30T23:59:59.000Z");
  assert.equal(parseTimestamp("2026-06-30t23:59:59.1234z")?.toISOString(), "2026-06-30T23:59:59.123Z");
  assert.equal(parseTimestamp("2026-07-01T01:30:00+02:00")?.toISOString(), "2026-06-30T23:30:00.000Z");
  assert.equal(parseTimestamp("2026-06-30 23:00:00-01:00")?.toISOString(), "2026-07-01T00:00:00.000Z");
  assert.equal(parseTimestamp("0050-01-01T00:00:00Z")?.toISOString(), "0050-01-01T00:00:00.000Z", "not 1950");
  assert.equal(parseTimestamp("2024-02-29T00:00:00Z")?.toISOString(), "2024-02-29T00:00:00.000Z");
});

test("timestamps a Date or the database cannot hold exactly are refused", () => {
  for (const text of [
    "2026-06-30T23:59:60Z", "2025-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z", "2026-01-01T24:00:00Z",
    "2026-01-01T00:60:00Z", "2026-01-01T00:00:00+24:00", "2026-01-01T00:00:00+01:60", "-200000-01-01T00:00:00Z",
    "+275760-09-13T00:00:00Z", "0000-06-01T00:00:00Z", "0001-01-01T00:30:00+01:00", "9999-12-31T23:30:00-01:00",
    "2026-01-01", "2026-01-01T00:00:00", "1767225600000", "", "2026-01-01T00:00:00Z\n",
  ]) assert.equal(parseTimestamp(text), undefined, text);
});
