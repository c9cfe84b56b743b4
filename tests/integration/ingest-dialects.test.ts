// Ingest (storeSpans over the SQL port) on both dialects: the same spans give the same traces,
// spans and completion records (outbox, traffic counts and latency bins, session joins) on SQLite
// and on Postgres; those records equal what the completion triggers write for any other writer;
// and concurrent batches of one trace (two web processes on Postgres) lose nothing.
import { describe, expect, it } from "vitest";
import type { Dialect, Sql } from "@/db/sql";
import { parseConfig, systemActor, type PortCtx } from "@/lib/core";
import { storeSpans, type IncomingSpan } from "@/lib/ingest";
import { DIALECTS, useBothDatabases } from "./pg.helpers";

const both = useBothDatabases("ingest", { resetEach: true });
const config = parseConfig({ DATABASE_URL: ":memory:", VIGIL_DEMO: "0" });

async function setup(dialect: Dialect): Promise<{ sql: Sql; ctx: PortCtx }> {
  const sql = both.sql(dialect);
  for (const [id, name] of [
    [0, "Default"],
    [7, "other"],
  ] as const) {
    await sql.run("INSERT INTO experiments (experiment_id, name, creation_time, last_update_time) VALUES (:id, :name, 1, 1)", { id, name });
  }
  let clock = 1_800_000_000_000;
  return { sql, ctx: { sql, config, actor: systemActor, now: () => (clock += 13), fetch } };
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

const TRACE_COLUMNS =
  "trace_id, experiment_id, name, root_span_id, state, request_time, end_time_ms, execution_duration_ms, completed_at, request, response, request_preview, response_preview, trace_metadata, tags, last_span_at, span_count";

async function records(sql: Sql) {
  return {
    traffic: (await sql.all("SELECT experiment_id, bucket_ms, traces, errors, latency, last_trace_at FROM traffic ORDER BY 1, 2")).map((r): Row => ({
      ...r,
      latency: JSON.parse(r.latency as string),
    })),
    sessions: await sql.all(
      "SELECT experiment_id, session_id, first_time_ms, last_time_ms, turns, last_joined_at, revision FROM engine_sessions ORDER BY 1, 2",
    ),
    outbox: await sql.all("SELECT trace_id, experiment_id, completed_at FROM engine_completions ORDER BY seq"),
  };
}

async function stored(sql: Sql) {
  return {
    traces: await sql.all(`SELECT ${TRACE_COLUMNS}, completion_recorded FROM traces ORDER BY trace_id`),
    spans: await sql.all("SELECT * FROM spans ORDER BY trace_id, span_id"),
  };
}

/** The same trace rows written again by a writer that leaves the completion to the triggers. */
async function throughTriggers(sql: Sql) {
  const order = await sql.all<{ trace_id: string }>("SELECT trace_id FROM engine_completions ORDER BY seq");
  const rows = await sql.all(`SELECT ${TRACE_COLUMNS} FROM traces WHERE completed_at IS NOT NULL`);
  const byId = new Map(rows.map((r) => [r.trace_id, r]));
  await sql.tx(async (t) => {
    for (const table of ["traces", "engine_completions", "traffic", "engine_sessions"]) await t.run(`DELETE FROM ${table}`);
    // In the order ingest completed them (its outbox order).
    for (const { trace_id } of order) {
      const cols = TRACE_COLUMNS.split(", ");
      await t.run(`INSERT INTO traces (${TRACE_COLUMNS}) VALUES (${cols.map((c) => `:${c}`).join(", ")})`, byId.get(trace_id)!);
    }
  });
  return records(sql);
}

/** Several batches: one batch of 40 traces, later turns, a trace whose root comes later, a root sent twice. */
async function ingestScenario(ctx: PortCtx): Promise<string> {
  const t0 = 1_799_999_000_000; // buckets of 5 minutes: traces fall into several
  const spans: IncomingSpan[] = [];
  for (let i = 0; i < 40; i++) {
    spans.push(...trace(i, t0 + i * 20_000, i % 7 === 0 ? 0 : 30 + i * 17, { session: i % 3 === 0 ? `s-${i % 4}` : undefined, error: i % 5 === 0 }));
  }
  await storeSpans({ ctx, input: { experimentId: 0, spans } });
  await storeSpans({ ctx, input: { experimentId: 0, spans: [40, 41, 42].flatMap((i) => trace(i, t0 + i * 1_000, 250, { session: "s-0" })) } });
  const late = trace(50, t0 + 5_000, 900, { session: "s-1", children: 3 });
  await storeSpans({ ctx, input: { experimentId: 0, spans: late.slice(0, 3) } });
  await storeSpans({ ctx, input: { experimentId: 0, spans: late.slice(3) } });
  await storeSpans({ ctx, input: { experimentId: 0, spans: late.slice(3) } });
  return `tr-${hex(51, 32)}`;
}

describe.each(DIALECTS)("storeSpans on %s", (dialect) => {
  it("writes the outbox, traffic and session rows the triggers would, in one batch and across batches", async () => {
    const { sql, ctx } = await setup(dialect);
    const late = await ingestScenario(ctx);
    const ingest = await records(sql);
    expect(ingest.outbox).toHaveLength(44);
    expect(ingest.outbox.at(-1)?.trace_id).toBe(late);
    expect(ingest.traffic.reduce((n, r) => n + (r.traces as number), 0)).toBe(44);
    expect(ingest.sessions.find((s) => s.session_id === "s-0")?.turns).toBe(7);
    expect(await sql.all("SELECT DISTINCT completion_recorded AS r FROM traces")).toEqual([{ r: 1 }]);
    expect(await throughTriggers(sql)).toEqual(ingest);
  });

  it("merges the given tags into every trace the spans touch, new or already stored", async () => {
    const { sql, ctx } = await setup(dialect);
    const loc = { "mlflow.trace.spansLocation": "TRACKING_STORE" };
    await storeSpans({ ctx, input: { experimentId: 0, spans: trace(1, 1_799_999_000_000, 10).slice(0, 1), traceTags: loc } });
    await storeSpans({ ctx, input: { experimentId: 0, spans: trace(1, 1_799_999_000_000, 10).slice(1), traceTags: { ...loc, k: "v" } } });
    await storeSpans({ ctx, input: { experimentId: 0, spans: trace(2, 1_799_999_000_000, 10) } });
    const tags = await sql.all("SELECT tags FROM traces ORDER BY trace_id");
    expect(tags).toEqual([{ tags: JSON.stringify({ ...loc, k: "v" }) }, { tags: "{}" }]);
  });

  it("refuses spans of a trace held by another experiment and invalid spans, storing the rest", async () => {
    const { sql, ctx } = await setup(dialect);
    await storeSpans({ ctx, input: { experimentId: 7, spans: trace(1, 1_799_999_000_000, 10) } });
    const bad = { ...trace(3, 1_799_999_000_000, 10)[0]!, spanIdHex: "xyz" };
    const r = await storeSpans({ ctx, input: { experimentId: 0, spans: [...trace(1, 1_799_999_000_000, 10), ...trace(2, 1_799_999_000_000, 10), bad] } });
    expect(r.acceptedSpans).toBe(3);
    expect(r.traceIds).toEqual([`tr-${hex(3, 32)}`]);
    expect(r.rejected.map((x) => x.reason)).toEqual([expect.any(String), ...Array(3).fill("trace belongs to experiment 7")]);
    expect(await sql.all("SELECT experiment_id, COUNT(*) AS n FROM traces GROUP BY experiment_id ORDER BY 1")).toEqual([
      { experiment_id: 0, n: 1 },
      { experiment_id: 7, n: 1 },
    ]);
    await expect(storeSpans({ ctx, input: { experimentId: 99, spans: trace(5, 1, 1) } })).rejects.toThrow(/Experiment '99' does not exist/);
  });

  it("stores concurrent batches of the same traces without losing a span or completing a trace twice", async () => {
    const { sql, ctx } = await setup(dialect);
    // 30 traces of a root and 5 children, sent as 6 batches at once (one span of each trace per batch), twice over.
    const traces = Array.from({ length: 30 }, (_, i) => trace(i, 1_799_999_000_000 + i * 1000, 50, { children: 5, session: `c-${i % 3}` }));
    const batches = Array.from({ length: 6 }, (_, k) => traces.map((t) => t[k]!));
    await Promise.all([...batches, ...batches].map((spans) => storeSpans({ ctx, input: { experimentId: 0, spans } })));
    expect(await sql.get("SELECT COUNT(*) AS n FROM spans")).toEqual({ n: 180 });
    expect(await sql.all("SELECT DISTINCT span_count AS n, state FROM traces")).toEqual([{ n: 6, state: "OK" }]);
    const r = await records(sql);
    expect(r.outbox).toHaveLength(30);
    expect(r.sessions.map((s) => s.turns)).toEqual([10, 10, 10]);
  });
});

describe("storeSpans answers the same on SQLite and Postgres", () => {
  it("stores the same traces, spans and completion records", async () => {
    const runs = [];
    for (const d of DIALECTS) {
      const { sql, ctx } = await setup(d);
      await ingestScenario(ctx);
      runs.push({ ...(await stored(sql)), ...(await records(sql)) });
    }
    expect(runs[1]).toEqual(runs[0]);
  });
});
