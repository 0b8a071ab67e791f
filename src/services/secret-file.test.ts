// Processes starting at once on a new data directory all read the one secret that one of
// them made: two replicas started together once disagreed and one refused to start.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";

const MODULE = pathToFileURL(path.join(path.dirname(fileURLToPath(import.meta.url)), "secret-file.ts")).href;

test("twelve processes racing to make a secret file all read the same secret, written whole", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sk-secret-"));
  try {
    for (let round = 0; round < 3; round++) {
      const file = path.join(dir, `key-${round}`);
      const script = `const { readOrCreateSecretFile } = await import(${JSON.stringify(MODULE)});
        const { randomBytes } = await import("node:crypto");
        process.stdout.write(readOrCreateSecretFile(${JSON.stringify(file)}, () => randomBytes(32).toString("base64url")));`;
      const runs = Array.from({ length: 12 }, () => promisify(execFile)(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script]));
      const secrets = (await Promise.all(runs)).map((r) => r.stdout);
      assert.equal(new Set(secrets).size, 1, `all read one secret: ${secrets.join(" ")}`);
      assert.equal(secrets[0].length, 43);
      assert.equal(fs.statSync(file).mode & 0o777, 0o600);
      assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith(".tmp")), [], "no temporary file left");
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
