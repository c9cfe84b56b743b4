import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assessments, spans, traces } from "@/db/schema";
import { startTestServer, type TestServer } from "../helpers/server";
import { addToken, api, createExperiment, seedTraces } from "./mlflow.helpers";

const T = "/api/3.0/mlflow/traces";
const T0 = Date.UTC(2025, 0, 15, 12, 0, 0, 0);

describe("MLflow traces REST (v3)", () => {
  let s: TestServer;
  let exp: string;
  beforeAll(async () => {
    s = await startTestServer();
    exp = await createExperiment(s, "traces");
  });
  afterAll(() => s.close());

  it("answers trace info as TraceInfoV3 with Timestamp and Duration strings", async () => {
    const [id] = await seedTraces(s.ctx, Number(exp), [{ startMs: T0 + 123, durationMs: 1840, session: "s-1" }]);
    const r = await api(s, "GET", `${T}/${id}`);
    expect(r.status).toBe(200);
    expect(r.json.trace.trace_info).toMatchObject({
      trace_id: id,
      trace_location: { type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: exp } },
      request_time: "2025-01-15T12:00:00.123Z",
      execution_duration: "1.840s",
      state: "OK",
      trace_metadata: { "mlflow.trace.session": "s-1" },
      tags: {},
      assessments: [],
    });
    expect(r.json.trace.trace_info.request_preview).toMatch(/^question/);
    expect(r.json.trace.trace_info.response_preview).toBe("an answer");
  });

  it("answers the full trace with spans in MLflow's OpenTelemetry JSON", async () => {
    const hex = "0123456789abcdef0123456789abcdef";
    const [id] = await seedTraces(s.ctx, Number(exp), [{ hex, startMs: T0, durationMs: 500, childAttributes: { "retrieval.k": 3 } }]);
    const r = await api(s, "GET", `${T}/get?trace_id=${id}`);
    expect(r.status).toBe(200);
    const { trace_info, spans: got } = r.json.trace;
    expect(trace_info.trace_id).toBe(id);
    expect(got).toHaveLength(2);
    const root = got.find((x: { parent_span_id?: string }) => !x.parent_span_id);
    const child = got.find((x: { parent_span_id?: string }) => x.parent_span_id);
    expect(Buffer.from(root.trace_id, "base64").toString("hex")).toBe(hex);
    expect(Buffer.from(child.parent_span_id, "base64")).toEqual(Buffer.from(root.span_id, "base64"));
    expect(root.start_time_unix_nano).toBe((BigInt(T0) * 1_000_000n).toString());
    expect(root.status).toEqual({ code: "STATUS_CODE_OK" });
    expect(root.kind).toBe("SPAN_KIND_INTERNAL");
    const attr = (span: { attributes: { key: string; value: unknown }[] }, key: string) => span.attributes.find((a) => a.key === key)?.value;
    // Attribute values travel decoded, as MLflow's server answers them (Span.to_otel_proto).
    expect(attr(root, "mlflow.spanType")).toEqual({ string_value: "AGENT" });
    expect(attr(root, "mlflow.spanInputs")).toMatchObject({ kvlist_value: { values: [{ key: "messages" }] } });
    expect(attr(child, "retrieval.k")).toEqual({ int_value: 3 });
    expect(attr(child, "mlflow.traceRequestId")).toEqual({ string_value: id });
  });

  it("batch-gets traces, leaving out unknown ids", async () => {
    const ids = await seedTraces(s.ctx, Number(exp), [{ startMs: T0 }, { startMs: T0 + 1 }]);
    const r = await api(s, "GET", `${T}/batchGet?trace_ids=${ids[1]}&trace_ids=tr-unknown&trace_ids=${ids[0]}`);
    expect(r.status).toBe(200);
    expect(r.json.traces.map((t: { trace_info: { trace_id: string } }) => t.trace_info.trace_id)).toEqual([ids[1], ids[0]]);
    expect(r.json.traces[0].spans).toHaveLength(2);
  });

  it("answers unknown traces with 404 RESOURCE_DOES_NOT_EXIST", async () => {
    for (const path of [`${T}/tr-nope`, `${T}/get?trace_id=tr-nope`]) {
      const r = await api(s, "GET", path);
      expect(r.status).toBe(404);
      expect(r.json.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
    }
    expect((await api(s, "GET", `${T}/get`)).status).toBe(400);
  });

  it("StartTraceV3 creates trace info, then overwrites the fields sent and merges maps", async () => {
    const trace_info = {
      trace_id: "tr-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      client_request_id: "req-1",
      trace_location: { type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: exp } },
      request_preview: "hello",
      request_time: "2025-01-15T12:00:00.5Z",
      execution_duration: "2.5s",
      state: "IN_PROGRESS",
      trace_metadata: { "mlflow.trace.user": "u1" },
      tags: { env: "dev" },
    };
    const created = await api(s, "POST", T, { trace: { trace_info } });
    expect(created.status).toBe(200);
    expect(created.json.trace.trace_info).toMatchObject({
      trace_id: trace_info.trace_id,
      client_request_id: "req-1",
      request_time: "2025-01-15T12:00:00.500Z",
      execution_duration: "2.500s",
      state: "IN_PROGRESS",
      tags: { env: "dev" },
    });
    const row0 = s.db.select().from(traces).where(eq(traces.traceId, trace_info.trace_id)).get()!;
    expect(row0.completedAt).toBeNull();

    const again = await api(s, "POST", T, {
      trace: { trace_info: { ...trace_info, state: "OK", response_preview: "bye", tags: { team: "ml" }, trace_metadata: {} } },
    });
    expect(again.json.trace.trace_info).toMatchObject({
      state: "OK",
      response_preview: "bye",
      tags: { env: "dev", team: "ml" },
      trace_metadata: { "mlflow.trace.user": "u1" },
    });
    const row = s.db.select().from(traces).where(eq(traces.traceId, trace_info.trace_id)).get()!;
    expect(row.completedAt).not.toBeNull();
    expect(row.endTimeMs).toBe(Date.parse("2025-01-15T12:00:00.500Z") + 2500);
  });

  it("StartTraceV3 validates its input", async () => {
    const base = {
      trace_id: "tr-b",
      trace_location: { type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: exp } },
      request_time: "2025-01-15T12:00:00Z",
    };
    const unknownExp = await api(s, "POST", T, { trace: { trace_info: { ...base, trace_location: { mlflow_experiment: { experiment_id: "777" } } } } });
    expect(unknownExp.status).toBe(404);
    const badTime = await api(s, "POST", T, { trace: { trace_info: { ...base, request_time: "yesterday" } } });
    expect(badTime.status).toBe(400);
    expect(badTime.json.message).toContain("request_time");
    const badDuration = await api(s, "POST", T, { trace: { trace_info: { ...base, execution_duration: "5 minutes" } } });
    expect(badDuration.status).toBe(400);
    expect((await api(s, "POST", T, { trace: {} })).status).toBe(400);
    expect((await api(s, "POST", T, "{")).status).toBe(400);
  });

  it("sets and deletes trace tags", async () => {
    const [id] = await seedTraces(s.ctx, Number(exp), [{ startMs: T0 }]);
    expect((await api(s, "PATCH", `${T}/${id}/tags`, { key: "review.status", value: "done" })).status).toBe(200);
    expect((await api(s, "GET", `${T}/${id}`)).json.trace.trace_info.tags).toEqual({ "review.status": "done" });
    expect((await api(s, "DELETE", `${T}/${id}/tags?key=review.status`)).status).toBe(200);
    expect((await api(s, "GET", `${T}/${id}`)).json.trace.trace_info.tags).toEqual({});
    const missing = await api(s, "DELETE", `${T}/${id}/tags`, { key: "review.status" });
    expect(missing.status).toBe(404);
    expect((await api(s, "PATCH", `${T}/tr-nope/tags`, { key: "a", value: "b" })).status).toBe(404);
    expect((await api(s, "PATCH", `${T}/${id}/tags`, { value: "b" })).status).toBe(400);
  });

  it("deletes traces by max timestamp (oldest first, max_traces) with their spans and assessments", async () => {
    const e = await createExperiment(s, "delete-by-time");
    const ids = await seedTraces(
      s.ctx,
      Number(e),
      [0, 1, 2, 3, 4].map((k) => ({ startMs: T0 + k * 1000 })),
    );
    await api(s, "POST", `${T}/${ids[0]}/assessments`, {
      assessment: { assessment_name: "ok", source: { source_type: "HUMAN", source_id: "me" }, feedback: { value: true } },
    });
    const r = await api(s, "POST", `${T}/delete-traces`, { experiment_id: e, max_timestamp_millis: String(T0 + 3000), max_traces: 2 });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ traces_deleted: 2 });
    const left = s.db
      .select({ id: traces.traceId })
      .from(traces)
      .where(eq(traces.experimentId, Number(e)))
      .all()
      .map((x) => x.id)
      .sort();
    expect(left).toEqual(ids.slice(2).sort());
    expect(s.db.select().from(spans).where(eq(spans.traceId, ids[0]!)).all()).toEqual([]);
    expect(s.db.select().from(assessments).where(eq(assessments.traceId, ids[0]!)).all()).toEqual([]);

    const rest = await api(s, "POST", `${T}/delete-traces`, { experiment_id: e, max_timestamp_millis: T0 + 3000 });
    expect(rest.json).toEqual({ traces_deleted: 2 });
  });

  it("deletes traces by id, only within the experiment named", async () => {
    const e = await createExperiment(s, "delete-by-id");
    const ids = await seedTraces(s.ctx, Number(e), [{ startMs: T0 }, { startMs: T0 }]);
    const [other] = await seedTraces(s.ctx, Number(exp), [{ startMs: T0 }]);
    const r = await api(s, "POST", `${T}/delete-traces`, { experiment_id: e, request_ids: [ids[0], other] });
    expect(r.json).toEqual({ traces_deleted: 1 });
    expect((await api(s, "GET", `${T}/${ids[0]}`)).status).toBe(404);
    expect((await api(s, "GET", `${T}/${other}`)).status).toBe(200);
  });

  it("refuses ambiguous deletes, unknown experiments, and non-admins", async () => {
    const both = await api(s, "POST", `${T}/delete-traces`, { experiment_id: exp, max_timestamp_millis: 1, request_ids: ["tr-x"] });
    expect(both.status).toBe(400);
    expect((await api(s, "POST", `${T}/delete-traces`, { experiment_id: exp })).status).toBe(400);
    expect((await api(s, "POST", `${T}/delete-traces`, { experiment_id: exp, max_timestamp_millis: 1, max_traces: 0 })).status).toBe(400);
    expect((await api(s, "POST", `${T}/delete-traces`, { experiment_id: "999", max_timestamp_millis: 1 })).status).toBe(404);
    const op = addToken(s, "operator");
    expect((await api(s, "POST", `${T}/delete-traces`, { experiment_id: exp, max_timestamp_millis: 1 }, op)).status).toBe(403);
  });

  it("keeps experiment-scoped tokens to their experiment", async () => {
    const other = await createExperiment(s, "scoped-other");
    const [id] = await seedTraces(s.ctx, Number(other), [{ startMs: T0 }]);
    const scoped = addToken(s, "viewer", Number(exp));
    expect((await api(s, "GET", `${T}/${id}`, undefined, scoped)).status).toBe(403);
  });

  it("serves the v2 trace info path for older clients", async () => {
    const [id] = await seedTraces(s.ctx, Number(exp), [{ startMs: T0, durationMs: 250 }]);
    const r = await api(s, "GET", `/api/2.0/mlflow/traces/${id}/info`);
    expect(r.json.trace_info).toMatchObject({ request_id: id, experiment_id: exp, timestamp_ms: T0, execution_time_ms: 250, status: "OK" });
  });
});
