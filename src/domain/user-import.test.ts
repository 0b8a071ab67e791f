import assert from "node:assert/strict";
import { test } from "node:test";
import { planImport, readImportFile, type ExistingUser, type ImportState } from "./user-import.js";

function state(existing: Record<string, Partial<ExistingUser>> = {}, named = { total: 2, assigned: 0 }): ImportState {
  return {
    actor: { role: "admin", privileges: [] },
    existing: new Map(
      Object.entries(existing).map(([email, u], i) => [
        email,
        { id: `usr_${i}`, name: "Same", role: "agent", privileges: [], billingContact: false, active: true, seats: new Map(), groupSeats: new Set(), openSessions: new Map(), ...u },
      ]),
    ),
    takenElsewhere: new Set(),
    products: new Map([["desk", { id: "prod_desk", slug: "desk" }]]),
    subscriptions: new Map([["prod_desk", { namedTotal: named.total, namedAssigned: named.assigned }]]),
    guards: { activeAdmins: 1, billingContacts: 1 },
  };
}

test("named seats are counted over the whole import, seats it frees included", () => {
  const file = readImportFile("email,name,seats\na@x.test,Same,desk:named\nb@x.test,Same,desk:named\nc@x.test,Same,desk:concurrent");
  const full = planImport(file, state({ "c@x.test": { seats: new Map([["prod_desk", "named"]]) } }, { total: 2, assigned: 2 }));
  // c gives its named seat back; one more is taken by a: b is one too many.
  assert.deepEqual(full.errors.map((e) => [e.row, e.key]), [[3, "importNoNamedSeat"]]);
  assert.equal(full.grants.length, 3);
});

test("identical rows are unchanged; a listed-but-missing seat is granted, an unlisted one revoked", () => {
  const file = readImportFile("email,name,seats\nsame@x.test,Same,\ngrant@x.test,Same,desk:concurrent");
  const plan = planImport(file, state({ "same@x.test": {}, "grant@x.test": {} }));
  assert.equal(plan.unchanged, 1);
  assert.deepEqual(plan.grants.map((g) => [g.emailLower, g.type]), [["grant@x.test", "concurrent"]]);
  const revoke = planImport(readImportFile("email,name,seats\nsame@x.test,Same,"), state({ "same@x.test": { seats: new Map([["prod_desk", "concurrent"]]) } }));
  assert.deepEqual(revoke.revokes.map((r) => r.product), ["desk"]);
  assert.equal(revoke.updates.length, 1);
});

test("demoting the only admin is refused unless the same import makes another", () => {
  const demote = "email,name,role\nboss@x.test,Same,agent";
  const admin = { "boss@x.test": { role: "admin" as const, billingContact: false } };
  assert.deepEqual(planImport(readImportFile(demote), state(admin)).errors.map((e) => e.key), ["importLastAdmin"]);
  const handOver = planImport(readImportFile(`${demote}\nnext@x.test,Next,admin`), state(admin));
  assert.deepEqual(handOver.errors, []);
});

test("in add mode nothing is revoked: unlisted seats stay, a listed seat of the other type is switched", () => {
  const holder = { seats: new Map<string, "named" | "concurrent">([["prod_desk", "named"]]), openSessions: new Map([["prod_desk", 2]]) };
  const file = readImportFile("email,name,seats\nholder@x.test,Same,");
  assert.deepEqual(planImport(file, state({ "holder@x.test": holder }), "add").revokes, []);
  const replaced = planImport(file, state({ "holder@x.test": holder }));
  assert.deepEqual(replaced.revokes.map((r) => [r.product, r.type, r.openSessions]), [["desk", "named", 2]]);
  const switched = planImport(readImportFile("email,name,seats\nholder@x.test,Same,desk:concurrent"), state({ "holder@x.test": holder }), "add");
  assert.deepEqual(switched.grants.map((g) => [g.type, g.previous, g.openSessions]), [["concurrent", "named", 2]]);
});

test("a ;-separated file (French Excel) reads like a comma-separated one, its seats cell split on ; or ,", () => {
  const file = readImportFile('\uFEFFemail;name;seats\r\nléa@x.test;"Fontaine, Léa";"desk:concurrent"\r\nb@x.test;Bé;desk:named\r\n');
  assert.equal(file.delimiter, ";");
  assert.deepEqual(file.errors.map((e) => e.key), ["format"]);
  const ok = readImportFile('email;name;seats\na@x.test;"Fontaine, Léa";"desk:concurrent,other:named"');
  assert.deepEqual(ok.errors, []);
  assert.equal(ok.rows[0].name, "Fontaine, Léa");
  assert.deepEqual([...ok.rows[0].seats!], [["desk", "concurrent"], ["other", "named"]]);
  assert.equal(readImportFile("email,name\na@x.test,Dupont; Jeanne").delimiter, ",");
});
