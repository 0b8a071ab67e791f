// A webhook receiver on 127.0.0.1 for tests: records every delivery, answers as told
// (200, an error status, or never), and verifies signatures the way docs/webhooks.md tells
// receivers to.
import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";

export interface Received {
  at: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: { id: string; type: string; createdAt: string; account: string; data: Record<string, any> };
}

/** What to answer a delivery: a status, or "hang" (never answer). */
export type Answer = number | "hang";

export interface Receiver {
  url: string;
  received: Received[];
  /** Answered with a 2xx. */
  accepted: () => Received[];
  answer: (decide: (r: Received, index: number) => Answer) => void;
  close(): Promise<void>;
}

export function verifySignature(secret: string, header: string | undefined, body: string, toleranceSeconds = 300, now = Date.now()): boolean {
  if (!header) return false;
  const parts = Object.fromEntries(header.split(",").map((p) => p.split("=", 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(now / 1000 - t) > toleranceSeconds || !parts.v1) return false;
  const expected = createHmac("sha256", secret).update(`${t}.${body}`).digest();
  const given = Buffer.from(parts.v1, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const ok = new Set<Received>();
  let decide: (r: Received, index: number) => Answer = () => 200;
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const r: Received = { at: Date.now(), headers: req.headers, body, json: JSON.parse(body) };
      received.push(r);
      const answer = decide(r, received.length - 1);
      if (answer === "hang") {
        hanging.add(res);
        return;
      }
      if (answer >= 200 && answer < 300) ok.add(r);
      res.writeHead(answer, { "content-type": "text/plain" }).end(answer >= 400 ? "receiver says no" : "ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    accepted: () => received.filter((r) => ok.has(r)),
    answer: (d) => (decide = d),
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
