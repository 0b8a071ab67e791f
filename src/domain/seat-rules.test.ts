import assert from "node:assert/strict";
import { test } from "node:test";
import { decideNamedGrant, decideSubscriptionChange, seatLabel } from "./seat-rules.js";

test("a named seat is granted only while one is unassigned", () => {
  assert.equal(decideNamedGrant({ product: "p", namedTotal: 2, namedAssigned: 1 }, false), null);
  assert.equal(decideNamedGrant({ product: "p", namedTotal: 2, namedAssigned: 2 }, false)?.code, "NO_NAMED_SEAT_AVAILABLE");
  assert.equal(decideNamedGrant({ product: "p", namedTotal: 2, namedAssigned: 2 }, true), null, "holding it already is fine");
});

test("named licenses never drop below the assigned seats; concurrent may", () => {
  const pool = { product: "p", namedTotal: 5, namedAssigned: 3 };
  assert.equal(decideSubscriptionChange(pool, { named: 2, concurrent: 10 })?.code, "NAMED_SEATS_IN_USE");
  assert.equal(decideSubscriptionChange(pool, { named: 3, concurrent: 0 }), null);
});

test("seat types read as the seed names them (S2)", () => {
  assert.equal(seatLabel("Remote Support v5", "concurrent"), "Remote Support v5 – Concurrent");
  assert.equal(seatLabel("Remote Support v5", "named", "fr"), "Remote Support v5 – Nominatif");
});
