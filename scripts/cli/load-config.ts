// Loads a scorers config file: TypeScript or JavaScript through tsx's loader (the CLI runs under
// tsx), or JSON. The file's default export (or the whole module) is the config.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

export async function loadConfigFile(file: string): Promise<unknown> {
  const full = path.resolve(file);
  if (!fs.existsSync(full)) throw new Error(`No config file at ${full}.`);
  if (full.endsWith(".json")) return JSON.parse(fs.readFileSync(full, "utf8")) as unknown;
  const mod = (await import(pathToFileURL(full).href)) as { default?: unknown };
  // tsx may wrap a CommonJS-compiled default export once more.
  let value: unknown = mod.default ?? mod;
  if (value && typeof value === "object" && "default" in value && !("scorers" in value)) value = (value as { default: unknown }).default;
  return value;
}
