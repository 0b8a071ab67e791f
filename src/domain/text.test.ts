import assert from "node:assert/strict";
import { test } from "node:test";
import { isStorableText, showUnstorable, unstorableAt } from "./text.js";

test("text the database cannot store: NUL and unpaired surrogates, wherever they are", () => {
  assert.ok(isStorableText("Zoë \u{1f600} 東京"));
  assert.equal(unstorableAt("ab\u0000"), 2);
  assert.equal(unstorableAt("\ud800x"), 0);
  assert.equal(unstorableAt("x\udc00"), 1);
  assert.equal(unstorableAt("\ud83d\ude00\ud83d"), 2);
  assert.equal(showUnstorable("a\u0000b\ud800\u{1f600}"), "a\ufffdb\ufffd\u{1f600}");
});
