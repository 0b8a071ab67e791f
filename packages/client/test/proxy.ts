// A TCP proxy between the client and a real server, for network cuts: `cut()` drops every
// connection and refuses new ones until `restore()`; `swallowAnswers()` lets requests through
// but never passes an answer back (the server acts, the client hears nothing) until the cut.
import net from "node:net";

export interface Proxy {
  url: string;
  /** Each request that went through ("POST /api/v1/me/heartbeat"), with when it went. */
  requests: { at: number; line: string }[];
  cut(): void;
  restore(): void;
  swallowAnswers(): void;
  close(): Promise<void>;
}

export async function startProxy(target: string): Promise<Proxy> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<net.Socket>();
  let down = false;
  let swallowing = false;
  const requests: { at: number; line: string }[] = [];
  const server = net.createServer((client) => {
    if (down) return client.destroy();
    const upstream = net.connect(Number(port), hostname);
    sockets.add(client).add(upstream);
    client.on("data", (chunk: Buffer) => {
      const line = /^([A-Z]+ \S+) HTTP\/1\.1\r\n/.exec(chunk.toString("latin1", 0, 300));
      if (line) requests.push({ at: Date.now(), line: line[1]! });
      upstream.write(chunk);
    });
    upstream.on("data", (chunk) => {
      if (!swallowing) client.write(chunk);
    });
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("close", close).on("error", close);
    upstream.on("close", close).on("error", close);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as net.AddressInfo;
  const dropAll = () => {
    for (const s of sockets) s.destroy();
    sockets.clear();
  };
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    cut() {
      down = true;
      swallowing = false;
      dropAll();
    },
    restore() {
      down = false;
    },
    swallowAnswers() {
      swallowing = true;
    },
    async close() {
      dropAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
