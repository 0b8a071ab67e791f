// Fastify's logger, in the format config.logFormat asks for: JSON lines (one object per
// entry, with `req` and `res`) for log pipelines, or pino-pretty's readable lines for a
// person at a terminal, one line per answered request.
import { LogController, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from "fastify";
import { prettyFactory } from "pino-pretty";
import type { Config } from "../../config.js";

const REDACT = ["req.headers.authorization", "req.headers.cookie"];

/** One line per request, written when it is answered: `GET /api/v1/users 200 12 ms`. */
class ReadableLogController extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    const line = `${request.method} ${request.url} ${reply.statusCode} ${Math.round(reply.elapsedTime)} ms`;
    if (error) reply.log.error({ err: error }, line);
    else reply.log.info(line);
  }
}

export function loggerOptions(config: Config): Pick<FastifyServerOptions, "logger" | "logController"> {
  const options = { level: config.logLevel, redact: REDACT };
  if (config.logFormat === "json") return { logger: options };
  const prettify = prettyFactory({ ignore: "pid,hostname,reqId", translateTime: "SYS:HH:MM:ss" });
  // Written through process.stdout, as the start-up banner is, so that lines keep their order.
  const stream = { write: (entry: string) => process.stdout.write(prettify(entry)) };
  return { logger: { ...options, stream }, logController: new ReadableLogController() };
}
