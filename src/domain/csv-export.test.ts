import assert from "node:assert/strict";
import { test } from "node:test";
import { csvCell, csvLines } from "./csv-export.js";

test("cells are quoted when they hold separators, and never read as formulas", () => {
  assert.equal(csvCell('Dubois, "Marc"'), '"Dubois, ""Marc"""');
  assert.equal(csvCell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
  assert.equal(csvCell("-1"), "'-1");
  assert.equal(csvCell({ product: "rs5" }), '"{""product"":""rs5""}"');
  assert.equal(csvCell(null), "");
  assert.equal(csvLines(["a", "b"], [[1, "x\ny"]]), 'a,b\r\n1,"x\ny"\r\n');
});
