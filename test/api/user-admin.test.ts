// The admin center's users page at scale and its user detail: sorting by name as people
// read it, the no-seat filter, counts, one seat for many users at once, a user's activity
// and the audit entries about it, and the CSV import's detailed dry run and add mode.
import assert from "node:assert/strict";
import { test } from "node:test";
import { eachBackend } from "../support/suite.js";
import { TEST_PASSWORD } from "../support/app.js";

eachBackend("users page: sort, count, no-seat filter, bulk seats", ({ t }) => {
  test("names sort as people read them, both ways and by email, and the cursor keeps its sort", async () => {
    const account = await t().account();
    for (const name of ["Zoé Zèbre", "élodie Martin", "Émile Durand", "adam Smith", "Bruno Été"]) await t().user(account, { name });
    const names = async (query: string) => {
      const all: string[] = [];
      let cursor: string | null = null;
      do {
        const r: { status: number; body: any } = await t().call("GET", `/api/v1/users?limit=2${query}${cursor ? `&cursor=${cursor}` : ""}`, { token: account.admin.token });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        all.push(...r.body.items.map((u: { name: string }) => u.name));
        cursor = r.body.nextCursor;
      } while (cursor);
      return all;
    };
    assert.deepEqual(await names(""), ["Ada Admin", "adam Smith", "Bruno Été", "élodie Martin", "Émile Durand", "Zoé Zèbre"]);
    assert.deepEqual(await names("&sort=-name"), ["Zoé Zèbre", "Émile Durand", "élodie Martin", "Bruno Été", "adam Smith", "Ada Admin"]);
    const byEmail = await t().call("GET", "/api/v1/users?sort=email&limit=500", { token: account.admin.token });
    const emails = byEmail.body.items.map((u) => u.email!.toLowerCase());
    assert.deepEqual(emails, [...emails].sort());

    const first = await t().call("GET", "/api/v1/users?limit=2", { token: account.admin.token });
    const mixed = await t().call("GET", `/api/v1/users?limit=2&sort=email&cursor=${first.body.nextCursor}`, { token: account.admin.token });
    assert.equal(mixed.status, 400, "a cursor of the name order cannot continue the email order");
  });

  test("counts users per filter; seat=none lists those without any seat", async () => {
    const account = await t().account();
    const product = await t().product("Remote Support v5");
    await t().subscribe(account, product.slug, 1, 2);
    const seated = await t().user(account, { name: "Seated" });
    await t().grant(account, seated.id, product.slug, "concurrent");
    await t().user(account, { name: "Seatless" });
    const count = async (query: string) => (await t().call("GET", `/api/v1/users/count${query}`, { token: account.admin.token })).body.total;
    assert.equal(await count(""), 3);
    assert.equal(await count(`?seat=${product.slug}:concurrent`), 1);
    assert.equal(await count("?seat=none"), 2);
    assert.equal(await count("?seat=none&q=seat"), 1);
    const none = await t().call("GET", "/api/v1/users?seat=none", { token: account.admin.token });
    assert.deepEqual(none.body.items.map((u: { name: string }) => u.name), ["Ada Admin", "Seatless"]);
    assert.equal((await t().call("GET", "/api/v1/users/count?seat=nope", { token: account.admin.token })).status, 400);
  });

  test("grants one seat to every matching user at once; named seats are all or nothing; revokes free held seats", async () => {
    const account = await t().account();
    const product = await t().product("Service Desk");
    await t().subscribe(account, product.slug, 2, 1);
    const agents = [];
    for (const name of ["Agent One", "Agent Two", "Agent Three"]) agents.push(await t().user(account, { name }));
    const token = account.admin.token;

    const tooMany = await t().call("PUT", `/api/v1/users/seats/${product.slug}`, { token, body: { type: "named", filter: { q: "agent" } } });
    assert.equal(tooMany.status, 409);
    assert.equal(tooMany.body.code, "NO_NAMED_SEAT_AVAILABLE");
    assert.match(tooMany.body.detail ?? "", /3 users need a named seat of Service Desk and 2 of 2 are left/);
    assert.equal((await t().call("GET", `/api/v1/users/count?seat=${product.slug}:named`, { token })).body.total, 0, "nothing changed");

    const all = await t().call("PUT", `/api/v1/users/seats/${product.slug}`, { token, body: { type: "concurrent", filter: { q: "agent" } } });
    assert.equal(all.status, 200, JSON.stringify(all.body));
    assert.deepEqual(all.body, { matched: 3, changed: 3, unchanged: 0, skipped: [] });
    const again = await t().call("PUT", `/api/v1/users/seats/${product.slug}`, { token, body: { type: "concurrent", users: agents.map((a) => a.id) } });
    assert.deepEqual(again.body, { matched: 3, changed: 0, unchanged: 3, skipped: [] });

    const held = await t().call("POST", "/api/v1/me/sessions", { token: agents[0].token, body: { product: product.slug } });
    assert.equal(held.status, 201);
    const revoked = await t().call("POST", `/api/v1/users/seats/${product.slug}/revoke`, { token, body: { filter: { seat: `${product.slug}:concurrent` } } });
    assert.deepEqual(revoked.body, { matched: 3, changed: 3, unchanged: 0, skipped: [] });
    const sessions = await t().call("GET", "/api/v1/shared-sessions", { token });
    assert.deepEqual(sessions.body.items, [], "the held seat was freed");
    const audit = await t().call("GET", `/api/v1/audit?target=${agents[0].id}`, { token });
    const actions = audit.body.items.map((e: { action: string }) => e.action);
    assert.deepEqual(actions, ["seat.revoked", "seat.granted"], "the audit entries about that user, newest first");
    assert.deepEqual(audit.body.items[1].details, { product: product.slug, type: "concurrent", source: "manual", bulk: true });

    const neither = await t().call("PUT", `/api/v1/users/seats/${product.slug}`, { token, body: { type: "concurrent" } });
    assert.equal(neither.status, 400);
    const agentToken = agents[1].token;
    assert.equal((await t().call("PUT", `/api/v1/users/seats/${product.slug}`, { token: agentToken, body: { type: "concurrent", users: [agents[1].id] } })).status, 403);
  });

  test("1,500 seats revoked at once, by the bulk endpoint and by a CSV import, are all gone (PGlite once deleted none of them)", async () => {
    const account = await t().account();
    const product = await t().product("Remote Support");
    await t().subscribe(account, product.slug, 0, 5);
    const rows = ["email,name,seats"];
    for (let i = 0; i < 1500; i++) rows.push(`many${i}@bulk.test,Many ${i},${product.slug}:concurrent`);
    const importCsv = (csv: string) => t().call("POST", "/api/v1/users/import?dryRun=false", { token: account.admin.token, body: csv, headers: { "content-type": "text/csv" } });
    assert.equal((await importCsv(rows.join("\n"))).status, 200);
    const count = async () => (await t().call("GET", `/api/v1/users/count?seat=${product.slug}:concurrent`, { token: account.admin.token })).body.total;
    assert.equal(await count(), 1500);
    const revoked = await t().call("POST", `/api/v1/users/seats/${product.slug}/revoke`, { token: account.admin.token, body: { filter: { q: "many" } } });
    assert.deepEqual(revoked.body, { matched: 1500, changed: 1500, unchanged: 0, skipped: [] });
    assert.equal(await count(), 0);
    assert.equal((await t().call("PUT", `/api/v1/users/seats/${product.slug}`, { token: account.admin.token, body: { type: "concurrent", filter: { q: "many" } } })).status, 200);
    assert.equal(await count(), 1500);
    const emptied = await importCsv(rows.map((r, i) => (i === 0 ? r : r.replace(/,[^,]*$/, ","))).join("\n"));
    assert.equal(emptied.body.updated, 1500);
    assert.equal(await count(), 0, "the import's revocations happened");
  });

  test("a user's activity: last sign-in, last seat use, what it holds now", async () => {
    const account = await t().account();
    const product = await t().product("Remote Support");
    await t().subscribe(account, product.slug, 0, 2);
    const agent = await t().user(account, { name: "Active Agent" });
    const token = account.admin.token;
    const before = await t().call("GET", `/api/v1/users/${agent.id}/activity`, { token });
    assert.equal(before.status, 200);
    assert.equal(before.body.lastSeatUse, null);
    assert.deepEqual(before.body.holding, []);
    await t().grant(account, agent.id, product.slug, "concurrent");
    const login = await t().call("POST", "/api/v1/auth/login", { body: { email: agent.email, password: TEST_PASSWORD, app: "desktop" } });
    assert.equal(login.status, 200);
    const agentToken = login.body.token;
    await t().call("POST", "/api/v1/me/sessions", { token: agentToken, body: { product: product.slug } });
    await t().call("POST", "/api/v1/me/sessions", { token: agentToken, body: { product: product.slug } });
    const now = await t().call("GET", `/api/v1/users/${agent.id}/activity`, { token });
    assert.equal(now.body.lastSeatUse?.product, product.slug);
    assert.equal(now.body.holding.length, 1);
    assert.equal(now.body.holding[0].sessions, 2);
    assert.equal(now.body.holding[0].seatType, "concurrent");
    const shared = await t().call("GET", "/api/v1/shared-sessions", { token });
    assert.equal(now.body.holding[0].sharedSessionId, shared.body.items[0].id);
    assert.ok(Math.abs(Date.parse(now.body.lastSignInAt!) - Date.now()) < 60_000, "the sign-in just made");
    const other = await t().account();
    assert.equal((await t().call("GET", `/api/v1/users/${agent.id}/activity`, { token: other.admin.token })).status, 404);
  });
});

eachBackend("CSV import: detailed dry run, add mode, ;-separated files", ({ t }) => {
  test("the dry run names every change per user, the revocations and the sessions they end; add mode revokes nothing", async () => {
    const account = await t().account();
    const v5 = await t().product("Remote Support v5");
    const rs = await t().product("Remote Support");
    await t().subscribe(account, v5.slug, 0, 5);
    await t().subscribe(account, rs.slug, 0, 5);
    const holder = await t().user(account, { name: "Hélène Holder", email: "helene@import.test" });
    await t().grant(account, holder.id, v5.slug, "concurrent");
    const login = await t().call("POST", "/api/v1/auth/login", { body: { email: holder.email, password: TEST_PASSWORD, app: "desktop" } });
    assert.equal((await t().call("POST", "/api/v1/me/sessions", { token: login.body.token, body: { product: v5.slug } })).status, 201);
    const token = account.admin.token;
    const csv = `email,name,role,seats\nhelene@import.test,Hélène Holder,manager,${rs.slug}:concurrent\nnew@import.test,New One,,${rs.slug}:concurrent\n`;
    const post = (query: string, body = csv) => t().call("POST", `/api/v1/users/import?${query}`, { token, body, headers: { "content-type": "text/csv" } });

    const plain = await post("dryRun=true");
    assert.deepEqual(plain.body, { dryRun: true, created: 1, updated: 1, unchanged: 0, errors: [] }, "the existing answer is unchanged without details");

    const dry = await post("dryRun=true&details=true");
    assert.equal(dry.status, 200, JSON.stringify(dry.body));
    assert.equal(dry.body.seatsRevoked, 1);
    assert.equal(dry.body.sessionsEnded, 1);
    assert.deepEqual(dry.body.changes, [
      {
        row: 2, email: "helene@import.test", name: "Hélène Holder", kind: "update", changed: ["role"], role: { from: "agent", to: "manager" },
        granted: [{ product: rs.slug, type: "concurrent", previous: null, openSessions: 0 }],
        revoked: [{ product: v5.slug, type: "concurrent", openSessions: 1 }],
      },
      {
        row: 3, email: "new@import.test", name: "New One", kind: "create", changed: [], role: { from: null, to: "agent" },
        granted: [{ product: rs.slug, type: "concurrent", previous: null, openSessions: 0 }], revoked: [],
      },
    ]);

    const added = await post("dryRun=false&seats=add&details=true");
    assert.equal(added.body.seatsRevoked, 0);
    const user = await t().call("GET", `/api/v1/users/${holder.id}`, { token });
    assert.deepEqual(user.body.seats.map((s: { product: string }) => s.product).sort(), [v5.slug, rs.slug].sort(), "add mode kept the unlisted seat");
    const sessions = await t().call("GET", "/api/v1/shared-sessions", { token });
    assert.equal(sessions.body.items.length, 1, "and its session goes on");
    assert.equal((await post("dryRun=true&seats=sometimes")).status, 400);
  });

  test("a ;-separated file with a BOM and CRLF, as French Excel saves it, imports", async () => {
    const account = await t().account();
    const desk = await t().product("Service Desk");
    await t().subscribe(account, desk.slug, 2, 0);
    const csv = `\uFEFFemail;name;role;seats\r\njeanne@fr.test;"Dupont; Jeanne";agent;${desk.slug}:named\r\n`;
    const r = await t().call("POST", "/api/v1/users/import?dryRun=false", { token: account.admin.token, body: csv, headers: { "content-type": "text/csv" } });
    assert.deepEqual(r.body, { dryRun: false, created: 1, updated: 0, unchanged: 0, errors: [] });
    const users = await t().call("GET", `/api/v1/users?seat=${desk.slug}:named`, { token: account.admin.token });
    assert.deepEqual(users.body.items.map((u: { name: string }) => u.name), ["Dupont; Jeanne"]);
  });
});
