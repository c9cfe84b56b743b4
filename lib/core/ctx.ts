import type { Db } from "@/db/client";
import type { Actor } from "./actor";
import type { Config } from "./config";

/** What every lib verb receives besides its input: who acts, where data lives, and the clock. */
export interface Ctx {
  db: Db;
  actor: Actor;
  config: Config;
  now: () => number;
  /** External clients (judge HTTP, remote MLflow) are injected here so tests can replace them. */
  fetch: typeof fetch;
}

export interface VerbArgs<I> {
  ctx: Ctx;
  input: I;
}
