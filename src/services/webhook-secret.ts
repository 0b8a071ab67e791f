// Webhook signing secrets must be read back to sign, so they cannot be hashed like tokens.
// They are sealed with AES-256-GCM under a key that is never in the database: a stolen
// database dump (or backup) holds no usable secret, and a tampered sealed value fails to
// open instead of signing with something else. The key is SHA-256 of SEATKEEPER_WEBHOOK_KEY,
// or, without it, 32 random bytes kept in `<data dir>/webhook.key` (mode 0600) — enough for
// one host; several hosts on one PostgreSQL must share SEATKEEPER_WEBHOOK_KEY.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import path from "node:path";
import type { Config } from "../config.js";
import { readOrCreateSecretFile } from "./secret-file.js";

const KEY_FILE = "webhook.key";
const VERSION = "v1";

export interface SecretBox {
  seal(secret: string): string;
  /** Throws when the value was sealed under another key or altered. */
  open(sealed: string): string;
}

function keyFrom(config: Config): Buffer {
  if (config.webhooks.key !== undefined) return createHash("sha256").update(config.webhooks.key).digest();
  const file = path.join(config.dataDir, KEY_FILE);
  return Buffer.from(readOrCreateSecretFile(file, () => randomBytes(32).toString("base64")), "base64");
}

export function secretBox(config: Config): SecretBox {
  let key: Buffer | undefined;
  const k = () => (key ??= keyFrom(config));
  return {
    seal(secret) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", k(), iv);
      const data = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
      return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), data.toString("base64url")].join(".");
    },
    open(sealed) {
      const [version, iv, tag, data] = sealed.split(".");
      if (version !== VERSION || !iv || !tag || data === undefined) throw new Error("not a sealed webhook secret");
      const decipher = createDecipheriv("aes-256-gcm", k(), Buffer.from(iv, "base64url"));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
    },
  };
}

/** A new signing secret: `whsec_` and 256 random bits. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}
