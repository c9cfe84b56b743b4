import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "@/db/client";
import { parseConfig, PermissionDeniedError, systemActor, type Ctx } from "@/lib/core";
import { createExperiment } from "@/lib/experiments";
import { loadDemoData } from "@/lib/demo/load-demo";
import { getExperimentTraffic } from "@/lib/read/experiments/experiment-traffic";
import { histogramQuantile, latencyBin, latencyBinSql } from "@/lib/core/latency-histogram";
import { getTraceDetail } from "@/lib/read/traces/get-trace-detail";
import { listExperimentOptions } from "@/lib/read/experiments/list-experiment-options";
import { parseTraceQueryState } from "@/lib/read/traces/trace-query";
import { searchTracePage } from "@/lib/read/traces/search-trace-page";
import { tracePageUsage } from "@/lib/read/traces/trace-usage";
import { validateFilter } from "@/lib/read/traces/validate-filter";
import { countFilterMatches } from "@/lib/read/traces/count-filter-matches";

const NOW = Date.UTC(2026, 2, 10, 12, 0, 0);
let db: Db;
let ctx: Ctx;
let demoId: string;
let emptyId: string;

beforeAll(async () => {
  const config = parseConfig({ DATABASE_URL: ":memory:", VIGIL_DEMO: "0" });
  db = openDb(":memory:");
  ctx = { db, config, actor: systemActor, now: () => NOW, fetch };
  demoId = (await loadDemoData({ ctx, input: { days: 2, perDay: 60 } })).experimentId;
  emptyId = createExperiment({ ctx, input: { name: "empty" } }).experiment_id;
});
afterAll(() => db.$client.close());

describe("getExperimentTraffic", () => {
  it("buckets the demo traffic and agrees with a direct count", () => {
    const t = getExperimentTraffic({ ctx, input: { experimentId: demoId, range: "24h" } });
    expect(t.buckets).toHaveLength(24);
    expect(t.to - t.from).toBe(24 * 3600_000);
    const direct = db.$client
      .prepare(
        "SELECT COUNT(*) n, SUM(state = 'ERROR') e FROM traces WHERE experiment_id = ? AND completed_at IS NOT NULL AND request_time >= ? AND request_time < ?",
      )
      .get(Number(demoId), t.from, t.to) as { n: number; e: number };
    expect(t.totals.traces).toBe(direct.n);
    expect(t.totals.errors).toBe(direct.e);
    expect(direct.n).toBeGreaterThan(0);
    expect(t.totals.p95Ms!).toBeGreaterThanOrEqual(t.totals.p50Ms!);
    expect(t.allTimeTraces).toBeGreaterThanOrEqual(direct.n);
  });

  it("reads the traffic record: a trace counts when it completes, exact latency bins from the trigger", () => {
    const t = getExperimentTraffic({ ctx, input: { experimentId: demoId, range: "7d" } });
    const direct = db.$client
      .prepare(`SELECT COUNT(*) n, MAX(request_time) last FROM traces WHERE experiment_id = ? AND completed_at IS NOT NULL`)
      .get(Number(demoId)) as { n: number; last: number };
    const open = db.$client.prepare("SELECT COUNT(*) FROM traces WHERE experiment_id = ? AND completed_at IS NULL").pluck().get(Number(demoId)) as number;
    expect(t.allTimeTraces).toBe(direct.n + open);
    expect(t.lastTraceAt).toBe(direct.last);
    const hist = db.$client
      .prepare(
        `SELECT ${latencyBinSql("execution_duration_ms")} AS bin, COUNT(*) n FROM traces WHERE experiment_id = ? AND completed_at IS NOT NULL AND execution_duration_ms IS NOT NULL AND state <> 'IN_PROGRESS' AND request_time >= ? AND request_time < ? GROUP BY bin`,
      )
      .all(Number(demoId), t.from, t.to) as { bin: number; n: number }[];
    const bins = new Map(hist.map((h) => [h.bin, h.n]));
    expect(t.totals.p50Ms).toBe(histogramQuantile(bins, 0.5));
    expect(t.totals.p95Ms).toBe(histogramQuantile(bins, 0.95));
  });

  it("counts a trace once, when it completes, whichever write completes it", () => {
    const exp = Number(createExperiment({ ctx, input: { name: "traffic-once" } }).experiment_id);
    const t0 = NOW - 30 * 60_000;
    db.$client
      .prepare(
        `INSERT INTO traces (trace_id, experiment_id, name, request_time, state, trace_metadata, tags, last_span_at, span_count, completed_at, execution_duration_ms)
         VALUES (?, ?, 'agent', ?, ?, '{}', '{}', ?, 1, ?, ?)`,
      )
      .run("tr-open", exp, t0, "IN_PROGRESS", t0, null, null);
    const before = getExperimentTraffic({ ctx, input: { experimentId: String(exp), range: "1h" } });
    expect([before.totals.traces, before.totals.inProgress, before.allTimeTraces]).toEqual([0, 1, 1]);
    db.$client.prepare("UPDATE traces SET state = 'ERROR', execution_duration_ms = 1200, completed_at = ? WHERE trace_id = 'tr-open'").run(NOW);
    // A late span rewrites the row; the trace was already counted.
    db.$client.prepare("UPDATE traces SET span_count = 2, completed_at = COALESCE(completed_at, ?) WHERE trace_id = 'tr-open'").run(NOW);
    const after = getExperimentTraffic({ ctx, input: { experimentId: String(exp), range: "1h" } });
    expect(after.totals).toEqual({
      traces: 1,
      errors: 1,
      inProgress: 0,
      p50Ms: histogramQuantile(new Map([[latencyBin(1200), 1]]), 0.5),
      p95Ms: expect.any(Number),
    });
    expect([after.allTimeTraces, after.lastTraceAt]).toEqual([1, t0]);
  });

  it("answers an empty experiment with zero buckets, not an error", () => {
    const t = getExperimentTraffic({ ctx, input: { experimentId: emptyId, range: "7d" } });
    expect(t.buckets).toHaveLength(28);
    expect(t.totals).toEqual({ traces: 0, errors: 0, inProgress: 0, p50Ms: null, p95Ms: null });
    expect(t.allTimeTraces).toBe(0);
    expect(t.lastTraceAt).toBeNull();
  });

  it("refuses an unknown experiment", () => {
    expect(() => getExperimentTraffic({ ctx, input: { experimentId: "999" } })).toThrow(/No active Experiment/);
  });
});

describe("searchTracePage", () => {
  it("checks the experiment scope: a token limited to another experiment gets 403", async () => {
    const state = parseTraceQueryState({ range: "24h", size: "5" });
    const scoped = (experimentId: number) => ({ ...ctx, actor: { id: "token:scoped", role: "viewer" as const, experimentId } });
    await expect(searchTracePage({ ctx: scoped(Number(emptyId)), input: { experimentId: demoId, state } })).rejects.toBeInstanceOf(PermissionDeniedError);
    expect((await searchTracePage({ ctx: scoped(Number(demoId)), input: { experimentId: demoId, state } })).traces.length).toBeGreaterThan(0);
  });

  it("pages through the window with stable tokens", async () => {
    const state = parseTraceQueryState({ range: "24h", size: "25" });
    const p1 = await searchTracePage({ ctx, input: { experimentId: demoId, state } });
    expect(p1.traces).toHaveLength(25);
    expect(p1.nextPageToken).toBeDefined();
    const p2 = await searchTracePage({
      ctx: { ...ctx, now: () => NOW + 60_000 },
      input: { experimentId: demoId, state: { ...state, page: p1.nextPageToken, at: p1.anchor } },
    });
    const ids1 = new Set(p1.traces.map((t) => t.trace_id));
    expect(p2.traces.some((t) => ids1.has(t.trace_id))).toBe(false);
  });

  it("gives each listed trace its tokens and cost from its LLM spans, as a direct sum does", async () => {
    const p = await searchTracePage({ ctx, input: { experimentId: demoId, state: parseTraceQueryState({ range: "24h", size: "25" }) } });
    const usage = tracePageUsage(ctx, Number(demoId), p.traces);
    const direct = db.$client.prepare(
      `SELECT SUM(json_extract(attributes, '$."mlflow.chat.tokenUsage".total_tokens')) AS total,
         SUM(json_extract(attributes, '$."mlflow.chat.tokenUsage".input_tokens') * 0.15 + json_extract(attributes, '$."mlflow.chat.tokenUsage".output_tokens') * 0.6) / 1e6 AS cost
       FROM spans WHERE trace_id = ? AND json_extract(attributes, '$."gen_ai.request.model"') = 'gpt-4o-mini'`,
    );
    let priced = 0;
    for (const t of p.traces) {
      const d = direct.get(t.trace_id) as { total: number | null; cost: number | null };
      const u = usage.get(t.trace_id);
      if (d.total === null) expect(u).toBeUndefined();
      else {
        expect(u).toMatchObject({ totalTokens: d.total, unpriced: 0 });
        expect(u!.costUsd).toBeCloseTo(d.cost!, 12);
        priced++;
      }
    }
    expect(priced).toBeGreaterThan(0);
  });

  it("reports the user's filter error at the position they typed", async () => {
    const state = parseTraceQueryState({ q: "trace.status = 'OK' AND" });
    await expect(searchTracePage({ ctx, input: { experimentId: demoId, state } })).rejects.toThrow(/position 20.*dangling AND/);
  });
});

describe("validateFilter", () => {
  it.each([
    ["", 0],
    ["trace.status = 'ERROR' AND span.type = 'TOOL'", 2],
  ])("accepts %j", (filter, clauses) => {
    expect(validateFilter({ ctx, input: { filter } })).toEqual({ clauses });
  });
  it("throws the parser's error", () => {
    expect(() => validateFilter({ ctx, input: { filter: "trace.bogus = 1" } })).toThrow(/Invalid filter at position \d+ near .trace.bogus/);
  });
});

describe("countFilterMatches", () => {
  const direct = (where: string) =>
    db.$client
      .prepare(`SELECT COUNT(*) FROM traces WHERE experiment_id = ? AND completed_at IS NOT NULL AND request_time >= ? ${where}`)
      .pluck()
      .get(Number(demoId), NOW - 86_400_000) as number;
  it("counts the last 24 hours' traces a filter matches, as a direct count does", () => {
    const all = countFilterMatches({ ctx, input: { experimentId: demoId, filter: "" } })!;
    expect(all.total).toBe(direct(""));
    expect(all.total).toBeGreaterThan(0);
    expect(all.matched).toBe(all.total);
    const errors = countFilterMatches({ ctx, input: { experimentId: demoId, filter: "trace.status = 'ERROR'" } })!;
    expect(errors).toEqual({ matched: direct("AND state = 'ERROR'"), total: all.total, windowMs: 86_400_000 });
    expect(errors.matched).toBeLessThan(all.total);
    expect(countFilterMatches({ ctx, input: { experimentId: emptyId, filter: "" } })).toEqual({ matched: 0, total: 0, windowMs: 86_400_000 });
  });
  it("refuses a bad filter with the parser's message", () => {
    expect(() => countFilterMatches({ ctx, input: { experimentId: demoId, filter: "trace.bogus = 1" } })).toThrow(/Invalid filter/);
  });
});

describe("getTraceDetail", () => {
  it("loads a demo trace with its spans, and hides it behind another experiment's URL", async () => {
    const first = (await searchTracePage({ ctx, input: { experimentId: demoId, state: parseTraceQueryState({ size: "25" }) } })).traces[0]!;
    const d = await getTraceDetail({ ctx, input: { experimentId: demoId, traceId: first.trace_id } });
    expect(d.spans.length).toBeGreaterThan(1);
    await expect(getTraceDetail({ ctx, input: { experimentId: emptyId, traceId: first.trace_id } })).rejects.toThrow(/not in experiment/);
  });
});

describe("listExperimentOptions", () => {
  it("lists active experiments by name, and only the scoped one for a scoped token", () => {
    const names = listExperimentOptions({ ctx, input: {} }).map((o) => o.name);
    expect(names).toEqual([...names].sort());
    expect(names).toContain("support-agent");
    const scoped = listExperimentOptions({ ctx: { ...ctx, actor: { id: "t", role: "viewer", experimentId: Number(emptyId) } }, input: {} });
    expect(scoped).toEqual([{ experimentId: emptyId, name: "empty" }]);
  });
});
