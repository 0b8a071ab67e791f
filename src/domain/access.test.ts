import assert from "node:assert/strict";
import { test } from "node:test";
import { checkAccountGuards, checkUserChange, effectivePrivileges } from "./access.js";

test("admins hold every privilege, managers theirs, agents none", () => {
  assert.deepEqual(effectivePrivileges({ role: "admin", privileges: [] }), ["users:write", "seats:manage"]);
  assert.deepEqual(effectivePrivileges({ role: "manager", privileges: ["seats:manage", "bogus"] }), ["seats:manage"]);
  assert.deepEqual(effectivePrivileges({ role: "agent", privileges: ["users:write"] }), []);
});

test("a manager gives no privilege it does not hold, changes only users it covers, never admins or billing", () => {
  const manager = { role: "manager" as const, privileges: ["users:write"] };
  const agent = { role: "agent" as const, privileges: [], billingContact: false };
  assert.equal(checkUserChange(manager, null, agent), null);
  assert.equal(checkUserChange(manager, null, { role: "manager", privileges: ["users:write"], billingContact: false }), null);
  assert.equal(checkUserChange(manager, null, { role: "manager", privileges: ["seats:manage"], billingContact: false })?.code, "FORBIDDEN");
  assert.equal(checkUserChange(manager, null, { role: "admin", privileges: [], billingContact: false })?.code, "FORBIDDEN");
  assert.equal(checkUserChange(manager, { role: "admin", privileges: [], billingContact: true }, agent)?.code, "FORBIDDEN");
  // A user the manager does not fully cover (seats:manage here) is out of its reach, even
  // for a change that gives nothing: a password reset would be a takeover.
  const seats = { role: "manager" as const, privileges: ["seats:manage"], billingContact: false };
  assert.equal(checkUserChange(manager, seats, seats)?.code, "FORBIDDEN");
  assert.equal(checkUserChange(manager, seats, agent)?.code, "FORBIDDEN");
  const peer = { role: "manager" as const, privileges: ["users:write"], billingContact: false };
  assert.equal(checkUserChange(manager, peer, peer), null);
  assert.equal(checkUserChange(manager, agent, agent), null);
  const both = { role: "manager" as const, privileges: ["users:write", "seats:manage"] };
  assert.equal(checkUserChange(both, seats, seats), null);
  assert.equal(checkUserChange(both, { ...seats, privileges: ["seats:manage", "users:write"] }, agent), null);
  assert.equal(checkUserChange({ role: "admin", privileges: [] }, null, { role: "admin", privileges: [], billingContact: true }), null);
});

test("the last active admin and the last billing contact are kept", () => {
  const admin = { role: "admin" as const, active: true, billingContact: true };
  assert.equal(checkAccountGuards({ activeAdmins: 1, billingContacts: 1 }, admin, null)?.code, "LAST_ADMIN");
  assert.equal(checkAccountGuards({ activeAdmins: 2, billingContacts: 1 }, admin, null)?.code, "LAST_BILLING_CONTACT");
  assert.equal(checkAccountGuards({ activeAdmins: 2, billingContacts: 2 }, admin, null), null);
  assert.equal(checkAccountGuards({ activeAdmins: 1, billingContacts: 1 }, admin, { ...admin, active: false })?.code, "LAST_ADMIN");
  assert.equal(checkAccountGuards({ activeAdmins: 1, billingContacts: 1 }, admin, { ...admin }), null);
  const agent = { role: "agent" as const, active: true, billingContact: false };
  assert.equal(checkAccountGuards({ activeAdmins: 1, billingContacts: 1 }, agent, null), null);
});
