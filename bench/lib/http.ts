// The benchmark's HTTP client: `node:http` over a keep-alive Agent, one socket per
// concurrent caller. Node's `fetch` costs several times more CPU per request and would cap
// the measurement near 1–2k cycles/s on two cores (see the README's Benchmarks section).
import http from "node:http";

export interface Reply {
  status: number;
  /** The raw body; parse it only when the caller needs it. */
  text: string;
}

export function keepAliveAgent(): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 100_000 });
}

/**
 * One request. `agent: false` opens a fresh socket that closes after the reply (a client
 * connecting for the first time). Network errors reject.
 */
export function request(
  agent: http.Agent | false,
  url: string,
  method: "GET" | "POST" | "PUT" | "PATCH",
  token: string | undefined,
  body?: unknown,
): Promise<Reply> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers: http.OutgoingHttpHeaders = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (payload !== undefined) {
    headers["content-type"] = "application/json";
    headers["content-length"] = Buffer.byteLength(payload);
  }
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(payload);
  });
}

/** The problem+json `code` of an error reply, if it has one. */
export function problemCode(reply: Reply): string | undefined {
  try {
    const code = (JSON.parse(reply.text) as { code?: unknown }).code;
    return typeof code === "string" ? code : undefined;
  } catch {
    return undefined;
  }
}
