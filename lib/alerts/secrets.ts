// Receiver URLs and secrets at rest: AES-256-GCM with a key from VIGIL_SECRET_KEY, or else a
// random key kept in a file beside the database (0600), so a copied database alone leaks nothing.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import type { Config } from "@/lib/core";

const keys = new Map<string, Buffer>();

function keyFor(config: Config): Buffer {
  if (config.VIGIL_SECRET_KEY) return createHash("sha256").update(config.VIGIL_SECRET_KEY).digest();
  const file = config.databasePath === ":memory:" ? ":memory:" : `${config.databasePath}.key`;
  let key = keys.get(file);
  if (key) return key;
  if (file === ":memory:") key = randomBytes(32);
  else {
    try {
      key = Buffer.from(fs.readFileSync(file, "utf8").trim(), "base64");
    } catch {
      const fresh = randomBytes(32);
      try {
        fs.writeFileSync(file, fresh.toString("base64"), { mode: 0o600, flag: "wx" });
        key = fresh;
      } catch {
        // Another process wrote it first: use theirs.
        key = Buffer.from(fs.readFileSync(file, "utf8").trim(), "base64");
      }
    }
    if (key.length !== 32) throw new Error(`The alert secret key file ${file} is damaged.`);
  }
  keys.set(file, key);
  return key;
}

export function encryptSecret(config: Config, plain: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv("aes-256-gcm", keyFor(config), iv);
  const body = Buffer.concat([c.update(plain, "utf8"), c.final()]);
  return `v1:${iv.toString("base64")}:${c.getAuthTag().toString("base64")}:${body.toString("base64")}`;
}

export function decryptSecret(config: Config, sealed: string): string {
  const [v, iv, tag, body] = sealed.split(":");
  if (v !== "v1" || !iv || !tag || body === undefined) throw new Error("Unknown secret format.");
  const d = createDecipheriv("aes-256-gcm", keyFor(config), Buffer.from(iv, "base64"));
  d.setAuthTag(Buffer.from(tag, "base64"));
  return Buffer.concat([d.update(Buffer.from(body, "base64")), d.final()]).toString("utf8");
}

/** What is shown of a receiver URL: scheme, host and the last four characters. */
export function urlHint(url: string): string {
  const u = new URL(url);
  const tail = url.length > 12 ? url.slice(-4) : "";
  return `${u.protocol}//${u.host}/…${tail}`;
}
