import assert from "node:assert/strict";
import { test } from "node:test";
import { decideGroupSeat, GROUP_SOURCE, type GroupSeatInput } from "./group-seat.js";

const base: GroupSeatInput = { mapped: [], active: true, hasSubscription: true, current: null, namedLeft: 0 };
const named = { groupId: "grp_n", type: "named" as const };
const concurrent = { groupId: "grp_c", type: "concurrent" as const };
const fromGroup = (type: "named" | "concurrent") => ({ type, source: GROUP_SOURCE });

test("a seat an admin granted by hand is never touched", () => {
  for (const mapped of [[], [named], [concurrent]]) {
    assert.deepEqual(decideGroupSeat({ ...base, mapped, current: { type: "concurrent", source: "manual" } }), { action: { kind: "keep" }, warning: null });
  }
});

test("no mapped group, or an inactive user: the group's seat is revoked", () => {
  assert.deepEqual(decideGroupSeat({ ...base, current: fromGroup("named") }).action, { kind: "revoke" });
  assert.deepEqual(decideGroupSeat({ ...base, mapped: [named], namedLeft: 3, active: false, current: fromGroup("named") }).action, { kind: "revoke" });
  assert.deepEqual(decideGroupSeat(base).action, { kind: "keep" });
});

test("named wins while a named seat is left; else concurrent with a warning; else a warning alone", () => {
  assert.deepEqual(decideGroupSeat({ ...base, mapped: [concurrent, named], namedLeft: 1 }), { action: { kind: "grant", type: "named" }, warning: null });
  assert.deepEqual(decideGroupSeat({ ...base, mapped: [concurrent, named], namedLeft: 0, current: fromGroup("named") }).action, { kind: "keep" }, "a held named seat stays");
  assert.deepEqual(decideGroupSeat({ ...base, mapped: [concurrent, named], namedLeft: 0 }), {
    action: { kind: "grant", type: "concurrent" },
    warning: { groupId: "grp_n", code: "NO_NAMED_SEAT_AVAILABLE", granted: "concurrent" },
  });
  assert.deepEqual(decideGroupSeat({ ...base, mapped: [named], namedLeft: 0 }), {
    action: { kind: "keep" },
    warning: { groupId: "grp_n", code: "NO_NAMED_SEAT_AVAILABLE", granted: null },
  });
  assert.deepEqual(decideGroupSeat({ ...base, mapped: [named], namedLeft: 0, current: fromGroup("concurrent") }).action, { kind: "revoke" });
});

test("only a concurrent mapping: concurrent, also in place of a named seat a group gave", () => {
  assert.deepEqual(decideGroupSeat({ ...base, mapped: [concurrent] }).action, { kind: "grant", type: "concurrent" });
  assert.deepEqual(decideGroupSeat({ ...base, mapped: [concurrent], current: fromGroup("named") }).action, { kind: "grant", type: "concurrent" });
  assert.deepEqual(decideGroupSeat({ ...base, mapped: [concurrent], current: fromGroup("concurrent") }).action, { kind: "keep" });
});

test("no subscription line: a warning, no seat", () => {
  assert.deepEqual(decideGroupSeat({ ...base, mapped: [concurrent], hasSubscription: false }), {
    action: { kind: "keep" },
    warning: { groupId: "grp_c", code: "NO_SUBSCRIPTION", granted: null },
  });
});
