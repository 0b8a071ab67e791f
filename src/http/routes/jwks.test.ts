// Offline-verifiable leases: every granted seat comes with a token signed with Ed25519 that
// verifies against /.well-known/jwks.json without the server; keys rotate with two published
// at once; private keys are stored encrypted and a wrong secret stops start-up.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { loadConfig } from "../../config.js";
import { LEASE_TOKEN_TYPE } from "../../domain/lease.js";
import { leaseKeyEncryptionKey, LeaseSigner, rotateLeaseKeys } from "../../services/lease-keys.service.js";
import { listLeaseKeys } from "../../store/lease-key.repository.js";
import { pool } from "../../../test/support/pool.js";
import { eachBackend } from "../../../test/support/suite.js";

const DAY_MS = 24 * 60 * 60 * 1000;

eachBackend("lease tokens and JWKS", ({ t }) => {
  const jwks = async () => {
    const r = await t().call("GET", "/.well-known/jwks.json");
    assert.equal(r.status, 200);
    return r.body as { keys: { kid: string; kty: string; crv: string; x: string }[] };
  };

  test("a granted seat comes with a lease token that verifies offline; heartbeats renew it", async () => {
    const p = await pool(t(), 1, 1, { leaseTtlSeconds: 60 });
    const [shared, named] = [await p.agent(), await p.agent("named")];
    const set = createLocalJWKSet(await jwks());
    const s = await p.start(shared);
    assert.equal(s.status, 201);
    const { payload, protectedHeader } = await jwtVerify(s.body.seat.leaseToken!, set, { typ: LEASE_TOKEN_TYPE, issuer: t().config.publicUrl });
    assert.equal(protectedHeader.alg, "EdDSA");
    assert.deepEqual(
      { sub: payload.sub, acct: payload.acct, product: payload.product, seat: payload.seat },
      { sub: shared.id, acct: p.account.id, product: p.product.slug, seat: "concurrent" },
    );
    assert.equal(payload.exp, Math.floor(Date.parse(s.body.seat.leaseExpiresAt!) / 1000), "the token ends with the lease");

    const n = await p.start(named);
    const namedLease = await jwtVerify(n.body.seat.leaseToken!, set);
    assert.equal(namedLease.payload.seat, "named");
    assert.ok(namedLease.payload.exp! - Date.now() / 1000 > 55 && namedLease.payload.exp! - Date.now() / 1000 <= 60, "a named seat's token lasts leaseTtlSeconds");

    const namedBeat = await t().call("POST", "/api/v1/me/heartbeat", { token: named.token });
    assert.deepEqual(namedBeat.body.leases, [], "a named seat has no lease to renew");
    assert.equal(namedBeat.body.namedSeats.length, 1);
    const namedRenewed = await jwtVerify(namedBeat.body.namedSeats[0]!.token, set);
    assert.deepEqual({ seat: namedRenewed.payload.seat, product: namedRenewed.payload.product }, { seat: "named", product: p.product.slug });
    assert.ok(namedRenewed.payload.exp! >= namedLease.payload.exp!, "its token is renewed by heartbeats");

    const hb = await t().call("POST", "/api/v1/me/heartbeat", { token: shared.token });
    assert.deepEqual(hb.body.namedSeats, []);
    assert.equal(hb.body.leases.length, 1);
    const renewed = await jwtVerify(hb.body.leases[0].token, set);
    assert.equal(renewed.payload.exp, Math.floor(Date.parse(hb.body.leases[0].expiresAt) / 1000));

    const connected = await t().call("POST", `/api/v1/me/sessions/${s.body.id}/connect`, { token: shared.token, body: { mode: "attended", platform: "mac" } });
    assert.ok((await jwtVerify(connected.body.seat.leaseToken!, set)).payload.exp);
    const ended = await t().call("POST", `/api/v1/me/sessions/${s.body.id}/end`, { token: shared.token });
    assert.equal(ended.body.seat.leaseToken, undefined, "no lease once the seat is given back");
  });

  test("a tampered, re-signed or expired token is refused offline", async () => {
    const p = await pool(t(), 0, 1, { leaseTtlSeconds: 5 });
    const agent = await p.agent();
    const token = (await p.start(agent)).body.seat.leaseToken!;
    const set = createLocalJWKSet(await jwks());
    const [header, body, signature] = token.split(".");
    const claims = JSON.parse(Buffer.from(body!, "base64url").toString());
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 86400 })).toString("base64url")}.${signature}`;
    await assert.rejects(jwtVerify(forged, set), /signature verification failed/);
    await assert.rejects(jwtVerify(token, set, { currentDate: new Date((claims.exp + 1) * 1000) }), /"exp" claim timestamp check failed/);
  });

  test("keys rotate: the new one signs, the previous one stays published, older ones go", async () => {
    const before = await jwks();
    assert.equal(before.keys.length, 1);
    const key = leaseKeyEncryptionKey(t().config);
    assert.equal(await rotateLeaseKeys(t().database.db, key, DAY_MS), false, "nothing due yet");
    assert.equal(await rotateLeaseKeys(t().database.db, key, DAY_MS, new Date(Date.now() + 2 * DAY_MS)), true);
    const after = await jwks();
    assert.deepEqual(after.keys.map((k) => k.kid).slice(1), [before.keys[0]!.kid], "the previous key is still published");
    const signer = await LeaseSigner.open(t().database.db, t().config, (e) => assert.fail(String(e)));
    const token = await signer.sign({ accountId: "acct_x", userId: "usr_x", product: "p", seat: "concurrent", expiresAt: new Date(Date.now() + 60_000) });
    assert.equal(decodeProtectedHeader(token).kid, after.keys[0]!.kid, "the newest key signs");
    await rotateLeaseKeys(t().database.db, key, DAY_MS, new Date(), true);
    const third = await jwks();
    assert.equal(third.keys.length, 2);
    assert.ok(!third.keys.some((k) => k.kid === before.keys[0]!.kid), "the oldest key is gone");
  });

  test("private keys are stored encrypted, and a different secret refuses to start", async () => {
    const stored = await listLeaseKeys(t().database.db);
    assert.ok(stored.length >= 1);
    for (const k of stored) {
      assert.match(k.privateKeyEncrypted, /^v1\./);
      assert.equal(k.publicJwk.d, undefined, "no private part in the public key");
      assert.ok(!k.privateKeyEncrypted.includes("MC4CAQAwBQYDK2Vw"), "not PKCS#8 in clear");
    }
    const wrong = loadConfig({ SEATKEEPER_LEASE_KEY_SECRET: "another-secret-another-secret-0123456789" });
    await assert.rejects(LeaseSigner.open(t().database.db, wrong, () => {}), /SEATKEEPER_LEASE_KEY_SECRET does not decrypt the lease signing key/);
  });
});
