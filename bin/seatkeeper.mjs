#!/usr/bin/env node
// Runs the built CLI (npm start builds it); from a source checkout without a build,
// falls back to running the TypeScript through tsx.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const built = new URL("../dist/src/cli/seatkeeper.js", import.meta.url);
if (existsSync(fileURLToPath(built))) {
  await import(built.href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import(new URL("../src/cli/seatkeeper.ts", import.meta.url).href);
}
