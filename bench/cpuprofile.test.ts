import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { summarize } from "./cpuprofile.js";

test("self time per function and per place, over a window of the profile only", () => {
  const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 9, scriptId: "1", columnNumber: 0 });
  const profile = {
    startTime: 1_000_000,
    endTime: 1_010_000,
    nodes: [
      { id: 1, callFrame: frame("(root)", "") },
      { id: 2, callFrame: frame("(idle)", "") },
      { id: 3, callFrame: frame("decide", "file:///app/src/services/seat.ts") },
      { id: 4, callFrame: frame("parseRow", "file:///app/node_modules/pg/lib/result.js") },
    ],
    // A sample every ms: decide, decide, pg, idle, decide; the next one comes 5 ms later, so
    // that last decide sample stands for 5 ms.
    samples: [3, 3, 4, 2, 3, 2],
    timeDeltas: [1000, 1000, 1000, 1000, 1000, 5000],
  };
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cpuprofile-")), "p.cpuprofile");
  fs.writeFileSync(file, JSON.stringify(profile));

  const all = summarize(file);
  assert.deepEqual(all.functions.map((f) => [f.name, f.ms * 1000]), [
    ["decide src/services/seat.ts", 7000],
    ["parseRow pg/lib/result.js:10", 1000],
  ]);
  assert.deepEqual(all.places.map((p) => p.name), ["src/services/seat.ts", "pg"]);

  // The first four samples only: decide ×2, pg, idle.
  const early = summarize(file, { window: { fromUs: 1_000_000, toUs: 1_004_500 } });
  assert.equal(early.idlePercent, 25);
  assert.deepEqual(early.functions.map((f) => [f.name, f.percent]), [
    ["decide src/services/seat.ts", 66.7],
    ["parseRow pg/lib/result.js:10", 33.3],
  ]);
  fs.rmSync(path.dirname(file), { recursive: true });
});
