// npm run generate -w @seatkeeper/client [-- <server URL>]: reads a running server's
// /openapi.json (default http://127.0.0.1:3000) and rewrites src/openapi.ts.
import { writeFileSync } from "node:fs";
import { GENERATED_FILE, openapiTypes } from "./openapi-types.js";

const base = process.argv[2] ?? "http://127.0.0.1:3000";
const response = await fetch(new URL("/openapi.json", base));
if (!response.ok) throw new Error(`GET ${base}/openapi.json answered ${response.status}`);
writeFileSync(GENERATED_FILE, await openapiTypes(await response.json()));
console.log(`Wrote ${GENERATED_FILE.pathname}`);
