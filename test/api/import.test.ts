// CSV user import (POST /api/v1/users/import): create, update, unchanged; dry runs;
// every row check; all or nothing; privileges; 400/413/415; tenants; seats as the
// complete set; 10,000 rows; imports racing manual grants for a few named seats.
import assert from "node:assert/strict";
import { test } from "node:test";
import { eachBackend } from "../support/suite.js";
import { TEST_PASSWORD, type TestAccount, type TestApp } from "../support/app.js";
import { scimClient } from "../support/scim.js";
import type { ImportResult } from "../../src/domain/shapes.js";

const HEADER = "email,name,role,seats,password";

function importCsv(t: TestApp, token: string, csv: string, options: { dryRun?: boolean; headers?: Record<string, string> } = {}) {
  return t.call("POST", `/api/v1/users/import?dryRun=${options.dryRun ?? false}`, {
    token,
    body: csv,
    headers: { "content-type": "text/csv", ...options.headers },
  });
}

async function usersOf(t: TestApp, account: TestAccount) {
  const r = await t.call("GET", "/api/v1/users?limit=500", { token: account.admin.token });
  assert.equal(r.status, 200);
  return r.body.items as { id: string; email: string; name: string; role: string; seats: { product: string; type: string; source: string }[] }[];
}

async function countUsers(t: TestApp, accountId: string): Promise<number> {
  const row = await t.database.db.selectFrom("users").select((eb) => eb.fn.countAll<number>().as("n")).where("account_id", "=", accountId).executeTakeFirstOrThrow();
  return Number(row.n);
}

eachBackend("CSV import", ({ t }) => {
  test("creates, updates and leaves unchanged; seats and passwords are set; everything is audited", async () => {
    const account = await t().account();
    const v5 = await t().product("Remote Support v5");
    const desk = await t().product("Service Desk");
    await t().subscribe(account, v5.slug, 2, 5);
    await t().subscribe(account, desk.slug, 3, 0);
    const kept = await t().user(account, { name: "Kept As Is", email: "kept@import.test" });
    await t().grant(account, kept.id, v5.slug, "concurrent");
    await t().user(account, { name: "Old Name", email: "renamed@import.test" });

    const csv = [
      "\uFEFFEmail,NAME,Seats,Role,password",
      `new.one@import.test,"Dupont, Jeanne",${v5.slug}:concurrent;${desk.slug}:named,agent,${TEST_PASSWORD}`,
      `NEW.two@import.test,"Said ""Sam"" Smith",,manager,`,
      `kept@import.test,Kept As Is,${v5.slug}:concurrent,,`,
      `Renamed@Import.test,New Name,${v5.slug}:named,,`,
    ].join("\r\n");
    const r = await importCsv(t(), account.admin.token, csv);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body, { dryRun: false, created: 2, updated: 1, unchanged: 1, errors: [] });

    const users = await usersOf(t(), account);
    const byEmail = new Map(users.map((u) => [u.email.toLowerCase(), u]));
    const one = byEmail.get("new.one@import.test")!;
    assert.equal(one.name, "Dupont, Jeanne");
    assert.equal(one.role, "agent");
    assert.deepEqual(one.seats.map((s) => `${s.product}:${s.type}:${s.source}`).sort(), [`${desk.slug}:named:import`, `${v5.slug}:concurrent:import`].sort());
    const two = byEmail.get("new.two@import.test")!;
    assert.equal(two.name, 'Said "Sam" Smith');
    assert.equal(two.role, "manager");
    assert.equal(two.email, "NEW.two@import.test", "the email is stored as written");
    assert.deepEqual(byEmail.get("renamed@import.test")!.seats.map((s) => s.type), ["named"]);
    assert.equal(byEmail.get("renamed@import.test")!.name, "New Name");
    assert.deepEqual(byEmail.get("kept@import.test")!.seats.map((s) => s.source), ["manual"], "an unchanged seat is not re-granted");

    const login = await t().call("POST", "/api/v1/auth/login", { body: { email: "new.one@import.test", password: TEST_PASSWORD } });
    assert.equal(login.status, 200, "an imported password signs in");

    const audit = await t().call("GET", "/api/v1/audit?limit=100", { token: account.admin.token });
    const actions = audit.body.items.filter((e) => e.actor.id === account.admin.id).map((e) => e.action);
    assert.equal(actions.filter((a: string) => a === "user.created").length, 2);
    assert.equal(actions.filter((a: string) => a === "user.updated").length, 1);
    assert.equal(audit.body.items.filter((e) => e.action === "seat.granted" && e.details.source === "import").length, 3);
    assert.equal(actions.filter((a: string) => a === "users.imported").length, 1);

    const again = await importCsv(t(), account.admin.token, csv.replace(TEST_PASSWORD, ""));
    assert.deepEqual(again.body, { dryRun: false, created: 0, updated: 0, unchanged: 4, errors: [] }, "the same file again changes nothing");
  });

  test("a dry run reports the same counts and writes nothing", async () => {
    const account = await t().account();
    const product = await t().product();
    await t().subscribe(account, product.slug, 1, 1);
    const before = await countUsers(t(), account.id);
    const csv = `${HEADER}\nann@dry.test,Ann,agent,${product.slug}:named,${TEST_PASSWORD}\nbob@dry.test,Bob,,,`;
    const dry = await importCsv(t(), account.admin.token, csv, { dryRun: true, headers: { "content-type": "text/csv; charset=utf-8" } });
    assert.deepEqual(dry.body, { dryRun: true, created: 2, updated: 0, unchanged: 0, errors: [] });
    assert.equal(await countUsers(t(), account.id), before);
    const audit = await t().call("GET", "/api/v1/audit?action=users", { token: account.admin.token });
    assert.equal(audit.body.items.length, 0);
    const sub = await t().call("GET", "/api/v1/subscription", { token: account.admin.token });
    assert.equal(sub.body.items[0].named.assigned, 0);
  });

  test("every row check, with the row and field, in English and French; nothing is written", async () => {
    const account = await t().account();
    const other = await t().account();
    const product = await t().product();
    const unsubscribed = await t().product();
    await t().subscribe(account, product.slug, 1, 5);
    const elsewhere = await t().user(other, { email: "elsewhere@rows.test" });
    const before = await countUsers(t(), account.id);
    const csv = [
      HEADER,
      "not-an-email,Bad Email,,,", // 2
      "ok1@rows.test,,,,", // 3: name missing
      "ok2@rows.test,Ok Two,emperor,,", // 4
      `ok3@rows.test,Ok Three,,no-such-product:named,`, // 5
      `ok4@rows.test,Ok Four,,${unsubscribed.slug}:named,`, // 6
      `ok5@rows.test,Ok Five,,${product.slug}:both,`, // 7
      `ok6@rows.test,Ok Six,,${product.slug}:named;${product.slug}:concurrent,`, // 8
      `ok7@rows.test,Ok Seven,,,short`, // 9
      `OK2@rows.test,Again,,,`, // 10: duplicate of row 4
      `${elsewhere.email.toUpperCase()},Taken,,,`, // 11
      `ok8@rows.test,Ok Eight,,${product.slug}:named,`, // 12: takes the only named seat
      `ok9@rows.test,Ok Nine,,${product.slug}:named,`, // 13: none left
      `ok10@rows.test,Too,Many,Fields,Here,Really`, // 14
      `ok11@rows.test,Ok Eleven,,${product.slug},`, // 15
    ].join("\n");
    const r = await importCsv(t(), account.admin.token, csv);
    assert.equal(r.status, 200);
    const got = r.body.errors.map((e) => `${e.row} ${e.field}`);
    assert.deepEqual(got, [
      "2 email", "3 name", "4 role", "5 seats", "6 seats", "7 seats", "8 seats", "9 password", "10 email", "11 email", "13 seats", "14 row", "15 seats",
    ]);
    const message = (row: number) => r.body.errors.find((e) => e.row === row)!.message as string;
    assert.equal(message(2), "must be a valid email address");
    assert.equal(message(4), "must be one of: admin, manager, agent");
    assert.match(message(5), /unknown product: no-such-product/);
    assert.match(message(6), /no subscription/);
    assert.match(message(8), /twice/);
    assert.match(message(9), /at least 8 characters/);
    assert.equal(message(10), "repeats the email of row 4");
    assert.equal(message(11), "is already in use", "says nothing of the other account");
    assert.match(message(13), /no named seat .* left: the account has 1, this import would assign 2/);
    assert.equal(await countUsers(t(), account.id), before, "nothing written");

    const fr = await importCsv(t(), account.admin.token, csv, { headers: { "accept-language": "fr" } });
    assert.equal(fr.body.errors.find((e) => e.row === 2)!.message, "doit être une adresse e-mail valide");
    assert.equal(fr.body.errors.find((e) => e.row === 10)!.message, "reprend l'adresse e-mail de la ligne 4");
  });

  test("one bad row among good ones writes nothing at all", async () => {
    const account = await t().account();
    const before = await countUsers(t(), account.id);
    const rows = Array.from({ length: 50 }, (_, i) => `all${i}@none.test,User ${i},,,`);
    rows.splice(37, 0, "broken,Broken,,,");
    const r = await importCsv(t(), account.admin.token, [HEADER, ...rows].join("\n"));
    assert.equal(r.body.created, 50);
    assert.deepEqual(r.body.errors.map((e) => e.row), [39]);
    assert.equal(await countUsers(t(), account.id), before);
  });

  test("role changes keep the account's last admin and billing contact; a manager changes no admin", async () => {
    const account = await t().account();
    const r = await importCsv(t(), account.admin.token, `email,name,role\n${account.admin.email},Ada Admin,agent`);
    assert.deepEqual(r.body.errors.map((e) => e.message), ["would leave the account without an active admin", "would leave the account without a billing contact"]);

    const second = await t().user(account, { role: "admin", email: "second-admin@guards.test" });
    const ok = await importCsv(t(), account.admin.token, `email,name,role\n${second.email},Second,agent`);
    assert.deepEqual(ok.body.errors, [], "another active admin remains");
    assert.equal(ok.body.updated, 1);

    const manager = await t().user(account, { role: "manager", privileges: ["users:write"] });
    const m = await importCsv(t(), manager.token, `email,name,role\nnew-admin@guards.test,New Admin,admin\n${account.admin.email},Renamed Admin,`);
    assert.deepEqual(m.body.errors.map((e) => `${e.row} ${e.field}`), ["2 role", "3 role"]);
    assert.match(m.body.errors![0].message, /only an admin/);
  });

  test("privileges: users:write to import, seats:manage as soon as seats change", async () => {
    const account = await t().account();
    const product = await t().product();
    await t().subscribe(account, product.slug, 0, 5);
    const agent = await t().user(account);
    const usersOnly = await t().user(account, { role: "manager", privileges: ["users:write"] });
    const seatsOnly = await t().user(account, { role: "manager", privileges: ["seats:manage"] });
    const both = await t().user(account, { role: "manager", privileges: ["users:write", "seats:manage"] });
    const withSeats = `email,name,seats\npriv@import.test,Priv,${product.slug}:concurrent`;

    assert.equal((await importCsv(t(), agent.token, withSeats)).status, 403);
    assert.equal((await importCsv(t(), seatsOnly.token, withSeats)).status, 403);
    const refused = await importCsv(t(), usersOnly.token, withSeats);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, "FORBIDDEN");
    assert.match(refused.body.detail!, /seats:manage/);
    assert.equal((await importCsv(t(), usersOnly.token, "email,name\npriv@import.test,Priv")).body.created, 1);

    // An empty seats cell still revokes: that too needs "manage seats".
    assert.equal((await importCsv(t(), both.token, withSeats)).body.updated, 1);
    const revoke = await importCsv(t(), usersOnly.token, "email,name,seats\npriv@import.test,Priv,");
    assert.equal(revoke.status, 403);
    assert.equal((await importCsv(t(), both.token, "email,name,seats\npriv@import.test,Priv,")).body.updated, 1);
    assert.equal((await importCsv(t(), "", withSeats)).status, 401);
  });

  test("bad files: 400 for empty, header-only, unknown column and broken quotes; 415; 413 over 20 MiB", async () => {
    const account = await t().account();
    const token = account.admin.token;
    const empty = await importCsv(t(), token, "");
    assert.equal(empty.status, 400);
    assert.equal(empty.body.code, "VALIDATION_FAILED");
    assert.match(empty.body.errors![0].message, /empty/);
    const headerOnly = await importCsv(t(), token, `${HEADER}\r\n`);
    assert.equal(headerOnly.status, 400);
    assert.match(headerOnly.body.errors![0].message, /no user rows/);
    const unknown = await importCsv(t(), token, "email,name,department\na@b.test,A,Sales");
    assert.equal(unknown.status, 400);
    assert.deepEqual(unknown.body.errors![0].field, "header");
    assert.match(unknown.body.errors![0].message, /unknown column "department"/);
    const missing = await importCsv(t(), token, "email,role\na@b.test,agent");
    assert.match(missing.body.errors![0].message, /needs the column name/);
    const quote = await importCsv(t(), token, 'email,name\na@b.test,"Unclosed\n');
    assert.equal(quote.status, 400);
    assert.match(quote.body.errors![0].message, /never closed/);

    const json = await t().call("POST", "/api/v1/users/import", { token, body: { email: "a@b.test" } });
    assert.equal(json.status, 415);
    assert.equal(json.body.code, "UNSUPPORTED_MEDIA_TYPE");
    assert.match(json.body.detail!, /text\/csv/);
    const plain = await importCsv(t(), token, "email,name\na@b.test,A", { headers: { "content-type": "text/plain" } });
    assert.equal(plain.status, 415);

    const big = `${HEADER}\n${"x".repeat(20 * 1024 * 1024)}`;
    const tooBig = await importCsv(t(), token, big);
    assert.equal(tooBig.status, 413);
    assert.equal(tooBig.body.code, "PAYLOAD_TOO_LARGE");
    assert.match(tooBig.body.detail!, /20 MiB/);
    const jsonTooBig = await t().call("POST", "/api/v1/users", { token, body: JSON.stringify({ name: "x".repeat(1024 * 1024) }) });
    assert.equal(jsonTooBig.status, 413);
    assert.match(jsonTooBig.body.detail!, /1 MiB/, "other routes keep their 1 MiB limit");
  });

  test("tenants: an import only sees and changes its own account", async () => {
    const a = await t().account();
    const b = await t().account();
    const bUser = await t().user(b, { email: "b-user@tenants.test", name: "B User" });
    const r = await importCsv(t(), a.admin.token, "email,name\nb-user@tenants.test,Hijacked");
    assert.equal(r.body.errors![0].message, "is already in use");
    const still = await t().call("GET", `/api/v1/users/${bUser.id}`, { token: b.admin.token });
    assert.equal(still.body.name, "B User");
    const created = await importCsv(t(), a.admin.token, "email,name\nonly-a@tenants.test,Only A");
    assert.equal(created.body.created, 1);
    assert.ok(!(await usersOf(t(), b)).some((u) => u.email === "only-a@tenants.test"));
  });

  test("the seats column is the complete set: a revoked concurrent seat ends the held shared session", async () => {
    const account = await t().account();
    const v5 = await t().product();
    const desk = await t().product();
    await t().subscribe(account, v5.slug, 1, 2);
    await t().subscribe(account, desk.slug, 1, 0);
    const agent = await t().user(account, { app: "desktop", email: "holder@sets.test", name: "Holder" });
    await t().grant(account, agent.id, v5.slug, "concurrent");
    await t().grant(account, agent.id, desk.slug, "named");
    const started = await t().call("POST", "/api/v1/me/sessions", { token: agent.token, body: { product: v5.slug } });
    assert.equal(started.status, 201);
    assert.equal((await t().call("GET", "/api/v1/shared-sessions", { token: account.admin.token })).body.items.length, 1);

    const noSeatsColumn = await importCsv(t(), account.admin.token, "email,name\nholder@sets.test,Holder");
    assert.equal(noSeatsColumn.body.unchanged, 1, "without a seats column, seats stay");

    const r = await importCsv(t(), account.admin.token, `email,name,seats\nholder@sets.test,Holder,${desk.slug}:named`);
    assert.deepEqual(r.body, { dryRun: false, created: 0, updated: 1, unchanged: 0, errors: [] });
    const user = await t().call("GET", `/api/v1/users/${agent.id}`, { token: account.admin.token });
    assert.deepEqual(user.body.seats.map((s) => s.product), [desk.slug]);
    assert.equal((await t().call("GET", "/api/v1/shared-sessions", { token: account.admin.token })).body.items.length, 0, "the shared session ended");
    const line = (await t().call("GET", "/api/v1/subscription", { token: account.admin.token })).body.items.find((i) => i.product === v5.slug)!;
    assert.equal(line.concurrent.occupied, 0);
    const ended = await t().call("POST", `/api/v1/me/sessions/${started.body.id}/connect`, { token: agent.token, body: { mode: "attended", platform: "windows" } });
    assert.equal(ended.status, 409);

    // Named → concurrent frees the named seat for someone else in the same import.
    const other = await t().user(account, { email: "next@sets.test", name: "Next" });
    const swap = await importCsv(t(), account.admin.token, `email,name,seats\nnext@sets.test,Next,${desk.slug}:named\nholder@sets.test,Holder,`);
    assert.deepEqual(swap.body.errors, []);
    assert.deepEqual((await t().call("GET", `/api/v1/users/${other.id}`, { token: account.admin.token })).body.seats.map((s) => s.type), ["named"]);
  });

  test("seats a SCIM group mapping gave stay with the mapping: an import neither revokes nor changes them", async () => {
    const account = await t().account();
    const product = await t().product();
    const other = await t().product();
    await t().subscribe(account, product.slug, 2, 5);
    await t().subscribe(account, other.slug, 0, 5);
    const idp = await scimClient(t(), account);
    const member = await idp.user("grouped@import.test");
    const group = await idp.group("Support", [member.id]);
    const mapped = await t().call("PUT", `/api/v1/groups/${group.id}/seat`, { token: account.admin.token, body: { product: product.slug, type: "concurrent" } });
    assert.equal(mapped.status, 200);

    const kept = await importCsv(t(), account.admin.token, `email,name,seats\ngrouped@import.test,Grouped,${other.slug}:concurrent`);
    assert.deepEqual(kept.body.errors, []);
    const seats = (await t().call("GET", `/api/v1/users/${member.id}`, { token: account.admin.token })).body.seats;
    assert.deepEqual(seats.map((s) => `${s.product}:${s.type}:${s.source}`).sort(), [`${other.slug}:concurrent:import`, `${product.slug}:concurrent:scim_group`].sort());

    const changed = await importCsv(t(), account.admin.token, `email,name,seats\ngrouped@import.test,Grouped,${product.slug}:named;${other.slug}:concurrent`);
    assert.deepEqual(changed.body.errors.map((e) => `${e.row} ${e.field}`), ["2 seats"]);
    assert.match(changed.body.errors![0].message, /group mapping/);
  });

  test("progress streams as NDJSON with Accept: application/x-ndjson, the result last", async () => {
    const account = await t().account();
    const rows = Array.from({ length: 30 }, (_, i) => `p${i}@ndjson.test,P ${i},,,${i < 3 ? TEST_PASSWORD : ""}`);
    const r = await importCsv(t(), account.admin.token, [HEADER, ...rows].join("\n"), { headers: { accept: "application/x-ndjson" } });
    assert.equal(r.status, 200);
    assert.match(String(r.headers["content-type"]), /application\/x-ndjson/);
    const lines = String(r.body).trim().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(lines.at(-1), { result: { dryRun: false, created: 30, updated: 0, unchanged: 0, errors: [] } });
    const phases = new Set(lines.slice(0, -1).map((l) => l.phase));
    assert.deepEqual([...phases], ["validating", "hashing", "writing"]);
    assert.deepEqual(lines.filter((l) => l.phase === "writing").at(-1), { phase: "writing", done: 30, total: 30 });
  });

  test("10,000 rows import in one go, then re-import as unchanged", { timeout: 240_000 }, async () => {
    const account = await t().account();
    const product = await t().product();
    await t().subscribe(account, product.slug, 2000, 100);
    const rows = Array.from({ length: 10_000 }, (_, i) => `bulk${i}@ten-k.test,Bulk User ${i},agent,${product.slug}:${i < 2000 ? "named" : "concurrent"},`);
    const csv = [HEADER, ...rows].join("\n");
    const dry = await importCsv(t(), account.admin.token, csv, { dryRun: true });
    assert.deepEqual(dry.body, { dryRun: true, created: 10_000, updated: 0, unchanged: 0, errors: [] });
    const real = await importCsv(t(), account.admin.token, csv);
    assert.deepEqual(real.body, { dryRun: false, created: 10_000, updated: 0, unchanged: 0, errors: [] });
    assert.equal(await countUsers(t(), account.id), 10_001);
    const sub = await t().call("GET", "/api/v1/subscription", { token: account.admin.token });
    assert.deepEqual(sub.body.items[0].named, { total: 2000, assigned: 2000 });
    assert.equal(sub.body.items[0].concurrent.eligible, 8000);
    const again = await importCsv(t(), account.admin.token, csv.replace("Bulk User 9999", "Bulk User Renamed"));
    assert.deepEqual(again.body, { dryRun: false, created: 0, updated: 1, unchanged: 9999, errors: [] });
  });

  test("imports and manual grants racing for three named seats never over-allocate", async () => {
    const account = await t().account();
    const product = await t().product();
    await t().subscribe(account, product.slug, 3, 0);
    const manual = await Promise.all(Array.from({ length: 4 }, () => t().user(account)));
    const file = (tag: string) => ["email,name,seats", ...[0, 1].map((i) => `${tag}${i}@race.test,${tag} ${i},${product.slug}:named`)].join("\n");
    const results = await Promise.all([
      importCsv(t(), account.admin.token, file("a")),
      importCsv(t(), account.admin.token, file("b")),
      ...manual.map((u) => t().call("PUT", `/api/v1/users/${u.id}/seats/${product.slug}`, { token: account.admin.token, body: { type: "named" } })),
    ]);
    assert.ok(results.every((r) => r.status < 500), JSON.stringify(results.map((r) => r.body)));
    const named = await t()
      .database.db.selectFrom("seat_assignments")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("account_id", "=", account.id)
      .where("type", "=", "named")
      .executeTakeFirstOrThrow();
    assert.ok(Number(named.n) <= 3, `${named.n} named seats assigned of 3`);
    const imported = results.slice(0, 2).filter((r) => (r.body as ImportResult).created === 2 && (r.body as ImportResult).errors.length === 0).length;
    const granted = results.slice(2).filter((r) => r.status === 200).length;
    assert.equal(Number(named.n), imported * 2 + granted, "every success holds its seats; every refusal wrote nothing");
  });
});
