// Assess and backfill jobs over Vigil's REST (real HTTP), worked by an in-process engine.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { finishDrainedJobs, jobStep } from "@/lib/engine/jobs";
import { SOURCE_RUN_ID_KEY } from "@/lib/engine";
import type { EngineEvent } from "@/lib/engine/engine-context";
import { serializeBuiltin } from "@/scorers";
import { startTestServer, type TestServer } from "../helpers/server";
import { addScorer, drain, engine, expectedPairs, newExperiment, seedTraces, storedPairs } from "./engine.helpers";
import { api } from "./mlflow.helpers";

const DAY = 86_400_000;
let s: TestServer;
let exp: number;
let ids: string[];
const now = Date.now();

const length = serializeBuiltin({ name: "length", className: "ResponseLength", params: { max: 1000 } });
const json = serializeBuiltin({ name: "json", className: "JsonValid" });
const errors = serializeBuiltin({ name: "errors", className: "TraceError" });

beforeAll(async () => {
  s = await startTestServer();
  exp = newExperiment(s.ctx, "jobs");
  // Traces first, then a pass with no scorers: online scoring has taken them and left them alone.
  ids = await seedTraces(
    s.ctx,
    exp,
    "jobs",
    Array.from({ length: 120 }, (_, i) => ({ startMs: now - 2 * DAY + i * 1000, error: i % 4 === 0 })),
  );
  await seedTraces(
    s.ctx,
    exp,
    "old",
    Array.from({ length: 10 }, (_, i) => ({ startMs: now - 9 * DAY + i })),
  );
  await seedTraces(
    s.ctx,
    exp,
    "evalrun",
    Array.from({ length: 5 }, (_, i) => ({ startMs: now - DAY + i, sourceRun: "run-9" })),
  );
  await drain(engine(s.ctx));
  addScorer(s.ctx, exp, { name: "length", sampleRate: 0.5, serialized: length });
  addScorer(s.ctx, exp, { name: "json", sampleRate: 0.3, serialized: json });
  addScorer(s.ctx, exp, { name: "errors", sampleRate: 0, serialized: errors });
  addScorer(s.ctx, exp, {
    name: "python",
    sampleRate: 0,
    serialized: JSON.stringify({ name: "python", call_source: "x", call_signature: "()", original_func_name: "f" }),
  });
});
afterAll(() => s.close());

const post = (path: string, body: unknown) => api(s, "POST", `/api/v1/jobs/${path}`, body);
const getJob = async (id: string) => (await api(s, "GET", `/api/v1/jobs/${id}`)).json;
const runJobs = () => drain(engine(s.ctx, { batchSize: 25 }));

describe("POST /api/v1/jobs validation", () => {
  it.each([
    ["assess", { experiment_id: "1" }, 400, /'scorers'/],
    ["assess", { experiment_id: "1", scorers: [] }, 400, /name at least one scorer/],
    ["assess", { experiment_id: "1", scorers: ["length"], trace_id: ["x"] }, 400, /Unrecognized key.*trace_id/],
    [
      "assess",
      { experiment_id: "1", scorers: ["length"], trace_ids: ["x"], filter_string: "trace.status = 'OK'" },
      400,
      /trace_ids or filter_string, not both/,
    ],
    [
      "assess",
      { experiment_id: "1", scorers: ["length"], filter_string: "trace.status = 'OK' OR trace.name = 'x'" },
      400,
      /Invalid filter at position \d+ near 'OR': OR is not supported/,
    ],
    ["assess", { experiment_id: "1", scorers: ["length"], start_time_ms: 10, end_time_ms: 5 }, 400, /must be before end_time_ms/],
    ["assess", { experiment_id: "1", scorers: ["nope"] }, 404, /Scorer 'nope' not registered in experiment 1/],
    ["assess", { experiment_id: "1", scorers: ["python"] }, 400, /cannot run in Vigil.*Python/],
    ["assess", { experiment_id: "1", scorers: ["length", "length"] }, 400, /listed twice/],
    [
      "assess",
      { experiment_id: "1", scorers: ["length"], trace_ids: ["tr-00000000000000000000000000000000"] },
      404,
      /Traces not found in experiment 1: tr-0+\./,
    ],
    ["assess", { experiment_id: "999", scorers: ["length"] }, 404, /No active Experiment with id=999/],
    ["backfill", { experiment_id: "1", scorers: [{ name: "length", sample_rate: 1.5 }] }, 400, /sample_rate must be at most 1/],
    ["backfill", { experiment_id: "1", scorers: [{ name: "length", sample_rate: 0 }] }, 400, /sample_rate must be above 0/],
    ["backfill", { experiment_id: "1", scorers: ["errors"] }, 400, /not started .* give it a sample_rate/],
    ["backfill", { experiment_id: "1", scorers: [{ name: "ghost", sample_rate: 0.5 }] }, 404, /Scorer 'ghost' not registered/],
  ])("%s %j -> %i", async (kind, body, status, message) => {
    const r = await post(kind, { ...body, experiment_id: body.experiment_id === "1" ? String(exp) : body.experiment_id });
    expect(r.status).toBe(status);
    expect(r.json.message.replace(`experiment ${exp}`, "experiment 1")).toMatch(message);
  });

  it("answers 404 for an unknown job", async () => {
    const r = await api(s, "GET", "/api/v1/jobs/job-nope");
    expect(r).toEqual({ status: 404, json: { error_code: "RESOURCE_DOES_NOT_EXIST", message: "Job 'job-nope' not found." } });
  });
});

describe("assess jobs", () => {
  let jobId: string;

  it("scores every selected trace with every scorer, as one evaluation run", async () => {
    const r = await post("assess", { experiment_id: String(exp), scorers: ["length", "errors"], filter_string: "trace.status = 'ERROR'" });
    expect(r.status).toBe(202);
    jobId = r.json.job_id;
    expect(jobId).toMatch(/^job-[0-9a-f]{32}$/);
    expect(await getJob(jobId)).toMatchObject({
      job_id: jobId,
      kind: "assess",
      status: "QUEUED",
      total: 60,
      done: 0,
      failed: 0,
      traces_total: 30,
      started_at: null,
    });
    await runJobs();
    const j = await getJob(jobId);
    expect(j).toMatchObject({ status: "SUCCEEDED", total: 60, done: 60, failed: 0, skipped: 0, traces_scanned: 30, scorers: ["length", "errors"] });
    expect(j.finished_at).toBeGreaterThanOrEqual(j.started_at);
    const rows = s.db.$client.prepare("SELECT trace_id, name, run_id, metadata FROM assessments WHERE run_id = ?").all(jobId) as {
      trace_id: string;
      metadata: string;
    }[];
    expect(rows).toHaveLength(60);
    expect(new Set(rows.map((r) => r.trace_id))).toEqual(new Set(ids.filter((_, i) => i % 4 === 0)));
    expect(JSON.parse(rows[0]!.metadata)[SOURCE_RUN_ID_KEY]).toBe(jobId);
  });

  it("a rerun does not rescore what the same scorer versions already scored", async () => {
    const before = storedPairs(s.ctx, exp).length;
    const r = await post("assess", { experiment_id: String(exp), scorers: ["length", "errors"], filter_string: "trace.status = 'ERROR'" });
    await runJobs();
    expect(await getJob(r.json.job_id)).toMatchObject({ status: "SUCCEEDED", total: 60, done: 0, skipped: 60 });
    expect(storedPairs(s.ctx, exp).length).toBe(before);
  });

  it("a new scorer version is scored again (the pair is trace, scorer, version)", async () => {
    addScorer(s.ctx, exp, { name: "errors", sampleRate: 0, serialized: errors });
    const some = ids.slice(0, 3);
    const r = await post("assess", { experiment_id: String(exp), scorers: ["errors"], trace_ids: some });
    await runJobs();
    expect(await getJob(r.json.job_id)).toMatchObject({ status: "SUCCEEDED", total: 3, done: 3, skipped: 0 });
    const v2 = s.db.$client.prepare("SELECT COUNT(*) AS n FROM assessments WHERE name = 'errors' AND scorer_version = 2").get() as { n: number };
    expect(v2.n).toBe(3);
  });

  it("lists jobs newest first, by experiment and status", async () => {
    const all = await api(s, "GET", `/api/v1/jobs?experiment_id=${exp}`);
    expect(all.json.jobs.length).toBe(3);
    expect(all.json.jobs[2].job_id).toBe(jobId);
    const none = await api(s, "GET", `/api/v1/jobs?experiment_id=${exp}&status=RUNNING`);
    expect(none.json.jobs).toEqual([]);
    const bad = await api(s, "GET", "/api/v1/jobs?status=DONE");
    expect(bad.status).toBe(400);
  });
});

describe("backfill jobs", () => {
  it("samples exactly as online scoring would (default window: the last 7 days, no evaluation traces)", async () => {
    const r = await post("backfill", { experiment_id: String(exp), scorers: ["json"] });
    expect(r.status).toBe(202);
    expect(await getJob(r.json.job_id)).toMatchObject({ kind: "backfill", status: "QUEUED", traces_total: 120 });
    await runJobs();
    // The sampling set is every started scorer (length 0.5, json 0.3), as online decides it.
    const want = [
      ...expectedPairs(
        ids,
        [
          { name: "length", sampleRate: 0.5 },
          { name: "json", sampleRate: 0.3 },
        ],
        () => true,
      ),
    ].filter((p) => p.endsWith("|json"));
    const got = storedPairs(s.ctx, exp).filter((p) => p.endsWith("|json"));
    expect(new Set(got)).toEqual(new Set(want));
    expect(got.length).toBe(want.length);
    expect(await getJob(r.json.job_id)).toMatchObject({ status: "SUCCEEDED", total: want.length, done: want.length, traces_scanned: 120 });
  });

  it("samples densely at a rate given for the job", async () => {
    const r = await post("backfill", {
      experiment_id: String(exp),
      scorers: [{ name: "errors", sample_rate: 0.2 }],
      start_time_ms: now - 3 * DAY,
      end_time_ms: now,
    });
    await runJobs();
    const set = [
      { name: "length", sampleRate: 0.5 },
      { name: "json", sampleRate: 0.3 },
      { name: "errors", sampleRate: 0.2 },
    ];
    const want = [...expectedPairs(ids, set, () => true)].filter((p) => p.endsWith("|errors"));
    const j = await getJob(r.json.job_id);
    // Version 2 of "errors" already scored three of them in the assess job above.
    const already = want.filter((p) => ids.slice(0, 3).some((id) => p.startsWith(id))).length;
    expect(j).toMatchObject({ status: "SUCCEEDED", total: want.length, done: want.length - already, skipped: already });
  });
});

describe("cancel and takeover", () => {
  it("cancel stops the job, keeps what is done, and cannot be undone", async () => {
    const e2 = newExperiment(s.ctx, "cancel");
    await seedTraces(
      s.ctx,
      e2,
      "cancel",
      Array.from({ length: 200 }, (_, i) => ({ startMs: now - DAY + i })),
    );
    await drain(engine(s.ctx));
    addScorer(s.ctx, e2, { name: "length", sampleRate: 0, serialized: length });
    const { json: created } = await post("assess", { experiment_id: String(e2), scorers: ["length"] });
    const en = engine(s.ctx, { batchSize: 20 });
    await jobStep(en.e);
    await jobStep(en.e);
    const c = await post(`${created.job_id}/cancel`, {});
    expect(c.status).toBe(200);
    expect(c.json).toMatchObject({ status: "CANCELLED", done: 40, total: 200 });
    await drain(en);
    expect(storedPairs(s.ctx, e2)).toHaveLength(40);
    expect(await getJob(created.job_id)).toMatchObject({ status: "CANCELLED", done: 40 });
    expect((await post(`${created.job_id}/cancel`, {})).status).toBe(200);
    const done = (await api(s, "GET", `/api/v1/jobs?experiment_id=${exp}&status=SUCCEEDED`)).json.jobs[0].job_id;
    const again = await post(`${done}/cancel`, {});
    expect(again.status).toBe(409);
    expect(again.json.message).toMatch(/already finished \(SUCCEEDED\)/);
  });

  it("says once that a job finished, with its counts", async () => {
    const e4 = newExperiment(s.ctx, "finished-event");
    await seedTraces(
      s.ctx,
      e4,
      "finished",
      Array.from({ length: 12 }, (_, i) => ({ startMs: now - DAY + i })),
    );
    await drain(engine(s.ctx));
    addScorer(s.ctx, e4, { name: "length", sampleRate: 0, serialized: length });
    const { json } = await post("assess", { experiment_id: String(e4), scorers: ["length"] });
    const events: EngineEvent[] = [];
    await drain(engine(s.ctx, { batchSize: 5, event: (ev) => events.push(ev) }));
    await drain(engine(s.ctx, { event: (ev) => events.push(ev) }));
    expect(events.filter((ev) => ev.name.startsWith("job."))).toEqual([
      { name: "job.finished", fields: { job_id: json.job_id, experiment_id: String(e4), kind: "assess", done: 12, failed: 0 } },
    ]);
  });

  it("takes over a job whose worker died (lease expired), not one whose worker lives", async () => {
    const e3 = newExperiment(s.ctx, "takeover");
    await seedTraces(
      s.ctx,
      e3,
      "takeover",
      Array.from({ length: 30 }, (_, i) => ({ startMs: now - DAY + i })),
    );
    await drain(engine(s.ctx));
    addScorer(s.ctx, e3, { name: "length", sampleRate: 0, serialized: length });
    const { json } = await post("assess", { experiment_id: String(e3), scorers: ["length"] });
    const lease = s.db.$client.prepare("UPDATE jobs SET status = 'RUNNING', lease_owner = ?, lease_expires_at = ? WHERE job_id = ?");
    lease.run("alive-worker", Date.now() + 60_000, json.job_id);
    await runJobs();
    expect(await getJob(json.job_id)).toMatchObject({ status: "RUNNING", done: 0 });
    lease.run("dead-worker", Date.now() - 1, json.job_id);
    await runJobs();
    finishDrainedJobs(s.db.$client, Date.now());
    expect(await getJob(json.job_id)).toMatchObject({ status: "SUCCEEDED", done: 30 });
  });
});
