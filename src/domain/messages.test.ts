import assert from "node:assert/strict";
import { test } from "node:test";
import { ALL_SHARED_SEATS_IN_USE_MESSAGE, errorDetail, pickLanguage } from "./messages.js";
import { isId, newId } from "./ids.js";

test("the S5 message is word for word, in English and French", () => {
  assert.equal(errorDetail("ALL_SHARED_SEATS_IN_USE", {}, "en"), "All shared seats are in use. To start a session, please wait for a seat to become available.");
  assert.equal(
    ALL_SHARED_SEATS_IN_USE_MESSAGE.fr,
    "Tous les postes partagés sont utilisés. Pour démarrer une session, veuillez attendre qu'un poste soit disponible.",
  );
});

test("Accept-Language picks French or English by preference", () => {
  assert.equal(pickLanguage(undefined), "en");
  assert.equal(pickLanguage("fr-CA"), "fr");
  assert.equal(pickLanguage("de-DE, fr;q=0.8, en;q=0.9"), "en");
  assert.equal(pickLanguage("de-DE, fr;q=0.8"), "fr");
  assert.equal(pickLanguage("fr;q=0, en"), "en");
});

test("ids carry their type and sort by creation time", () => {
  const a = newId("usr", 1_000);
  const b = newId("usr", 2_000);
  assert.ok(isId("usr", a));
  assert.ok(!isId("acct", a));
  assert.ok(!isId("usr", "usr_short"));
  assert.ok(a < b);
});
