// @seatkeeper/client against a real server (HTTP on a loopback port), on each back end: the
// agent's whole story, waiting with a live position, network cuts (a TCP proxy that drops
// connections) while waiting and while holding a seat, an admin's end, and leases verified
// offline.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { SeatkeeperClient, isSeatkeeperError, LeaseVerificationError, type ClientEvents } from "@seatkeeper/client";
import { TEST_PASSWORD, type TestUser } from "../../../test/support/app.js";
import { pool, sleep, until } from "../../../test/support/pool.js";
import { eachBackend } from "../../../test/support/suite.js";
import { leaseKeyEncryptionKey, LeaseSigner, rotateLeaseKeys } from "../../../src/services/lease-keys.service.js";
import { startProxy, type Proxy } from "./proxy.js";

eachBackend("@seatkeeper/client against a real server", ({ t }) => {
  let base = "";
  const clients: SeatkeeperClient[] = [];
  const proxies: Proxy[] = [];
  before(async () => {
    base = await t().listen();
  });
  after(async () => {
    for (const c of clients) await c.stop();
    for (const p of proxies) await p.close();
  });

  const signedIn = async (user: TestUser, options: Partial<ConstructorParameters<typeof SeatkeeperClient>[0]> = {}) => {
    const client = new SeatkeeperClient({ baseUrl: base, app: "desktop", ...options });
    clients.push(client);
    await client.signIn({ email: user.email, password: TEST_PASSWORD });
    return client;
  };
  const proxy = async () => {
    const p = await startProxy(base);
    proxies.push(p);
    return p;
  };
  /** Every event of one type the client reports, as it comes. */
  const record = <K extends keyof ClientEvents>(client: SeatkeeperClient, type: K) => {
    const seen: { at: number; event: ClientEvents[K] }[] = [];
    client.on(type, (event) => seen.push({ at: Date.now(), event }));
    return seen;
  };
  const sharedSessionsOf = async (admin: string, userId: string) =>
    ((await t().call("GET", "/api/v1/shared-sessions", { token: admin })).body.items as { user: { id: string }; sessions: unknown[] }[]).filter((s) => s.user.id === userId);

  test("the agent's story: sign in with the S5 notice in French, seats, start, offline lease, connect, end, release request, sign out", async () => {
    const p = await pool(t(), 0, 1);
    const [holder, agent] = [await p.agent(), await p.agent()];
    await p.start(holder);
    const client = await signedIn(agent, { language: "fr" });
    assert.deepEqual(client.seatNotices, [{
      product: p.product.slug, code: "ALL_SHARED_SEATS_IN_USE",
      message: "Tous les postes partagés sont utilisés. Pour démarrer une session, veuillez attendre qu'un poste soit disponible.",
    }]);
    assert.equal((await client.mySeats())[0]!.status, "all_in_use");
    await assert.rejects(client.startSession({ product: p.product.slug }), (e) => isSeatkeeperError(e, "ALL_SHARED_SEATS_IN_USE"));
    const request = await client.releaseRequest(p.product.slug, "Bob est parti déjeuner");
    assert.equal(request.product, p.product.slug);
    assert.equal((await t().call("GET", "/api/v1/release-requests", { token: p.account.admin.token })).body.items.length, 1);

    const list = await t().call("GET", "/api/v1/shared-sessions", { token: p.account.admin.token });
    await t().call("POST", "/api/v1/shared-sessions/end", { token: p.account.admin.token, body: { ids: [list.body.items[0].id] } });
    const session = await client.startSession({ product: p.product.slug });
    assert.match(session.supportKey, /^\d{3} ?\d{3} ?\d{3}$/);
    const lease = await client.lease(p.product.slug);
    assert.deepEqual({ sub: lease?.sub, product: lease?.product, seat: lease?.seat }, { sub: agent.id, product: p.product.slug, seat: "concurrent" });
    assert.equal((await client.connect(session, { mode: "attended", platform: "windows" })).state, "active");
    await client.end(session);
    assert.equal(await client.lease(p.product.slug), null, "no lease once the seat is given back");
    assert.equal((await p.line()).occupied, 0);
    await client.signOut();
    await assert.rejects(client.mySeats(), (e) => isSeatkeeperError(e, "UNAUTHENTICATED"));
  });

  test("a wait shows the live queue position and ends with the seat when it frees", async () => {
    const p = await pool(t(), 0, 1);
    const [holder, first, second] = [await p.agent(), await p.agent(), await p.agent()];
    const held = await p.start(holder);
    const a = await signedIn(first);
    const b = await signedIn(second);
    const positions = record(b, "queue.position");
    const waitA = a.startSession({ product: p.product.slug, wait: 30 });
    await until("first queued", async () => (await p.line()).waiting === 1);
    const waitB = b.startSession({ product: p.product.slug, wait: 30 });
    await until("second at 2", async () => positions.some((x) => x.event.position === 2));
    await t().call("POST", `/api/v1/me/sessions/${held.body.id}/end`, { token: holder.token });
    const sessionA = await waitA;
    await until("second at 1", async () => positions.some((x) => x.event.position === 1), 5000);
    await a.end(sessionA);
    const sessionB = await waitB;
    assert.equal(sessionB.product, p.product.slug);
    assert.deepEqual(positions.map((x) => x.event.position), [2, 1]);
  });

  test("a cut while waiting: the wait resumes, and an answer lost on the way never takes a second seat", async () => {
    const p = await pool(t(), 0, 1, { leaseTtlSeconds: 10 });
    const [holder, agent] = [await p.agent(), await p.agent()];
    const held = await p.start(holder);
    const net = await proxy();
    const client = new SeatkeeperClient({ baseUrl: net.url, app: "desktop", heartbeatFraction: 0.2 });
    clients.push(client);
    await client.signIn({ email: agent.email, password: TEST_PASSWORD });
    const waiting = client.startSession({ product: p.product.slug, wait: 40 });
    await until("queued", async () => (await p.line()).waiting === 1);
    // The network goes for three seconds: the wait is dropped, the queue place is kept.
    net.cut();
    await sleep(3000);
    assert.equal((await p.line()).waiting, 1, "the place survives the cut");
    net.restore();
    await sleep(1500);
    // Back; the seat frees while the answer is lost on the way back, then the line drops.
    net.swallowAnswers();
    await sleep(300);
    await t().call("POST", `/api/v1/me/sessions/${held.body.id}/end`, { token: holder.token });
    await until("the seat is the agent's", async () => (await p.line()).occupied === 1);
    await sleep(300);
    net.cut();
    net.restore();
    const session = await waiting;
    const shared = await sharedSessionsOf(p.account.admin.token, agent.id);
    assert.equal(shared.length, 1, "one seat");
    assert.equal(shared[0]!.sessions.length, 1, "one support session: the retry got the first answer");
    assert.equal((shared[0]!.sessions[0] as { id: string }).id, session.id);
  });

  test("a cut shorter than the lease: the app keeps its lease offline, and the server kept the seat", async () => {
    const p = await pool(t(), 0, 1, { leaseTtlSeconds: 6 });
    const agent = await p.agent();
    const net = await proxy();
    const client = new SeatkeeperClient({ baseUrl: net.url, app: "desktop" });
    clients.push(client);
    await client.signIn({ email: agent.email, password: TEST_PASSWORD });
    const lost = record(client, "lease.lost");
    await client.startSession({ product: p.product.slug });
    const started = Date.now();
    await until("a heartbeat after the start", async () => net.requests.some((r) => r.line === "POST /api/v1/me/heartbeat" && r.at > started));
    await sleep(200);
    net.cut();
    await sleep(3500);
    const during = await client.lease(p.product.slug);
    assert.ok(during && during.exp * 1000 > Date.now(), "valid offline during the cut");
    net.restore();
    await sleep(3000);
    assert.deepEqual(lost, []);
    assert.equal((await p.line()).occupied, 1, "the seat is still held");
    const after = await client.lease(p.product.slug);
    assert.ok(after && after.exp > during!.exp, "renewed after the cut");
  });

  test("heartbeats come at a third of leaseTtlSeconds, with jitter; a cut longer than the lease is reported and the lease refused", async () => {
    const p = await pool(t(), 0, 1, { leaseTtlSeconds: 6 });
    const agent = await p.agent();
    const net = await proxy();
    const client = new SeatkeeperClient({ baseUrl: net.url, app: "desktop" });
    clients.push(client);
    await client.signIn({ email: agent.email, password: TEST_PASSWORD });
    const lost = record(client, "lease.lost");
    await client.startSession({ product: p.product.slug });
    await sleep(9000);
    const beats = net.requests.filter((r) => r.line === "POST /api/v1/me/heartbeat").map((r) => r.at);
    const gaps = beats.slice(1).map((at, i) => at - beats[i]!);
    assert.ok(gaps.length >= 3, `${beats.length} heartbeats in 9 s`);
    // 2 s ± 10 %, counted from each send: the answer's latency does not add up (timers may fire a little late).
    for (const gap of gaps) assert.ok(gap >= 1750 && gap <= 2400, `a gap of ${gap} ms, not 2 s ± 10 %`);
    assert.ok(new Set(gaps.map((g) => Math.round(g / 10))).size > 1, "jittered, not a fixed period");

    net.cut();
    await until("the lost lease reported", async () => lost.length > 0, 12_000);
    assert.deepEqual(lost.map((l) => l.event), [{ product: p.product.slug, reason: "expired" }]);
    assert.equal(await client.lease(p.product.slug), null, "an expired lease is not honoured offline");
    net.restore();
    await until("the server to free the seat", async () => (await p.line()).occupied === 0);
  });

  test("an admin's end reaches the app within a second, with the admin's name and reason", async () => {
    const p = await pool(t(), 0, 1);
    const agent = await p.agent();
    const client = await signedIn(agent);
    const ended = record(client, "session.ended");
    const lost = record(client, "lease.lost");
    await client.startSession({ product: p.product.slug });
    await sleep(500);
    const list = await t().call("GET", "/api/v1/shared-sessions", { token: p.account.admin.token });
    const sent = Date.now();
    await t().call("POST", "/api/v1/shared-sessions/end", { token: p.account.admin.token, body: { ids: [list.body.items[0].id], reason: "customer finished" } });
    await until("the end reported", async () => ended.length > 0, 3000);
    assert.ok(ended[0]!.at - sent < 1000, `reported after ${ended[0]!.at - sent} ms`);
    assert.deepEqual({ name: ended[0]!.event.by?.name, reason: ended[0]!.event.reason }, { name: "Ada Admin", reason: "customer finished" });
    assert.deepEqual(lost.map((l) => l.event), [{ product: p.product.slug, reason: "ended" }]);
    await client.heartbeat();
    assert.equal(ended.length, 1, "heard once, though the heartbeat reports it too");
  });

  test("events missed while the stream was cut arrive when it reconnects (Last-Event-ID)", async () => {
    const p = await pool(t(), 0, 1, { leaseTtlSeconds: 30 });
    const agent = await p.agent();
    const net = await proxy();
    const client = new SeatkeeperClient({ baseUrl: net.url, app: "desktop", reconnect: { minDelayMs: 200, maxDelayMs: 1000 } });
    clients.push(client);
    const connection = record(client, "connection");
    const revoked = record(client, "seat.revoked");
    const lost = record(client, "lease.lost");
    await client.signIn({ email: agent.email, password: TEST_PASSWORD });
    await client.startSession({ product: p.product.slug });
    await until("the stream open", async () => connection.some((c) => c.event.online));
    net.cut();
    await until("the stream seen down", async () => connection.some((c) => !c.event.online));
    // Only the event stream tells of a revoked seat (heartbeats do not).
    await t().call("DELETE", `/api/v1/users/${agent.id}/seats/${p.product.slug}`, { token: p.account.admin.token });
    await sleep(500);
    assert.equal(revoked.length, 0, "nothing heard while cut");
    net.restore();
    await until("the missed event", async () => revoked.length > 0, 5000);
    assert.deepEqual(revoked.map((r) => r.event), [{ product: p.product.slug }]);
    assert.deepEqual(lost.map((l) => l.event.product), [p.product.slug], "the lease is reported lost, once");
    assert.equal(await client.lease(p.product.slug), null);
  });

  test("leases verify with no network; a tampered or expired one is refused", async () => {
    const p = await pool(t(), 0, 1, { leaseTtlSeconds: 30 });
    const agent = await p.agent();
    const net = await proxy();
    const client = new SeatkeeperClient({ baseUrl: net.url, app: "mobile" });
    clients.push(client);
    await client.signIn({ email: agent.email, password: TEST_PASSWORD });
    const { seat } = await client.startSession({ product: p.product.slug });
    net.cut();
    const token = seat.leaseToken!;
    assert.equal((await client.verifyLease(token)).sub, agent.id);
    const [h, body, s] = token.split(".");
    const claims = JSON.parse(Buffer.from(body!, "base64url").toString());
    const longer = `${h}.${Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 3600 })).toString("base64url")}.${s}`;
    await assert.rejects(client.verifyLease(longer), (e) => e instanceof LeaseVerificationError && e.reason === "bad_signature");
    const otherUser = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: "usr_someone_else" })).toString("base64url")}.${s}`;
    await assert.rejects(client.verifyLease(otherUser), (e) => e instanceof LeaseVerificationError && e.reason === "bad_signature");
    await assert.rejects(client.verifyLease(token, new Date((claims.exp + 1) * 1000)), (e) => e instanceof LeaseVerificationError && e.reason === "expired");
    await assert.rejects(client.verifyLease(`${h}.${body}.${"A".repeat(86)}`), (e) => e instanceof LeaseVerificationError);
    net.restore();
  });

  test("after a key rotation the client fetches the new key, and leases signed with the previous one still verify", async () => {
    const p = await pool(t(), 0, 1, { leaseTtlSeconds: 60 });
    const agent = await p.agent();
    const client = await signedIn(agent);
    const before = (await client.startSession({ product: p.product.slug })).seat.leaseToken!;
    const known = client.exportJwks().keys.map((k) => k.kid);
    await rotateLeaseKeys(t().database.db, leaseKeyEncryptionKey(t().config), 86_400_000, new Date(), true);
    const signer = await LeaseSigner.open(t().database.db, t().config, (e) => assert.fail(String(e)));
    const after = await signer.sign({ accountId: p.account.id, userId: agent.id, product: p.product.slug, seat: "concurrent", expiresAt: new Date(Date.now() + 30_000) });
    assert.equal((await client.verifyLease(after)).sub, agent.id, "the new key is fetched on sight");
    assert.equal(client.exportJwks().keys.length, 2);
    assert.ok(!known.includes(client.exportJwks().keys[0]!.kid));
    assert.equal((await client.verifyLease(before)).sub, agent.id, "two keys are valid at once");
  });
});
