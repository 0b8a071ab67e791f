import type { Config } from "../config.js";
import { buildApp } from "../http/app.js";
import { migrateToLatest, openDatabase, type DatabaseHandle } from "../store/database.js";
import { isDatabaseEmpty, seedDemo } from "../services/demo.service.js";

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** Opens the database, migrates, seeds the demo when asked, and listens. */
export async function serve(config: Config, print: (line: string) => void = console.log): Promise<RunningServer> {
  const database: DatabaseHandle = await openDatabase(config);
  try {
    await migrateToLatest(database.db);
    let demo: { email: string; password: string } | undefined;
    if (config.demo && (await isDatabaseEmpty(database.db))) {
      print("Seeding the demo account and recording its agents' last 24 hours (first start only)…");
      demo = await seedDemo(database.db);
    }
    const app = await buildApp({ config, database });
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === "object" && address ? address.port : config.port;
    const host = config.host.includes(":") ? `[${config.host}]` : config.host;
    const url = `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${port}/`;
    print(`Seatkeeper is running on ${database.kind === "pglite" ? `the embedded database (${config.dataDir})` : "PostgreSQL"}.`);
    print(`Admin center: ${url}`);
    print(`API reference: ${url}docs`);
    if (demo) print(`Demo sign-in: ${demo.email} / ${demo.password}`);
    else if (config.demo) print("Demo sign-in: the database already had data, so no demo was seeded (admin@demo.seatkeeper.test / seatkeeper-demo if it is the demo).");
    return {
      url,
      close: async () => {
        await app.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
