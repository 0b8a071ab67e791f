// Sends one webhook delivery: signs it (HMAC-SHA256 over "timestamp.body", as Stripe does)
// and posts it with a deadline, to an address the SSRF guard allows — checked on the address
// actually connected to, so a name that resolves to a private address (or is re-pointed to
// one after registration) is refused too.
import { createHmac } from "node:crypto";
import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { checkTargetUrl, isPrivateAddress, signatureHeader, signedPayload } from "../domain/webhooks.js";

export const USER_AGENT = "Seatkeeper-Webhooks/1.0";
/** How much of a receiver's answer the delivery log keeps. */
const ANSWER_KEPT = 500;

export class PrivateTargetError extends Error {
  constructor(readonly address: string) {
    super(`refused: the target resolves to a loopback or private address (${address}); set SEATKEEPER_WEBHOOK_ALLOW_PRIVATE=1 to allow it`);
    this.name = "PrivateTargetError";
  }
}

export function sign(secret: string, timestamp: number, body: string): string {
  return signatureHeader(timestamp, createHmac("sha256", secret).update(signedPayload(timestamp, body)).digest("hex"));
}

/** dns.lookup that refuses private addresses unless they are allowed. */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, "", 0);
      const refused = allowPrivate ? undefined : addresses.find((a) => isPrivateAddress(a.address));
      if (refused) return callback(Object.assign(new PrivateTargetError(refused.address), { code: "EPRIVATE" }), "", 0);
      if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/** Where a registered URL's host resolves now, refused when private (registration checks this once; delivery on every connect). */
export async function checkResolvedHost(url: URL, allowPrivate: boolean): Promise<{ problem: "privateAddress"; address: string } | { problem: "unresolved" } | null> {
  if (allowPrivate) return null;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  try {
    const addresses = await dns.promises.lookup(host, { all: true });
    const refused = addresses.find((a) => isPrivateAddress(a.address));
    return refused ? { problem: "privateAddress", address: refused.address } : null;
  } catch {
    return { problem: "unresolved" };
  }
}

export interface SendResult {
  status: number | null;
  error: string | null;
  durationMs: number;
}

export interface Outgoing {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  allowPrivate: boolean;
  allowHttp: boolean;
  signal?: AbortSignal;
}

/** Posts a delivery; resolves with the answer's status or what went wrong, never rejects. */
export function send(out: Outgoing): Promise<SendResult> {
  const started = Date.now();
  const done = (status: number | null, error: string | null): SendResult => ({ status, error, durationMs: Date.now() - started });
  const target = checkTargetUrl(out.url, { http: out.allowHttp, privateTargets: out.allowPrivate });
  if ("problem" in target) return Promise.resolve(done(null, `refused: ${target.problem === "privateAddress" ? "loopback or private address" : `bad target (${target.problem})`}`));
  return new Promise((resolve) => {
    let settled = false;
    const finish = (status: number | null, error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(done(status, error));
    };
    const client = target.url.protocol === "https:" ? https : http;
    const req = client.request(target.url, {
      method: "POST",
      agent: false,
      lookup: guardedLookup(out.allowPrivate),
      headers: { "content-type": "application/json", "user-agent": USER_AGENT, "content-length": String(Buffer.byteLength(out.body)), ...out.headers },
      signal: out.signal,
    }, (res) => {
      let answer = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        if (answer.length < ANSWER_KEPT) answer += chunk;
      });
      res.on("end", () => {
        const ok = res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300;
        finish(res.statusCode ?? null, ok ? null : `HTTP ${res.statusCode}${answer ? `: ${answer.slice(0, ANSWER_KEPT)}` : ""}`);
      });
      res.on("error", (error) => finish(res.statusCode ?? null, error.message));
    });
    const timer = setTimeout(() => {
      finish(null, `timeout: no answer within ${out.timeoutMs} ms`);
      req.destroy();
    }, out.timeoutMs);
    req.on("error", (error) => finish(null, error.message));
    req.end(out.body);
  });
}
