// Runs a suite once per back end, with one app per back end for the whole file.
import { after, before, describe } from "node:test";
import { BACKENDS, type Backend } from "./backends.js";
import { startTestApp, type TestApp } from "./app.js";

export function eachBackend(name: string, body: (ctx: { t: () => TestApp; backend: Backend }) => void, env: Record<string, string> = {}): void {
  for (const backend of BACKENDS) {
    describe(`${name} [${backend}]`, () => {
      let app: TestApp | undefined;
      before(async () => {
        app = await startTestApp(backend, env);
      });
      after(async () => {
        await app?.close();
      });
      body({ t: () => app!, backend });
    });
  }
}
