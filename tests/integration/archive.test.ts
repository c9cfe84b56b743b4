import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { archivedTraces, assessments, auditLog, jobs, spans, traces } from "@/db/schema";
import {
  getArchivalStatus,
  hotRowsFromArchive,
  maintenanceTick,
  processArchiveQueue,
  processHistoryJobs,
  setArchival,
  traceDataFromArchive,
} from "@/lib/archive";
import { createAssessment, deleteAssessment, updateAssessment } from "@/lib/assessments";
import { loadTraceData } from "@/lib/mlflow/convert";
import { setTraceTag } from "@/lib/traces";
import { startTestServer, type TestServer } from "../helpers/server";
import { insertEngineScore } from "./archive.helpers";
import { addToken, api, createExperiment, seedTraces } from "./mlflow.helpers";

const T0 = Date.UTC(2025, 2, 10, 9, 30);
const human = { source_type: "HUMAN", source_id: "reviewer@example.com" } as const;

describe("trace archival", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  const archivedRow = (id: string) => s.db.select().from(archivedTraces).where(eq(archivedTraces.traceId, id)).get();

  it("archives every field of a trace, its spans and its assessments exactly", async () => {
    const exp = Number(await createExperiment(s, "archive-exact"));
    const [a, b] = (await seedTraces(s.ctx, exp, [
      { startMs: T0, durationMs: 1840, session: "session-7", childAttributes: { "retrieval.k": 3, nested: { x: [1, 2] } } },
      { startMs: T0 + 5000, durationMs: 20, error: true, name: "agent-failing" },
    ])) as [string, string];
    s.db.update(traces).set({ clientRequestId: "client-req-1" }).where(eq(traces.traceId, a)).run();
    setTraceTag({ ctx: s.ctx, input: { trace_id: a, key: "team", value: "support" } });
    const rootSpan = s.db
      .select()
      .from(spans)
      .where(eq(spans.traceId, a))
      .all()
      .find((x) => x.parentSpanId === null)!;
    const fb = createAssessment({
      ctx: s.ctx,
      input: {
        trace_id: a,
        assessment: {
          assessment_name: "helpfulness",
          source: human,
          span_id: rootSpan.spanId,
          feedback: { value: 4 },
          rationale: "clear",
          metadata: { team: "qa" },
        },
      },
    }).assessment;
    createAssessment({
      ctx: s.ctx,
      input: {
        trace_id: a,
        assessment: {
          assessment_name: "expected",
          source: human,
          expectation: { serialized_value: { serialization_format: "JSON_FORMAT", value: '{"k":1}' } },
        },
      },
    });
    createAssessment({
      ctx: s.ctx,
      input: {
        trace_id: a,
        assessment: {
          assessment_name: "helpfulness",
          source: human,
          feedback: { value: 2 },
          overrides: fb.assessment_id,
        },
      },
    });
    insertEngineScore(s.ctx, { traceId: a, experimentId: exp, scorer: "safety", version: 3, value: "yes", at: T0 + 60_000, judge: true });
    insertEngineScore(s.ctx, {
      traceId: b,
      experimentId: exp,
      scorer: "safety",
      version: 3,
      error: { error_code: "RATE_LIMITED", error_message: "429" },
      at: T0 + 61_000,
    });

    setArchival({ ctx: s.ctx, input: { experimentId: exp, enabled: true } });
    maintenanceTick(s.ctx);

    for (const id of [a, b]) {
      const row = archivedRow(id)!;
      expect(row).toBeDefined();
      // The protocol view (TraceInfoV3 + spans + assessments) is identical...
      expect(traceDataFromArchive(row)).toEqual(loadTraceData(s.db, id));
      // ...and so is every stored column of spans and assessments, scorer provenance included.
      const back = hotRowsFromArchive(row);
      expect(back.spans).toEqual(s.db.select().from(spans).where(eq(spans.traceId, id)).orderBy(spans.startMs, spans.spanId).all());
      expect(back.assessments).toEqual(
        s.db.select().from(assessments).where(eq(assessments.traceId, id)).orderBy(assessments.createTime, assessments.assessmentId).all(),
      );
      const hot = s.db.select().from(traces).where(eq(traces.traceId, id)).get()!;
      // Write-path bookkeeping, not trace fields: a restored row is marked anew (completionRecorded 0, so the triggers record it).
      const { completedAt: _c, lastSpanAt: _l, completionRecorded: _r, ...traceFields } = hot;
      const { completedAt: _c2, lastSpanAt: _l2, completionRecorded: _r2, ...backFields } = back.trace;
      expect(backFields).toEqual(traceFields);
    }
    // MLflow's archived-table columns hold MLflow's shapes.
    const row = archivedRow(a)!;
    expect(JSON.parse(row.traceLocation)).toEqual({ type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: String(exp) } });
    expect(JSON.parse(row.tags)).toEqual({ team: "support" });
    expect(JSON.parse(row.traceMetadata)).toMatchObject({ "mlflow.trace.session": "session-7" });
    const span0 = JSON.parse(row.spans)[0];
    expect(Object.keys(span0)).toEqual(
      expect.arrayContaining(["span_id", "trace_id", "parent_id", "start_time", "end_time", "status_code", "status_message", "name", "attributes", "events"]),
    );
    expect(JSON.parse(archivedRow(b)!.spans).find((x: { parent_id: string | null }) => x.parent_id === null).events[0].name).toBe("exception");
  });

  it("brings later assessment changes, tags and completions into the archive", async () => {
    const exp = Number(await createExperiment(s, "archive-changes"));
    setArchival({ ctx: s.ctx, input: { experimentId: exp, enabled: true } });
    const [done, open] = (await seedTraces(s.ctx, exp, [{ startMs: T0 }, { startMs: T0 + 1, durationMs: null }])) as [string, string];
    maintenanceTick(s.ctx);
    expect(archivedRow(done)).toBeDefined();
    expect(archivedRow(open)).toBeUndefined(); // incomplete traces wait

    const names = () =>
      JSON.parse(archivedRow(done)!.assessments).map((x: { assessment_name: string; feedback?: { value: unknown } }) => [x.assessment_name, x.feedback?.value]);
    const created = createAssessment({
      ctx: s.ctx,
      input: { trace_id: done, assessment: { assessment_name: "tone", source: human, feedback: { value: "yes" } } },
    }).assessment;
    expect(getArchivalStatus({ ctx: s.ctx, input: { experimentId: exp } }).archival[0]!.pending_traces).toBe(1);
    maintenanceTick(s.ctx);
    expect(names()).toEqual([["tone", "yes"]]);

    updateAssessment({
      ctx: s.ctx,
      input: { trace_id: done, assessment_id: created.assessment_id, assessment: { feedback: { value: "no" } }, update_mask: "feedback" },
    });
    maintenanceTick(s.ctx);
    expect(names()).toEqual([["tone", "no"]]);

    setTraceTag({ ctx: s.ctx, input: { trace_id: done, key: "reviewed", value: "1" } });
    deleteAssessment({ ctx: s.ctx, input: { trace_id: done, assessment_id: created.assessment_id } });
    maintenanceTick(s.ctx);
    expect(names()).toEqual([]);
    expect(JSON.parse(archivedRow(done)!.tags)).toEqual({ reviewed: "1" });

    // The quiet period completes the open trace: the completion trigger queues it.
    s.db
      .update(traces)
      .set({ completedAt: T0 + 10_000 })
      .where(eq(traces.traceId, open))
      .run();
    maintenanceTick(s.ctx);
    expect(traceDataFromArchive(archivedRow(open)!)).toEqual(loadTraceData(s.db, open));
    expect(getArchivalStatus({ ctx: s.ctx, input: { experimentId: exp } }).archival[0]).toMatchObject({ enabled: true, archived_traces: 2, pending_traces: 0 });
  });

  it("archives the history of an experiment as a job whose progress advances", async () => {
    const exp = Number(await createExperiment(s, "archive-history"));
    const list = Array.from({ length: 450 }, (_, k) => ({ startMs: T0 + k * 1000, durationMs: k % 50 === 0 ? null : 10 }));
    await seedTraces(s.ctx, exp, list);
    const status = setArchival({ ctx: s.ctx, input: { experimentId: exp, enabled: true, retentionDays: 30 } }).archival;
    expect(status.history_job).toMatchObject({ status: "QUEUED", total: 450, done: 0 });
    const job = () => s.db.select().from(jobs).where(eq(jobs.jobId, status.history_job!.job_id)).get()!;
    expect(job().kind).toBe("archive_history");

    expect(processHistoryJobs({ ctx: s.ctx, input: { maxTraces: 200 } })).toEqual({ walked: 200, archived: 196 });
    expect(job()).toMatchObject({ status: "RUNNING", done: 200, total: 450 });
    processHistoryJobs({ ctx: s.ctx, input: { maxTraces: 200 } });
    expect(job()).toMatchObject({ status: "RUNNING", done: 400 });
    processHistoryJobs({ ctx: s.ctx, input: { maxTraces: 200 } });
    expect(job()).toMatchObject({ status: "SUCCEEDED", done: 450, total: 450 });
    expect(job().finishedAt).not.toBeNull();
    // 9 traces were still open: they come through the queue once complete.
    const st = getArchivalStatus({ ctx: s.ctx, input: { experimentId: exp } }).archival[0]!;
    expect(st).toMatchObject({ archived_traces: 441, retention_days: 30, history_job: { status: "SUCCEEDED", done: 450 } });
  });

  it("stops queueing and cancels the history job when disabled, and audits both changes", async () => {
    const exp = Number(await createExperiment(s, "archive-disable"));
    await seedTraces(s.ctx, exp, [{ startMs: T0 }, { startMs: T0 + 1 }]);
    const jobId = setArchival({ ctx: s.ctx, input: { experimentId: exp, enabled: true, reason: "keep for audits" } }).archival.history_job!.job_id;
    const off = setArchival({ ctx: s.ctx, input: { experimentId: exp, enabled: false } }).archival;
    expect(off).toMatchObject({ enabled: false, pending_traces: 0, history_job: { job_id: jobId, status: "CANCELLED" } });
    const [t] = (await seedTraces(s.ctx, exp, [{ startMs: T0 + 2 }])) as [string];
    expect(processArchiveQueue({ ctx: s.ctx, input: {} }).archived).toBe(0);
    expect(archivedRow(t)).toBeUndefined();
    const audit = s.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.entityId, String(exp)))
      .all()
      .filter((r) => r.entityType === "archival");
    expect(audit.map((r) => [r.action, r.reason])).toEqual([
      ["archival.enable", "keep for audits"],
      ["archival.disable", null],
    ]);
  });

  it("serves settings and status over REST, to admins for changes and viewers for reading", async () => {
    const exp = await createExperiment(s, "archive-rest");
    const on = await api(s, "POST", "/api/v1/archival", { experiment_id: exp, enabled: true, retention_days: 14 });
    expect(on.status).toBe(200);
    expect(on.json.archival).toMatchObject({ experiment_id: exp, enabled: true, retention_days: 14, history_job: null });

    const viewer = addToken(s, "viewer");
    const one = await api(s, "GET", `/api/v1/archival?experiment_id=${exp}`, undefined, viewer);
    expect(one.status).toBe(200);
    expect(one.json.archival).toEqual([on.json.archival]);
    const all = await api(s, "GET", "/api/v1/archival", undefined, viewer);
    expect(all.json.archival.map((x: { experiment_id: string }) => x.experiment_id)).toContain(exp);

    const denied = await api(s, "POST", "/api/v1/archival", { experiment_id: exp, enabled: false }, viewer);
    expect(denied.status).toBe(403);
    expect(denied.json.error_code).toBe("PERMISSION_DENIED");
    const bad = await api(s, "POST", "/api/v1/archival", { experiment_id: exp, enabled: true, retention_days: 0 });
    expect(bad.status).toBe(400);
    expect(bad.json.error_code).toBe("INVALID_PARAMETER_VALUE");
    expect((await api(s, "POST", "/api/v1/archival", { experiment_id: "999999", enabled: true })).status).toBe(404);
    // Retention can be cleared while archival stays on.
    const cleared = await api(s, "POST", "/api/v1/archival", { experiment_id: exp, enabled: true, retention_days: null });
    expect(cleared.json.archival).toMatchObject({ enabled: true, retention_days: null });
  });
});
