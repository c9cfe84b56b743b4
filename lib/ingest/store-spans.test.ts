import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDb, type Db } from "@/db/client";
import { parseConfig, systemActor, type Ctx } from "@/lib/core";
import { ensureDefaultExperiment } from "@/lib/experiments/default-experiment";
import { storeSpans } from "./store-spans";
import type { IncomingSpan } from "./types";

// Ingest writes the completion records (outbox, traffic, session joins) itself, once per batch;
// every other writer relies on the triggers. Both must produce the same rows.

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function store(): { db: Db; ctx: Ctx } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-store-spans-"));
  dirs.push(dir);
  const config = parseConfig({ DATABASE_URL: path.join(dir, "v.db"), VIGIL_DEMO: "0" });
  const db = openDb(config.databasePath);
  ensureDefaultExperiment(db);
  let clock = 1_800_000_000_000;
  return { db, ctx: { db, config, actor: systemActor, now: () => (clock += 13), fetch } };
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");
const ns = (ms: number) => `${ms}000000`;

/** A trace of `children` child spans and a root; `session` in the root's attributes when given. */
function trace(n: number, startMs: number, durMs: number, opts: { session?: string; error?: boolean; children?: number } = {}): IncomingSpan[] {
  const traceIdHex = hex(n + 1, 32);
  const root = hex(n * 100 + 1, 16);
  const base = { traceIdHex, kind: 0, statusMessage: "", events: [] };
  const kids: IncomingSpan[] = Array.from({ length: opts.children ?? 2 }, (_, i) => ({
    ...base,
    spanIdHex: hex(n * 100 + 2 + i, 16),
    parentSpanIdHex: root,
    name: `child_${i}`,
    startTimeNs: ns(startMs + i),
    endTimeNs: ns(startMs + i + 1),
    statusCode: "STATUS_CODE_OK",
    attributes: { "mlflow.spanType": '"LLM"', "mlflow.spanInputs": JSON.stringify({ q: `question ${n}` }) },
  }));
  const attrs: Record<string, unknown> = { "mlflow.spanType": '"AGENT"', "mlflow.spanOutputs": JSON.stringify({ a: n }) };
  if (opts.session) attrs["mlflow.trace.session"] = JSON.stringify(opts.session);
  return [
    ...kids,
    {
      ...base,
      spanIdHex: root,
      parentSpanIdHex: null,
      name: "agent",
      startTimeNs: ns(startMs),
      endTimeNs: ns(startMs + durMs),
      statusCode: opts.error ? "STATUS_CODE_ERROR" : "STATUS_CODE_OK",
      attributes: attrs,
    },
  ];
}

type Row = Record<string, unknown>;
const all = (db: Db, sql: string) => db.$client.prepare(sql).all() as Row[];

function records(db: Db) {
  return {
    traffic: all(db, "SELECT experiment_id, bucket_ms, traces, errors, latency, last_trace_at FROM traffic ORDER BY 1, 2").map((r): Row => ({
      ...r,
      latency: JSON.parse(r.latency as string),
    })),
    sessions: all(db, "SELECT experiment_id, session_id, first_time_ms, last_time_ms, turns, last_joined_at, revision FROM engine_sessions ORDER BY 1, 2"),
    outbox: all(db, "SELECT trace_id, experiment_id, completed_at FROM engine_completions ORDER BY seq"),
  };
}

/** The same trace rows written by a writer that leaves the completion to the triggers. */
function throughTriggers(from: Db): Db {
  const { db } = store();
  const cols = (all(from, "SELECT name FROM pragma_table_info('traces')") as { name: string }[]).map((c) => c.name).filter((c) => c !== "completion_recorded");
  const insert = db.$client.prepare(`INSERT INTO traces (${cols.join(", ")}) VALUES (${cols.map((c) => `@${c}`).join(", ")})`);
  const rows = all(from, `SELECT ${cols.join(", ")} FROM traces WHERE completed_at IS NOT NULL ORDER BY rowid`);
  // In the order ingest completed them (its outbox order).
  const order = new Map(all(from, "SELECT trace_id, seq FROM engine_completions").map((r) => [r.trace_id, r.seq as number]));
  rows.sort((a, b) => order.get(a.trace_id)! - order.get(b.trace_id)!);
  db.$client.transaction(() => rows.forEach((r) => insert.run(r)))();
  return db;
}

describe("storeSpans completion records", () => {
  it("writes the outbox, traffic and session rows the triggers would, in one batch and across batches", () => {
    const { db, ctx } = store();
    const t0 = 1_799_999_000_000; // buckets of 5 minutes: traces fall into several
    const spans: IncomingSpan[] = [];
    for (let i = 0; i < 40; i++) {
      spans.push(...trace(i, t0 + i * 20_000, i % 7 === 0 ? 0 : 30 + i * 17, { session: i % 3 === 0 ? `s-${i % 4}` : undefined, error: i % 5 === 0 }));
    }
    storeSpans({ ctx, input: { experimentId: 0, spans } });
    // A later batch: more turns of the same sessions, and more traces in buckets already counted.
    storeSpans({ ctx, input: { experimentId: 0, spans: [40, 41, 42].flatMap((i) => trace(i, t0 + i * 1_000, 250, { session: "s-0" })) } });
    // A trace whose children arrive first and whose root completes it in a later batch (the update path).
    const late = trace(50, t0 + 5_000, 900, { session: "s-1", children: 3 });
    storeSpans({ ctx, input: { experimentId: 0, spans: late.slice(0, 3) } });
    expect(records(db).outbox.map((r) => r.trace_id)).not.toContain(`tr-${hex(51, 32)}`);
    storeSpans({ ctx, input: { experimentId: 0, spans: late.slice(3) } });
    // The root sent again completes nothing twice.
    storeSpans({ ctx, input: { experimentId: 0, spans: late.slice(3) } });

    const ingest = records(db);
    expect(ingest.outbox).toHaveLength(44);
    expect(ingest.traffic.reduce((n, r) => n + (r.traces as number), 0)).toBe(44);
    expect(ingest.sessions.find((s) => s.session_id === "s-0")?.turns).toBe(7);
    expect(all(db, "SELECT DISTINCT completion_recorded AS r FROM traces")).toEqual([{ r: 1 }]);
    expect(records(throughTriggers(db))).toEqual(ingest);
  });

  it("merges the given tags into every trace the spans touch, new or already stored", () => {
    const { db, ctx } = store();
    storeSpans({
      ctx,
      input: { experimentId: 0, spans: trace(1, 1_799_999_000_000, 10).slice(0, 1), traceTags: { "mlflow.trace.spansLocation": "TRACKING_STORE" } },
    });
    storeSpans({
      ctx,
      input: { experimentId: 0, spans: trace(1, 1_799_999_000_000, 10).slice(1), traceTags: { "mlflow.trace.spansLocation": "TRACKING_STORE", k: "v" } },
    });
    storeSpans({ ctx, input: { experimentId: 0, spans: trace(2, 1_799_999_000_000, 10) } });
    const tags = all(db, "SELECT trace_id, tags FROM traces ORDER BY trace_id").map((r) => JSON.parse(r.tags as string));
    expect(tags).toEqual([{ "mlflow.trace.spansLocation": "TRACKING_STORE", k: "v" }, {}]);
  });
});
