// Filters (every operator, and/or/not, grouping), pagination, sorting and attribute
// selection, evaluated by the database.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { eachBackend } from "../support/suite.js";
import { scimClient, type ScimClient } from "../support/scim.js";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

// What providers write: kept attributes are filterable like the others.
const PEOPLE = [
  { key: "alice", given: "Alice", family: "Martin", externalId: "ext-A", active: true, extra: { title: "Engineer", [ENTERPRISE]: { department: "Support", manager: { value: "mgr-1" } } } },
  { key: "bob", given: "Bob", family: "Bernard", externalId: "ext-B", active: false, extra: { phoneNumbers: [{ value: "+1 555 0101", type: "mobile" }] } },
  {
    key: "carol", given: "Carol", family: "Martin", externalId: "ext-C", active: true,
    extra: { homeEmail: true, addresses: [{ type: "work", locality: "Lyon", country: "FR" }], [ENTERPRISE]: { department: "Sales" } },
  },
  { key: "dave", given: "Dave", family: "Dubois", externalId: null, active: true, extra: { title: "Engineer" } },
  { key: "eve", given: "Ève", family: "Petit", externalId: "ext-E", active: false, extra: {} },
];

eachBackend("SCIM filters, pagination, sorting, attributes", ({ t }) => {
  let scim: ScimClient;
  let tag: string;
  const ids: Record<string, string> = {};
  let groupId: string;

  before(async () => {
    scim = await scimClient(t());
    tag = `f${Math.random().toString(36).slice(2, 8)}`;
    for (const p of PEOPLE) {
      const { homeEmail, ...extra } = p.extra as Record<string, unknown>;
      const userName = `${p.key}.${tag}@Example.test`;
      const user = await scim.user(userName, {
        name: { givenName: p.given, familyName: p.family },
        displayName: `${p.given} ${p.family}`,
        emails: [{ value: userName, type: "work", primary: true }, ...(homeEmail ? [{ value: `${p.key}.${tag}@home.test`, type: "home" }] : [])],
        ...(p.externalId && { externalId: p.externalId }),
        active: p.active,
        ...extra,
      });
      ids[p.key] = user.id;
    }
    groupId = (await scim.group("Support", [ids.alice, ids.dave])).id;
  });

  async function matching(filter: string, extra = ""): Promise<string[]> {
    const r = await scim.get(`/Users?filter=${encodeURIComponent(`(${filter}) and userName ew "${tag}@example.test"`)}${extra}`);
    assert.equal(r.status, 200, `${filter}: ${JSON.stringify(r.body)}`);
    const keys = r.body.Resources.map((u: any) => u.userName.split(".")[0]);
    return keys.sort();
  }

  test("every comparison operator and pr", async () => {
    const cases: [string, string[]][] = [
      [`userName eq "ALICE.${tag}@example.test"`, ["alice"]],
      [`userName ne "alice.${tag}@example.test"`, ["bob", "carol", "dave", "eve"]],
      ['name.familyName co "ART"', ["alice", "carol"]],
      ['name.givenName sw "c"', ["carol"]],
      ['name.familyName ew "is"', ["dave"]],
      ['name.givenName gt "C"', ["carol", "dave", "eve"]],
      ['name.givenName ge "Carol"', ["carol", "dave", "eve"]],
      ['name.givenName lt "Bob"', ["alice"]],
      ['name.givenName le "Bob"', ["alice", "bob"]],
      ["externalId pr", ["alice", "bob", "carol", "eve"]],
      ['externalId eq "ext-A"', ["alice"]],
      ['externalId eq "EXT-A"', []],
      ["active eq false", ["bob", "eve"]],
      ["active ne false", ["alice", "carol", "dave"]],
      [`emails.value eq "carol.${tag}@example.test"`, ["carol"]],
      [`emails eq "carol.${tag}@example.test"`, ["carol"]],
      [`emails[type eq "work" and value sw "dave"]`, ["dave"]],
      [`emails[type eq "home"]`, ["carol"]],
      [`emails[type eq "work"].value eq "CAROL.${tag}@example.test"`, ["carol"]],
      [`emails[type eq "home"].value eq "carol.${tag}@example.test"`, []],
      [`emails[primary eq true].value sw "alice"`, ["alice"]],
      [`emails.value ew "@home.test"`, ["carol"]],
      ['title eq "engineer"', ["alice", "dave"]],
      ["title pr", ["alice", "dave"]],
      ['phoneNumbers[type eq "mobile"].value eq "+1 555 0101"', ["bob"]],
      ['addresses[country eq "FR" and locality eq "lyon"]', ["carol"]],
      [`${ENTERPRISE}:department eq "Support"`, ["alice"]],
      ['department ne "Support"', ["bob", "carol", "dave", "eve"]],
      [`${ENTERPRISE}:manager.value eq "mgr-1"`, ["alice"]],
      ['displayName eq "Ève Petit"', ["eve"]],
      [`groups.value eq "${groupId}"`, ["alice", "dave"]],
      [`groups[display eq "support"]`, ["alice", "dave"]],
      [`id eq "${ids.bob}"`, ["bob"]],
      ['meta.lastModified gt "2000-01-01T00:00:00Z"', ["alice", "bob", "carol", "dave", "eve"]],
      ['meta.created lt "2000-01-01T00:00:00Z"', []],
      ['urn:ietf:params:scim:schemas:core:2.0:User:name.givenName eq "alice"', ["alice"]],
      ['USERNAME SW "bob" OR NAME.GIVENNAME EQ "dave"', ["bob", "dave"]],
    ];
    for (const [filter, expected] of cases) assert.deepEqual(await matching(filter), expected, filter);
  });

  test("and, or, not and parentheses, with the right precedence", async () => {
    const cases: [string, string[]][] = [
      ['name.familyName eq "Martin" and active eq true', ["alice", "carol"]],
      ['name.givenName eq "Alice" or name.givenName eq "Bob" and active eq true', ["alice"]],
      ['(name.givenName eq "Alice" or name.givenName eq "Bob") and active eq false', ["bob"]],
      ['not (name.givenName eq "Alice" or name.givenName eq "Bob")', ["carol", "dave", "eve"]],
      ['not (active eq true) and not (externalId pr)', []],
      ['not ((name.familyName eq "Martin") or (active eq false))', ["dave"]],
      ['((((((((((name.givenName eq "Dave"))))))))))', ["dave"]],
      [`userName eq "a\\"b" or name.givenName eq "\\u00c8ve" or name.givenName eq "\u00c8VE"`, ["eve"]],
    ];
    for (const [filter, expected] of cases) assert.deepEqual(await matching(filter), expected, filter);
  });

  test("startIndex and count paginate (1-based) with totalResults; sortBy and sortOrder order", async () => {
    const filter = encodeURIComponent(`userName ew "${tag}@example.test"`);
    const first = await scim.get(`/Users?filter=${filter}&sortBy=name.givenName&startIndex=1&count=2`);
    assert.equal(first.body.totalResults, 5);
    assert.equal(first.body.startIndex, 1);
    assert.equal(first.body.itemsPerPage, 2);
    assert.deepEqual(first.body.Resources.map((u: any) => u.name.givenName), ["Alice", "Bob"]);
    const last = await scim.get(`/Users?filter=${filter}&sortBy=name.givenName&startIndex=5&count=2`);
    assert.deepEqual(last.body.Resources.map((u: any) => u.name.givenName), ["Ève"]);
    assert.equal(last.body.startIndex, 5);
    const beyond = await scim.get(`/Users?filter=${filter}&startIndex=9`);
    assert.equal(beyond.body.itemsPerPage, 0);
    assert.deepEqual(beyond.body.Resources, []);
    const zero = await scim.get(`/Users?filter=${filter}&count=0`);
    assert.equal(zero.body.totalResults, 5);
    assert.deepEqual(zero.body.Resources, []);
    const below = await scim.get(`/Users?filter=${filter}&startIndex=-4&count=1`);
    assert.equal(below.body.startIndex, 1, "a startIndex below 1 is 1");

    const descending = await scim.get(`/Users?filter=${filter}&sortBy=userName&sortOrder=descending`);
    assert.deepEqual(descending.body.Resources.map((u: any) => u.userName.split(".")[0]), ["eve", "dave", "carol", "bob", "alice"]);
    const byFamily = await scim.get(`/Users?filter=${filter}&SORTBY=name.familyName&sortOrder=ascending`);
    assert.deepEqual(byFamily.body.Resources.map((u: any) => u.name.familyName), ["Bernard", "Dubois", "Martin", "Martin", "Petit"]);
    const byEmail = await scim.get(`/Users?filter=${filter}&sortBy=emails&sortOrder=descending`);
    assert.deepEqual(byEmail.body.Resources.map((u: any) => u.userName.split(".")[0]), ["eve", "dave", "carol", "bob", "alice"], "by the primary email");
    const byTitle = await scim.get(`/Users?filter=${filter}&sortBy=title`);
    assert.equal(byTitle.status, 200, "kept attributes sort too");
  });

  test("attributes and excludedAttributes trim the answer; id and schemas always stay", async () => {
    const filter = encodeURIComponent(`id eq "${ids.alice}"`);
    const only = await scim.get(`/Users?filter=${filter}&attributes=userName,name.givenName`);
    assert.deepEqual(Object.keys(only.body.Resources[0]).sort(), ["id", "name", "schemas", "userName"]);
    assert.deepEqual(only.body.Resources[0].name, { givenName: "Alice" });
    const without = await scim.get(`/Users/${ids.alice}?excludedAttributes=groups,emails,name.familyName`);
    assert.equal(without.body.groups, undefined);
    assert.equal(without.body.emails, undefined);
    assert.equal(without.body.name.familyName, undefined);
    assert.equal(without.body.name.givenName, "Alice");
    const urn = await scim.get(`/Users/${ids.alice}?attributes=urn:ietf:params:scim:schemas:core:2.0:User:displayName`);
    assert.deepEqual(Object.keys(urn.body).sort(), ["displayName", "id", "schemas"]);
    const groups = await scim.get(`/Groups?excludedAttributes=members`);
    assert.equal(groups.body.Resources[0].members, undefined);
    assert.equal(groups.body.Resources[0].displayName, "Support");
  });

  test("group filters: displayName and members.value", async () => {
    await scim.group("Sales", [ids.bob]);
    const byMember = await scim.get(`/Groups?filter=${encodeURIComponent(`members.value eq "${ids.dave}"`)}`);
    assert.deepEqual(byMember.body.Resources.map((g: any) => g.displayName), ["Support"]);
    const byName = await scim.get(`/Groups?filter=${encodeURIComponent('displayName eq "sales"')}`);
    assert.deepEqual(byName.body.Resources.map((g: any) => g.displayName), ["Sales"]);
    const notSupport = await scim.get(`/Groups?filter=${encodeURIComponent('not (displayName eq "Support")')}&sortBy=displayName`);
    assert.deepEqual(notSupport.body.Resources.map((g: any) => g.displayName), ["Sales"]);
    const members = await scim.get(`/Groups?filter=${encodeURIComponent(`members[value eq "${ids.alice}" or display co "bob"]`)}&sortBy=displayName`);
    assert.deepEqual(members.body.Resources.map((g: any) => g.displayName), ["Sales", "Support"]);
  });
});
