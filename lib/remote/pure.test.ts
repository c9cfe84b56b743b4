import { describe, expect, it } from "vitest";
import { desiredConfig } from "./sync-scorers";
import { findOurs, markerOf } from "./assessment-markers";
import { parseNames, wanted } from "./link-experiments";
import { after, jobFilter, stillOpen, windowFilter } from "./source";
import { verdictToOverride } from "./sessions";
import { redactUri } from "./status";
import { trafficOf, TRAFFIC_BUCKET_MS } from "./traffic";
import { mlflowRunsOnline, vigilRunsOnline } from "./mlflow-runnable";
import { serializeBuiltin, serializeInstructionsJudge } from "@/scorers";
import type { TraceInfoV3 } from "@/lib/mlflow/types";

describe("remote engine decisions", () => {
  it.each([
    [10, "tr-b", 10, "tr-a", true],
    [10, "tr-a", 10, "tr-a", false],
    [10, "tr-a", 10, "tr-b", false],
    [11, "tr-a", 10, "tr-z", true],
    [9, "tr-z", 10, "tr-a", false],
  ])("(%i, %s) after cursor (%i, %s): %s", (ts, id, cts, cid, want) => expect(after(ts, id, cts, cid)).toBe(want));

  it.each([
    ["vigil", { sample_rate: 0.5, filter_string: "trace.status = 'OK'", paused_reason: null }, true, { sample_rate: 0, filter_string: "trace.status = 'OK'" }],
    ["mlflow", { sample_rate: 0.5, filter_string: null, paused_reason: null }, true, { sample_rate: 0.5, filter_string: null }],
    ["mlflow", { sample_rate: 0.5, filter_string: null, paused_reason: null }, false, { sample_rate: 0, filter_string: null }],
    ["mlflow", { sample_rate: 0.5, filter_string: "", paused_reason: "incident" }, true, { sample_rate: 0, filter_string: null }],
    ["mlflow", { sample_rate: null, filter_string: null, paused_reason: null }, true, { sample_rate: 0, filter_string: null }],
  ] as const)("MLflow's config when %s scores %j (MLflow can run it: %s)", (by, local, can, want) => expect(desiredConfig(by, local, can)).toEqual(want));

  it.each([
    [serializeBuiltin({ name: "safety", className: "Safety" }), true, "vigil", true],
    [serializeBuiltin({ name: "safety", className: "Safety" }), true, "mlflow", false],
    [serializeBuiltin({ name: "len", className: "ResponseLength", params: { max: 10 } }), false, "mlflow", true],
    [serializeInstructionsJudge({ name: "tone", instructions: "Is {{ outputs }} polite?", model: "openai:/gpt-4o-mini" }), true, "mlflow", false],
    // Python @scorer functions: Databricks runs them online and Vigil cannot, so they stay MLflow's.
    [JSON.stringify({ name: "f", call_source: "return 1", call_signature: "(outputs)", original_func_name: "f" }), true, "mlflow", false],
    [JSON.stringify({ name: "m", vigil_scorer_module: { module: "x", params: {} } }), false, "mlflow", true],
    ["not json", true, "mlflow", false],
  ] as const)("scorer %s: MLflow runs it online %s; Vigil runs it when %s scores: %s", (serialized, mlflow, by, vigil) => {
    expect(mlflowRunsOnline(serialized)).toBe(mlflow);
    expect(vigilRunsOnline(by, serialized)).toBe(vigil);
  });

  it("searches a window without evaluation-run traces", () => {
    expect(windowFilter(100, 200)).toBe("trace.timestamp_ms >= 100 AND trace.timestamp_ms <= 200 AND metadata.`mlflow.sourceRun` IS NULL");
  });

  it.each([
    ["backfill", { scorers: [], startMs: 5, endMs: 9 }, null, "trace.timestamp_ms >= 5 AND trace.timestamp_ms < 9 AND metadata.`mlflow.sourceRun` IS NULL"],
    ["backfill", { scorers: [], startMs: 5, endMs: 9 }, 7, "trace.timestamp_ms >= 7 AND trace.timestamp_ms < 9 AND metadata.`mlflow.sourceRun` IS NULL"],
    ["assess", { scorers: [], startMs: null, endMs: 9, filterString: "trace.status = 'OK'" }, null, "trace.timestamp_ms < 9 AND trace.status = 'OK'"],
    ["assess", { scorers: [], startMs: null, endMs: null }, null, ""],
  ] as const)("job filter for %s %j from %s", (kind, p, from, want) =>
    expect(jobFilter(kind, { ...p, scorers: [] }, from ?? (p.startMs as number | null))).toBe(want),
  );

  it.each([
    [{ state: "IN_PROGRESS", request_time: new Date(1_000).toISOString() }, 2_000, 5_000, true],
    [{ state: "IN_PROGRESS", request_time: new Date(1_000).toISOString() }, 10_000, 5_000, false],
    [{ state: "OK", request_time: new Date(1_000).toISOString() }, 2_000, 5_000, false],
  ] as const)("%j still open at %i with quiet %i: %s", (info, now, quiet, want) => expect(stillOpen(info as unknown as TraceInfoV3, now, quiet)).toBe(want));

  it("recognises its own assessments by scorer id and version", () => {
    const a = (md: Record<string, string>) => ({ assessment_id: "a-1", metadata: md }) as unknown as TraceInfoV3["assessments"][number];
    expect(markerOf(a({ "vigil.scorer_id": "s1", "vigil.scorer_version": "3" }))).toEqual({ scorerId: "s1", version: 3 });
    expect(markerOf(a({ "vigil.scorer_id": "s1", "vigil.scorer_version": "x" }))).toBeNull();
    expect(markerOf(a({ scorer_version: "3" }))).toBeNull();
    const info = { assessments: [a({ "vigil.scorer_id": "s1", "vigil.scorer_version": "2" }), a({ "vigil.scorer_id": "s1", "vigil.scorer_version": "3" })] };
    expect(findOurs(info, "s1", 3)).toBe(info.assessments[1]);
    expect(findOurs(info, "s1", 4)).toBeUndefined();
  });

  it.each([
    [undefined, null],
    ["", null],
    [" a , b ,", ["a", "b"]],
  ])("experiment names %j", (setting, want) => expect(parseNames(setting)).toEqual(want));

  it.each([
    [{ name: "a", lifecycle_stage: "active" }, null, true],
    [{ name: "a", lifecycle_stage: "deleted" }, null, false],
    [{ name: "a", lifecycle_stage: "active" }, ["b"], false],
    [{ name: "b", lifecycle_stage: "active" }, ["a", "b"], true],
  ])("wants %j of %j: %s", (e, names, want) => expect(wanted({ experiment_id: "1", tags: {}, ...e }, names)).toBe(want));

  it.each([
    ["http://user:secret@mlflow:5000/", "http://mlflow:5000"],
    ["https://mlflow.example.com/prefix", "https://mlflow.example.com/prefix"],
  ])("redacts %s", (uri, want) => expect(redactUri(uri)).toBe(want));

  it("groups traces into 5-minute buckets with errors and a latency histogram", () => {
    const at = (ms: number) => new Date(ms).toISOString();
    const info = (ms: number, state: string, duration?: string) =>
      ({ trace_id: `tr-${ms}`, request_time: at(ms), state, execution_duration: duration }) as unknown as TraceInfoV3;
    const b0 = 10 * TRAFFIC_BUCKET_MS;
    const out = trafficOf([
      info(b0 + 1, "OK", "1.000s"),
      info(b0 + 2, "ERROR", "0.200s"),
      info(b0 + TRAFFIC_BUCKET_MS, "IN_PROGRESS", "5s"),
      info(b0 + 3, "OK"),
    ]);
    expect(out).toEqual([
      {
        bucketMs: b0,
        traces: 3,
        errors: 1,
        latency: new Map([
          [142, 1],
          [109, 1],
        ]),
        lastTraceAt: b0 + 3,
      },
      { bucketMs: b0 + TRAFFIC_BUCKET_MS, traces: 1, errors: 0, latency: new Map(), lastTraceAt: b0 + TRAFFIC_BUCKET_MS },
    ]);
  });
});

describe("which session verdict a new one overrides on MLflow (shadow versions form a line apart)", () => {
  const v = (id: string, version: number, at: string, o: { shadow?: boolean; valid?: boolean; session?: string } = {}) => ({
    assessment_id: id,
    assessment_name: "rq",
    trace_id: "tr-1",
    source: { source_type: "CODE" as const, source_id: "rq" },
    create_time: at,
    last_update_time: at,
    valid: o.valid ?? true,
    metadata: {
      "vigil.scorer_id": "sc-1",
      "vigil.scorer_version": String(version),
      "mlflow.assessment.onlineScoringSessionId": o.session ?? "s-1",
      ...(o.shadow ? { "vigil.shadow": "true" } : {}),
    },
  });
  const live1 = v("a-live1", 1, "2026-01-01T10:00:00Z");
  const shadow2 = v("a-shadow2", 2, "2026-01-01T10:00:01Z", { shadow: true });
  const live1b = v("a-live1b", 1, "2026-01-01T11:00:00Z");
  const other = v("a-other", 1, "2026-01-01T12:00:00Z", { session: "s-2" });
  const stale = v("a-stale", 1, "2026-01-01T13:00:00Z", { valid: false });
  it.each([
    ["a live verdict overrides the latest live one, not a shadow's", [live1, shadow2, live1b, other, stale], { scorerVersion: 1, shadow: false }, "a-live1b"],
    ["a shadow's overrides its own version's only", [live1, shadow2, live1b], { scorerVersion: 2, shadow: true }, "a-shadow2"],
    ["a shadow's first verdict overrides nothing", [live1, live1b], { scorerVersion: 2, shadow: true }, undefined],
    [
      "after promotion, version 2 live overrides its shadow-era verdict when it is the latest",
      [live1, shadow2],
      { scorerVersion: 2, shadow: false },
      "a-shadow2",
    ],
    ["a new live version overrides the older version's live verdict", [live1], { scorerVersion: 3, shadow: false }, "a-live1"],
  ])("%s", (_what, assessments, line, want) => {
    expect(verdictToOverride({ assessments }, "s-1", "sc-1", line)?.assessment_id).toBe(want);
  });
});
