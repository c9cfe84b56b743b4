// Jobs that target what they mean: a custom window with a filter on a backfill, an assessment of
// picked traces, and a summary of the selection that counts traces scored before the job too.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getJobSummary, jobTracesFilter } from "@/lib/engine/jobs";
import { scorerJobOutcomes } from "@/lib/read/scorers/scorer-job-outcomes";
import { serializeBuiltin } from "@/scorers";
import { startTestServer, type TestServer } from "../helpers/server";
import { addScorer, drain, engine, newExperiment, seedTraces } from "./engine.helpers";
import { api } from "./mlflow.helpers";

const DAY = 86_400_000;
const now = Date.now();
let s: TestServer;
let exp: number;
let ids: string[];

beforeAll(async () => {
  s = await startTestServer();
  exp = newExperiment(s.ctx, "job-targets");
  // Ten days, one trace every two hours; every third one failed.
  ids = await seedTraces(
    s.ctx,
    exp,
    "targets",
    Array.from({ length: 120 }, (_, i) => ({ startMs: now - 10 * DAY + i * 2 * 3_600_000, error: i % 3 === 0 })),
  );
  await drain(engine(s.ctx));
  addScorer(s.ctx, exp, { name: "errors", sampleRate: 0, serialized: serializeBuiltin({ name: "errors", className: "TraceError" }) });
});
afterAll(() => s.close());

const post = (kind: string, body: unknown) => api(s, "POST", `/api/v1/jobs/${kind}`, body);
const getJob = async (id: string) => (await api(s, "GET", `/api/v1/jobs/${id}`)).json;

describe("targeted jobs", () => {
  const start = now - 6 * DAY;
  const end = now - 3 * DAY;
  const inWindow = (i: number) => now - 10 * DAY + i * 2 * 3_600_000 >= start && now - 10 * DAY + i * 2 * 3_600_000 < end;
  const failedInWindow = Array.from({ length: 120 }, (_, i) => i).filter((i) => inWindow(i) && i % 3 === 0);

  it("backfills a custom 3-day window with a filter: only the matching traces", async () => {
    const r = await post("backfill", {
      experiment_id: String(exp),
      scorers: [{ name: "errors", sample_rate: 1 }],
      start_time_ms: start,
      end_time_ms: end,
      filter_string: "trace.status = 'ERROR'",
    });
    expect(r.status).toBe(202);
    await drain(engine(s.ctx));
    const j = await getJob(r.json.job_id);
    expect(j).toMatchObject({
      status: "SUCCEEDED",
      done: failedInWindow.length,
      failed: 0,
      skipped: 0,
      start_time_ms: start,
      end_time_ms: end,
      filter_string: "trace.status = 'ERROR'",
    });
    const sum = getJobSummary({ ctx: s.ctx, input: { job_id: r.json.job_id } });
    expect(sum.scorers).toEqual([
      {
        name: "errors",
        version: 1,
        assessed: failedInWindow.length,
        fromJob: failedInWindow.length,
        errors: 0,
        judged: failedInWindow.length,
        passed: 0,
        mean: null,
      },
    ]);
    expect(sum.tracesFilter).toBe(`trace.status = 'ERROR' AND trace.timestamp_ms >= ${start} AND trace.timestamp_ms < ${end}`);
  });

  it("refuses a bad backfill filter with the parser's message, creating nothing", async () => {
    const before = (await api(s, "GET", `/api/v1/jobs?experiment_id=${exp}`)).json.jobs.length;
    const r = await post("backfill", { experiment_id: String(exp), scorers: [{ name: "errors", sample_rate: 1 }], filter_string: "trace.status = " });
    expect(r.status).toBe(400);
    expect(r.json.message).toMatch(/Invalid filter/);
    expect((await api(s, "GET", `/api/v1/jobs?experiment_id=${exp}`)).json.jobs).toHaveLength(before);
  });

  it("assesses five picked traces; the summary counts those already scored, with a link filter", async () => {
    const picked = [failedInWindow[0]!, failedInWindow[1]!, 1, 2, 4].map((i) => ids[i]!);
    const r = await post("assess", { experiment_id: String(exp), scorers: ["errors"], trace_ids: picked });
    await drain(engine(s.ctx));
    expect(await getJob(r.json.job_id)).toMatchObject({ status: "SUCCEEDED", done: 3, skipped: 2, trace_ids_count: 5 });
    const sum = getJobSummary({ ctx: s.ctx, input: { job_id: r.json.job_id } });
    // Two of the five were failed traces the backfill had scored: they count, as not this job's.
    expect(sum.scorers[0]).toMatchObject({ assessed: 5, fromJob: 3, judged: 5, passed: 3, errors: 0 });
    expect(sum.tracesFilter).toBe(`trace.request_id IN (${picked.map((id) => `'${id}'`).join(", ")})`);
    const listed = await api(s, "POST", "/api/3.0/mlflow/traces/search", {
      locations: [{ type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: String(exp) } }],
      filter: sum.tracesFilter,
      max_results: 50,
    });
    expect(listed.status).toBe(200);
    expect(listed.json.traces.map((t: { trace_id: string }) => t.trace_id).sort()).toEqual([...picked].sort());
  });

  it("the scorer's funnel lists the jobs on traces of its range, with what each wrote", () => {
    // The 3-day backfill and the assessment of picked traces (no window: the traces of its creation time).
    const all = scorerJobOutcomes(s.ctx, exp, "errors", now - 7 * DAY, Date.now() + 1);
    expect(all.jobs.map((j) => [j.kind, j.scored, j.failed, j.startMs, j.endMs])).toEqual([
      ["assess", 3, 0, null, null],
      ["backfill", failedInWindow.length, 0, start, end],
    ]);
    expect(all).toMatchObject({ scored: 3 + failedInWindow.length, failed: 0 });
    // A range after the backfill's window and before the assessment: neither.
    expect(scorerJobOutcomes(s.ctx, exp, "errors", end, end + DAY).jobs).toEqual([]);
    expect(scorerJobOutcomes(s.ctx, exp, "no-such-scorer", now - 7 * DAY, now + 1).jobs).toEqual([]);
  });
});

describe("jobTracesFilter", () => {
  it.each([
    [{ scorers: [], startMs: null, endMs: null }, ""],
    [{ scorers: [], startMs: 5, endMs: 9, filterString: "trace.status = 'OK'" }, "trace.status = 'OK' AND trace.timestamp_ms >= 5 AND trace.timestamp_ms < 9"],
    [{ scorers: [], startMs: null, endMs: null, traceIds: ["tr-a", "tr-b"] }, "trace.request_id IN ('tr-a', 'tr-b')"],
    [{ scorers: [], startMs: null, endMs: null, traceIds: Array.from({ length: 101 }, (_, i) => `tr-${i}`) }, null],
  ])("%j -> %s", (p, want) => expect(jobTracesFilter(p)).toBe(want));
});
