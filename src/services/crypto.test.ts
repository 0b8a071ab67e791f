import assert from "node:assert/strict";
import { test } from "node:test";
import { DUMMY_PASSWORD_HASH, hashPassword, needsRehash, verifyPassword } from "./crypto.js";

// TEST_PASSWORD's hashes, precomputed: with the cost before it was raised, and now.
const PASSWORD = "correct horse battery";
const OLD = "scrypt$16384$8$1$SBBaT5Y5eFKy3-Vfq5t_Ng$euJ7vfpbe0eQ73l0IwkQe7c9j_k0DqP8xngOWX1F67M";

test("passwords hash at one of OWASP's scrypt minimums, and verify", async () => {
  const hash = await hashPassword(PASSWORD);
  const [scheme, N, r, p] = hash.split("$");
  assert.deepEqual([scheme, Number(N), Number(r), Number(p)], ["scrypt", 2 ** 14, 8, 5]);
  assert.equal(await verifyPassword(PASSWORD, hash), true);
  assert.equal(await verifyPassword("correct horse batterz", hash), false);
  assert.equal(needsRehash(hash), false);
});

test("a hash keeps its own parameters: an old one verifies, and asks to be rehashed", async () => {
  assert.equal(await verifyPassword(PASSWORD, OLD), true);
  assert.equal(await verifyPassword("wrong", OLD), false);
  assert.equal(needsRehash(OLD), true);
  // Stronger than today's is never weakened (a process of an older version, say).
  assert.equal(needsRehash("scrypt$131072$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), false);
});

test("the dummy hash for unknown emails costs what a real one does, and matches nothing", async () => {
  assert.deepEqual(DUMMY_PASSWORD_HASH.split("$").slice(0, 4), (await hashPassword("x")).split("$").slice(0, 4));
  assert.equal(await verifyPassword("", DUMMY_PASSWORD_HASH), false);
  assert.equal(await verifyPassword(PASSWORD, null), false);
  assert.equal(await verifyPassword(PASSWORD, "bcrypt$garbage"), false);
});
