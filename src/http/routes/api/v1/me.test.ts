import assert from "node:assert/strict";
import { test } from "node:test";
import { eachBackend } from "../../../../../test/support/suite.js";
import { TEST_PASSWORD, type TestUser } from "../../../../../test/support/app.js";
import { pool, until } from "../../../../../test/support/pool.js";

const S5 = "All shared seats are in use. To start a session, please wait for a seat to become available.";
const S5_FR = "Tous les postes partagés sont utilisés. Pour démarrer une session, veuillez attendre qu'un poste soit disponible.";

eachBackend("agent sessions", ({ t }) => {
  test("a named seat never touches the pool; a concurrent one takes one seat per agent (S1, S4)", async () => {
    const p = await pool(t(), 1, 2);
    const named = await p.agent("named");
    const shared = await p.agent();
    const n = await p.start(named);
    assert.equal(n.status, 201);
    assert.equal(n.body.state, "pending");
    assert.match(n.body.supportKey, /^\d{9}$/);
    assert.deepEqual({ ...n.body.seat, leaseToken: typeof n.body.seat.leaseToken }, { type: "named", leaseExpiresAt: null, leaseToken: "string" });
    assert.equal((await p.line()).occupied, 0);

    const first = await p.start(shared);
    assert.equal(first.status, 201);
    assert.equal(first.body.seat.type, "concurrent");
    assert.ok(Date.parse(first.body.seat.leaseExpiresAt!) > Date.now());
    const second = await p.start(shared);
    assert.equal(second.status, 201, "a second session of the same product shares the agent's seat");
    assert.equal((await p.line()).occupied, 1);
    const list = await t().call("GET", "/api/v1/shared-sessions", { token: p.account.admin.token });
    assert.equal(list.body.items.length, 1);
    assert.deepEqual(list.body.items[0].sessions.map((s) => s.id).sort(), [first.body.id, second.body.id].sort());

    // The seat is freed with the agent's last open session of the product.
    assert.equal((await t().call("POST", `/api/v1/me/sessions/${first.body.id}/end`, { token: shared.token })).body.state, "ended");
    assert.equal((await p.line()).occupied, 1);
    await t().call("POST", `/api/v1/me/sessions/${second.body.id}/end`, { token: shared.token });
    assert.equal((await p.line()).occupied, 0);
  });

  test("connecting keeps the seat and shows in Manage shared sessions; the agent sees its own sessions only", async () => {
    const p = await pool(t(), 0, 1);
    const agent = await p.agent("concurrent", "Connie Connected");
    const other = await p.agent();
    const s = await p.start(agent);
    const stranger = await t().call("POST", `/api/v1/me/sessions/${s.body.id}/connect`, { token: other.token, body: { mode: "attended", platform: "mac" } });
    assert.equal(stranger.status, 404);
    const c = await t().call("POST", `/api/v1/me/sessions/${s.body.id}/connect`, { token: agent.token, body: { mode: "unattended", platform: "android" } });
    assert.equal(c.status, 200);
    assert.equal(c.body.state, "active");
    assert.equal(c.body.platform, "android");
    const list = await t().call("GET", "/api/v1/shared-sessions", { token: p.account.admin.token });
    const item = list.body.items[0];
    assert.equal(item.state, "active");
    assert.deepEqual(item.user, { id: agent.id, name: "Connie Connected", email: agent.email });
    assert.equal(item.sessions[0].mode, "unattended");
    const bad = await t().call("POST", `/api/v1/me/sessions/${s.body.id}/connect`, { token: agent.token, body: { mode: "attended", platform: "amiga" } });
    assert.equal(bad.status, 400);
  });

  test("with every seat taken: the S5 message in English and French, at sign-in and on start (S5)", async () => {
    const p = await pool(t(), 0, 1);
    const holder = await p.agent();
    const late = await p.agent();
    assert.equal((await p.start(holder)).status, 201);
    const refused = await p.start(late);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.code, "ALL_SHARED_SEATS_IN_USE");
    assert.equal(refused.body.detail, S5);
    assert.equal(refused.body.queuePosition, undefined, "a request without wait never joins the queue");
    const fr = await t().call("POST", "/api/v1/me/sessions", { token: late.token, body: { product: p.product.slug }, headers: { "accept-language": "fr" } });
    assert.equal(fr.body.detail, S5_FR);

    const login = await t().call("POST", "/api/v1/auth/login", { body: { email: late.email, password: TEST_PASSWORD, app: "desktop" } });
    assert.deepEqual(login.body.seatNotices, [{ product: p.product.slug, code: "ALL_SHARED_SEATS_IN_USE", message: S5 }]);
    const holderLogin = await t().call("POST", "/api/v1/auth/login", { body: { email: holder.email, password: TEST_PASSWORD, app: "desktop" } });
    assert.deepEqual(holderLogin.body.seatNotices, [], "the holder has its seat");
    const seats = await t().call("GET", "/api/v1/me/seats", { token: late.token });
    assert.deepEqual(seats.body.items, [{ product: p.product.slug, type: "concurrent", status: "all_in_use", message: S5 }]);
  });

  test("no seat of the product is 403; an unknown product 404", async () => {
    const p = await pool(t(), 0, 1);
    const nobody = await t().user(p.account);
    const r = await p.start(nobody);
    assert.equal(r.status, 403);
    assert.equal(r.body.code, "NO_SEAT_ASSIGNED");
    const unknown = await t().call("POST", "/api/v1/me/sessions", { token: nobody.token, body: { product: "no-such-product" } });
    assert.equal(unknown.status, 404);
  });

  test("15 agents, 10 seats: 10 work, the 11th is told S5, waits, and gets the seat within a second of an admin ending one", async () => {
    const p = await pool(t(), 0, 10);
    const agents: TestUser[] = [];
    for (let i = 0; i < 15; i++) agents.push(await p.agent());
    const sessions = [];
    for (const a of agents.slice(0, 10)) {
      const r = await p.start(a);
      assert.equal(r.status, 201);
      sessions.push(r.body);
    }
    const eleventh = agents[10];
    const told = await p.start(eleventh);
    assert.equal(told.status, 409);
    assert.equal(told.body.detail, S5);

    const waiting = p.start(eleventh, { wait: 10 });
    await until("the 11th to be queued", async () => (await p.line()).waiting === 1);
    const list = await t().call("GET", "/api/v1/shared-sessions", { token: p.account.admin.token });
    const victim = list.body.items.find((s) => s.user.id === agents[3].id)!;
    const endedAt = Date.now();
    const end = await t().call("POST", "/api/v1/shared-sessions/end", { token: p.account.admin.token, body: { ids: [victim.id, "ss_unknown"] } });
    assert.deepEqual(end.body, { ended: [victim.id], notFound: ["ss_unknown"] });
    const got = await waiting;
    assert.equal(got.status, 201);
    assert.ok(Date.now() - endedAt < 1000, `admitted ${Date.now() - endedAt} ms after the end`);
    const line = await p.line();
    assert.equal(line.occupied, 10);
    assert.equal(line.waiting, 0);

    // The ended agent: 409 on its session, told once by heartbeat, and cooling down.
    const connect = await t().call("POST", `/api/v1/me/sessions/${sessions[3].id}/connect`, { token: agents[3].token, body: { mode: "attended", platform: "windows" } });
    assert.equal(connect.status, 409);
    assert.equal(connect.body.code, "SESSION_ENDED_BY_ADMIN");
    const hb = await t().call("POST", "/api/v1/me/heartbeat", { token: agents[3].token });
    assert.equal(hb.body.ended.length, 1);
    assert.deepEqual(hb.body.ended[0].sessionIds, [sessions[3].id]);
    assert.equal(hb.body.ended[0].by.id, p.account.admin.id);
    assert.equal((await t().call("POST", "/api/v1/me/heartbeat", { token: agents[3].token })).body.ended.length, 0, "reported once");
    const again = await p.start(agents[3], { wait: 5 });
    assert.equal(again.status, 409);
    assert.equal(again.body.code, "SEAT_COOLDOWN");
    assert.ok(Number(again.headers["retry-after"]) > 100);
    const audit = await t().call("GET", "/api/v1/audit?action=shared_session.ended", { token: p.account.admin.token });
    assert.equal(audit.body.items[0].target.id, victim.id);
  });

  test("the queue is first come, first served; nobody without wait takes a seat while others wait", async () => {
    const p = await pool(t(), 0, 1);
    const holder = await p.agent();
    const [a, b, c] = [await p.agent(), await p.agent(), await p.agent()];
    const held = await p.start(holder);
    const waitA = p.start(a, { wait: 20 });
    await until("A queued", async () => (await p.line()).waiting === 1);
    const waitB = p.start(b, { wait: 20 });
    await until("B queued", async () => (await p.line()).waiting === 2);
    const seatsB = await t().call("GET", "/api/v1/me/seats", { token: b.token });
    assert.equal(seatsB.body.items[0].queuePosition, 2);

    await t().call("POST", `/api/v1/me/sessions/${held.body.id}/end`, { token: holder.token });
    const gotA = await waitA;
    assert.equal(gotA.status, 201, "A queued first, is served first");
    assert.equal((await p.start(c)).status, 409);
    await t().call("POST", `/api/v1/me/sessions/${gotA.body.id}/end`, { token: a.token });
    const cJumps = await p.start(c);
    const gotB = await waitB;
    assert.equal(gotB.status, 201);
    assert.equal(cJumps.status, 409, "C did not take B's seat");
  });

  test("adding licenses admits waiting agents at once", async () => {
    const p = await pool(t(), 0, 1);
    await p.start(await p.agent());
    const waiter = await p.agent();
    const waiting = p.start(waiter, { wait: 20 });
    await until("queued", async () => (await p.line()).waiting === 1);
    const more = await t().call("PUT", `/api/v1/subscription/${p.product.slug}`, { token: p.account.admin.token, body: { named: 0, concurrent: 2 } });
    assert.equal(more.status, 200);
    assert.equal((await waiting).status, 201);
    assert.equal((await p.line()).occupied, 2);
  });

  test("lowering licenses below occupancy cuts nobody off and grants nothing new until below", async () => {
    const p = await pool(t(), 0, 2);
    const [a, b, c] = [await p.agent(), await p.agent(), await p.agent()];
    const sa = await p.start(a);
    await p.start(b);
    await t().call("PUT", `/api/v1/subscription/${p.product.slug}`, { token: p.account.admin.token, body: { named: 0, concurrent: 1 } });
    assert.equal((await p.line()).occupied, 2);
    await t().call("POST", `/api/v1/me/sessions/${sa.body.id}/end`, { token: a.token });
    assert.equal((await p.start(c)).status, 409, "occupancy 1 of 1");
  });

  test("a reservation waits for the head of the queue, and lapses to the next waiter", async () => {
    const p = await pool(t(), 0, 1, { leaseTtlSeconds: 5 });
    const holder = await p.agent();
    const [a, b] = [await p.agent(), await p.agent()];
    const held = await p.start(holder);
    await t().call("POST", "/api/v1/me/heartbeat", { token: a.token });
    assert.equal((await p.start(a, { wait: 1 })).body.queuePosition, 1, "A, alive, keeps its place after its wait ends");
    const waitB = p.start(b, { wait: 30 });
    await until("B queued", async () => (await p.line()).waiting === 2);
    await t().call("POST", "/api/v1/me/heartbeat", { token: a.token });
    await t().call("POST", `/api/v1/me/sessions/${held.body.id}/end`, { token: holder.token });
    const seatsA = await t().call("GET", "/api/v1/me/seats", { token: a.token });
    assert.equal(seatsA.body.items[0].status, "reserved");
    // A never comes back: after leaseTtlSeconds its reservation lapses and B is served.
    const started = Date.now();
    const gotB = await waitB;
    assert.equal(gotB.status, 201);
    assert.ok(Date.now() - started >= 4000, "B waited for A's reservation to lapse");
    const seatsA2 = await t().call("GET", "/api/v1/me/seats", { token: a.token });
    assert.equal(seatsA2.body.items[0].status, "all_in_use");
  });

  test("the head of the queue takes its reserved seat with its next request", async () => {
    const p = await pool(t(), 0, 1, { leaseTtlSeconds: 30 });
    const holder = await p.agent();
    const a = await p.agent();
    const held = await p.start(holder);
    await t().call("POST", "/api/v1/me/heartbeat", { token: a.token });
    await p.start(a, { wait: 1 });
    await t().call("POST", `/api/v1/me/sessions/${held.body.id}/end`, { token: holder.token });
    const late = await p.agent();
    assert.equal((await p.start(late)).status, 409, "the free seat is A's");
    assert.equal((await p.start(a)).status, 201);
  });
}, { SEATKEEPER_SWEEP_INTERVAL_MS: "100" });
