// Session scoring against a real SQLite file: turns arriving minutes apart, the completion
// buffer, re-scoring that supersedes, MLflow's sampling by session id, judges reading the
// conversation in turn order, and the bad inputs (long ids, huge sessions, two experiments).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openDb, type Db } from "@/db/client";
import { parseConfig, type Ctx } from "@/lib/core";
import { createAssessJob, createBackfillJob } from "@/lib/engine";
import { pass } from "@/lib/engine/worker";
import { selectScorers } from "@/lib/engine/sampling";
import { ensureDefaultExperiment } from "@/lib/experiments/default-experiment";
import { answer, startFakeJudgeServer, type FakeJudgeServer } from "@/scorers/judges/fake-judge-server";
import { ONLINE_SESSION_ID_KEY, serializeBuiltin, serializeVigilModule } from "@/scorers";
import { tempDbPath, testCtx } from "../helpers/server";
import { addScorer, drain, engine, judgeCallsAtRate2, newExperiment, seedTraces } from "./engine.helpers";

const MIN = 60_000;
let db: Db;
let ctx: Ctx;
let cleanup: () => void;
let clock = Date.UTC(2026, 0, 5, 9);
let judge: FakeJudgeServer;

beforeAll(async () => {
  const tmp = tempDbPath("vigil-sessions-");
  cleanup = tmp.cleanup;
  db = openDb(tmp.file);
  ensureDefaultExperiment(db);
  judge = await startFakeJudgeServer();
  ctx = testCtx(db, parseConfig({ DATABASE_URL: tmp.file, VIGIL_DEMO: "0", VIGIL_JUDGE_BASE_URL: judge.baseUrl, VIGIL_SESSION_MAX_TURNS: "200" }), {
    now: () => clock,
  });
});
afterAll(async () => {
  db.$client.close();
  await judge.close();
  cleanup();
});
beforeEach(() => {
  judge.requests.length = 0;
});

const rows = <T>(sql: string, ...args: unknown[]) => db.$client.prepare(sql).all(...args) as T[];
const repeated = (name = "rq") => ({ name, sampleRate: 1, serialized: serializeVigilModule({ name, module: "repeated-question" }) });

interface Row {
  assessment_id: string;
  trace_id: string;
  value: string;
  valid: number;
  overrides: string | null;
  metadata: string;
}
const sessionAssessments = (exp: number, name = "rq") =>
  rows<Row>(
    "SELECT assessment_id, trace_id, value, valid, overrides, metadata FROM assessments WHERE experiment_id = ? AND name = ? ORDER BY create_time, assessment_id",
    exp,
    name,
  );

/** One turn of `session`, asked at `clock` (the ingest time is the clock too). */
async function turn(exp: number, session: string, n: number, question: string, offsetMs = 0): Promise<string> {
  return (await seedTraces(ctx, exp, `${exp}/${session}/${n}`, [{ startMs: clock + offsetMs, session, question, answer: `answer ${n}` }]))[0]!;
}

describe("a conversation whose turns arrive minutes apart", () => {
  let exp: number;
  let first: string;
  beforeAll(() => {
    exp = newExperiment(ctx, "sessions-buffer");
    addScorer(ctx, exp, repeated());
  });

  it("is scored once, after the completion buffer, on its first turn with MLflow's session metadata", async () => {
    const en = engine(ctx);
    first = await turn(exp, "conv-1", 1, "where is my parcel 42?");
    clock += 2 * MIN;
    await turn(exp, "conv-1", 2, "and when does it arrive?");
    clock += 4 * MIN; // 4 minutes after the last turn: not complete yet
    await drain(en);
    expect(sessionAssessments(exp)).toHaveLength(0);
    clock += 2 * MIN;
    await drain(en);
    const [a] = sessionAssessments(exp);
    expect(sessionAssessments(exp)).toHaveLength(1);
    expect(a).toMatchObject({ trace_id: first, value: JSON.stringify("yes"), valid: 1, overrides: null });
    const md = JSON.parse(a!.metadata) as Record<string, string>;
    expect(md).toMatchObject({
      [ONLINE_SESSION_ID_KEY]: "conv-1",
      "mlflow.trace.session": "conv-1",
      "vigil.session.turns": "2",
      "vigil.session.turns_scored": "2",
    });
    await drain(en);
    expect(sessionAssessments(exp)).toHaveLength(1);
    expect(rows("SELECT * FROM engine_session_checkpoints WHERE experiment_id = ?", exp)).toMatchObject([{ session_id: "conv-1" }]);
  });

  it("is scored again when a late turn joins, superseding (not deleting) the older verdict", async () => {
    const en = engine(ctx);
    clock += 20 * MIN;
    await turn(exp, "conv-1", 3, "where is my parcel 42?"); // repeats turn 1
    clock += 3 * MIN;
    await drain(en);
    expect(sessionAssessments(exp)).toHaveLength(1);
    clock += 3 * MIN;
    await drain(en);
    const list = sessionAssessments(exp);
    expect(list).toHaveLength(2);
    const [old, now] = list;
    expect(old).toMatchObject({ valid: 0, value: JSON.stringify("yes") });
    expect(now).toMatchObject({ valid: 1, value: JSON.stringify("no"), overrides: old!.assessment_id, trace_id: first });
    expect(JSON.parse(now!.metadata)["vigil.session.turns"]).toBe("3");
    // The funnel counts the session scorer like any other: two scored sessions.
    const scored = rows<{ n: number }>("SELECT SUM(count) AS n FROM engine_funnel WHERE experiment_id = ? AND scorer_name = 'rq' AND stage = 'scored'", exp)[0]!
      .n;
    expect(scored).toBe(2);
  });

  it("orders turns by their timestamp: a turn that arrives late but happened first becomes the first turn", async () => {
    const en = engine(ctx);
    const early = await turn(exp, "conv-1", 0, "hello, I have a question about parcel 42", -60 * MIN);
    clock += 6 * MIN;
    await drain(en);
    const list = sessionAssessments(exp);
    expect(list).toHaveLength(3);
    expect(list.filter((a) => a.valid === 1)).toEqual([expect.objectContaining({ trace_id: early, overrides: list[1]!.assessment_id })]);
  });
});

describe("sampling by session id", () => {
  it("scores exactly the sessions MLflow's dense sampling selects with the session id as the entity id", async () => {
    const exp = newExperiment(ctx, "sessions-sampling");
    const list = [
      { name: "rq_half", sampleRate: 0.5, serialized: serializeVigilModule({ name: "rq_half", module: "repeated-question" }) },
      { name: "rq_fifth", sampleRate: 0.2, serialized: serializeVigilModule({ name: "rq_fifth", module: "repeated-question" }) },
    ];
    for (const s of list) addScorer(ctx, exp, s);
    const ids = Array.from({ length: 60 }, (_, i) => `sampled-${i}`);
    for (const id of ids) await turn(exp, id, 1, "hi there, one question");
    clock += 6 * MIN;
    await drain(engine(ctx, { batchSize: 16 }));
    for (const s of list) {
      const want = ids.filter((id) => selectScorers(id, list).includes(s.name)).sort();
      const got = rows<{ sid: string }>(
        `SELECT json_extract(metadata, '$."${ONLINE_SESSION_ID_KEY}"') AS sid FROM assessments WHERE experiment_id = ? AND name = ? ORDER BY 1`,
        exp,
        s.name,
      ).map((r) => r.sid);
      expect(got).toEqual(want);
      expect(want.length).toBeGreaterThan(3);
    }
    // Trace-level intake never runs a session scorer on a single trace.
    const skipped = rows<{ reason: string }>("SELECT DISTINCT reason FROM engine_funnel WHERE experiment_id = ? AND stage = 'skipped'", exp).map(
      (r) => r.reason,
    );
    expect(skipped).toEqual(["not_sampled"]);
  });
});

describe("session judges", () => {
  it("UserFrustration reads the whole conversation in the order of the turns, whatever order they arrived in", async () => {
    const exp = newExperiment(ctx, "sessions-judge");
    addScorer(ctx, exp, { name: "frustration", sampleRate: 1, serialized: serializeBuiltin({ name: "frustration", className: "UserFrustration" }) });
    judge.respond(() => ({ body: answer("resolved", "Annoyed, then thanked.") }));
    await turn(exp, "judge-conv", 3, "finally, thanks", 2 * MIN);
    await turn(exp, "judge-conv", 1, "my order never came", 0);
    await turn(exp, "judge-conv", 2, "this is the third time I ask!", MIN);
    clock += 8 * MIN;
    await drain(engine(ctx));
    expect(judge.requests).toHaveLength(1);
    const prompt = judge.requests[0]!.body.messages[1]!.content;
    const at = (s: string) => prompt.indexOf(s);
    expect(at("my order never came")).toBeGreaterThan(-1);
    expect(at("my order never came")).toBeLessThan(at("this is the third time I ask!"));
    expect(at("this is the third time I ask!")).toBeLessThan(at("finally, thanks"));
    expect(sessionAssessments(exp, "frustration")).toMatchObject([{ value: JSON.stringify("resolved"), valid: 1 }]);
    const usage = rows<{ calls: number }>("SELECT calls FROM engine_usage WHERE experiment_id = ? AND scorer_name = 'frustration'", exp);
    expect(usage).toEqual([{ calls: 1 }]);
  });
});

describe("session judges in the judge pool", () => {
  it("start no faster than VIGIL_JUDGE_RPS, as trace judges do", async () => {
    const exp = newExperiment(ctx, "sessions-judge-rate");
    addScorer(ctx, exp, { name: "frustration", sampleRate: 1, serialized: serializeBuiltin({ name: "frustration", className: "UserFrustration" }) });
    judge.respond(() => ({ body: answer("none") }));
    for (let i = 0; i < 10; i++) await turn(exp, `rate-conv-${i}`, 1, `question ${i}`);
    clock += 6 * MIN;
    // The burst; 2 more a second later; a long pause refills only up to the burst.
    expect(
      await judgeCallsAtRate2(
        ctx,
        () => judge.requests.length,
        (ms) => (clock += ms),
      ),
    ).toEqual([2, 4, 6]);
    expect(rows("SELECT COUNT(*) AS n FROM engine_tasks WHERE experiment_id = ? AND kind = 'session_judge'", exp)).toEqual([{ n: 4 }]);
    const en = engine(ctx, { judgeRps: 2, judgeConcurrency: 8 });
    for (let k = 0; k < 3; k++) {
      clock += 1000;
      await drain(en);
    }
    expect(sessionAssessments(exp, "frustration")).toHaveLength(10);
  });

  it("a slow session judge does not hold a pass: traces arriving meanwhile are scored", async () => {
    const exp = newExperiment(ctx, "sessions-judge-slow");
    addScorer(ctx, exp, { name: "frustration", sampleRate: 1, serialized: serializeBuiltin({ name: "frustration", className: "UserFrustration" }) });
    addScorer(ctx, exp, {
      name: "length",
      sampleRate: 1,
      serialized: serializeBuiltin({ name: "length", className: "ResponseLength", params: { max: 1000 } }),
    });
    judge.respond(() => ({ body: answer("none"), delayMs: 1500 }));
    await turn(exp, "slow-conv", 1, "hello?");
    clock += 6 * MIN;
    const en = engine(ctx, { judgeRps: 1000, judgeConcurrency: 2 });
    await pass(en.e, en.judges); // queues the session
    const t0 = performance.now();
    await pass(en.e, en.judges); // starts its judge call, without waiting for it
    expect(en.judges.running).toBe(1);
    const later = await seedTraces(ctx, exp, "slow-later", [{ startMs: clock, question: "a plain question" }]);
    await pass(en.e, en.judges);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(en.judges.running).toBe(1);
    expect(rows("SELECT trace_id FROM assessments WHERE experiment_id = ? AND name = 'length'", exp)).toContainEqual({ trace_id: later[0] });
    await drain(en);
    expect(sessionAssessments(exp, "frustration")).toHaveLength(1);
  });
});

describe("jobs with session scorers", () => {
  it("assess scores every session whose first turn is selected; backfill samples sessions as online scoring does", async () => {
    const exp = newExperiment(ctx, "sessions-jobs");
    const ids = Array.from({ length: 30 }, (_, i) => `job-conv-${i}`);
    const start = clock;
    for (const id of ids) {
      await turn(exp, id, 1, "first question");
      await turn(exp, id, 2, "first question", 1000); // repeated: the scorer says "no"
    }
    clock += 6 * MIN;
    await drain(engine(ctx)); // no scorer yet: nothing scored online
    addScorer(ctx, exp, { ...repeated("rq_job"), sampleRate: 0 });
    addScorer(ctx, exp, { name: "rq_back", sampleRate: 0.4, serialized: serializeVigilModule({ name: "rq_back", module: "repeated-question" }) });
    // The online scorer samples these sessions now that it started; clear that to see the jobs alone.
    await drain(engine(ctx));
    db.$client.prepare("DELETE FROM assessments WHERE experiment_id = ?").run(exp);
    db.$client.prepare("DELETE FROM engine_session_scores WHERE experiment_id = ?").run(exp);

    const { job_id: assess } = createAssessJob({
      ctx,
      input: { experiment_id: String(exp), scorers: ["rq_job"], start_time_ms: start - 1, end_time_ms: start + 500 },
    });
    const { job_id: back } = createBackfillJob({
      ctx,
      input: { experiment_id: String(exp), scorers: ["rq_back"], start_time_ms: start - 1, end_time_ms: clock },
    });
    await drain(engine(ctx));
    const job = (id: string) => db.$client.prepare("SELECT status, total, done, failed, skipped FROM jobs WHERE job_id = ?").get(id);
    expect(job(assess)).toEqual({ status: "SUCCEEDED", total: 30, done: 30, failed: 0, skipped: 0 });
    expect(rows("SELECT DISTINCT run_id, value FROM assessments WHERE experiment_id = ? AND name = 'rq_job'", exp)).toEqual([
      { run_id: assess, value: JSON.stringify("no") },
    ]);
    const want = ids.filter((id) => selectScorers(id, [{ name: "rq_back", sampleRate: 0.4 }]).length > 0).sort();
    const got = rows<{ sid: string }>(
      `SELECT json_extract(metadata, '$."${ONLINE_SESSION_ID_KEY}"') AS sid FROM assessments WHERE experiment_id = ? AND name = 'rq_back' ORDER BY 1`,
      exp,
    ).map((r) => r.sid);
    expect(got).toEqual(want);
    expect(job(back)).toMatchObject({ status: "SUCCEEDED", total: want.length, done: want.length });
  });
});

describe("bad input", () => {
  it("a session id over 250 characters is not scored, with its reason recorded; its traces are kept", async () => {
    const exp = newExperiment(ctx, "sessions-long-id");
    addScorer(ctx, exp, repeated());
    const id = "x".repeat(251);
    const trace = await turn(exp, id, 1, "a question");
    clock += 6 * MIN;
    await drain(engine(ctx));
    expect(sessionAssessments(exp)).toHaveLength(0);
    expect(rows("SELECT skip_reason FROM engine_sessions WHERE experiment_id = ?", exp)).toEqual([{ skip_reason: "session_id_too_long" }]);
    expect(rows("SELECT reason, count FROM engine_funnel WHERE experiment_id = ? AND stage = 'skipped'", exp)).toEqual([
      { reason: "session_id_too_long", count: 1 },
    ]);
    expect(rows("SELECT trace_id FROM traces WHERE trace_id = ?", trace)).toHaveLength(1);
  });

  it("a session of 10,000 turns is scored once, on its latest turns up to the cap, and says so", async () => {
    const exp = newExperiment(ctx, "sessions-huge");
    addScorer(ctx, exp, repeated());
    const t0 = clock;
    await seedTraces(
      ctx,
      exp,
      "huge",
      Array.from({ length: 10_000 }, (_, i) => ({ startMs: t0 + i, session: "huge", question: `question number ${i}` })),
    );
    clock += 6 * MIN;
    await drain(engine(ctx));
    const list = sessionAssessments(exp);
    expect(list).toHaveLength(1);
    expect(JSON.parse(list[0]!.metadata)).toMatchObject({ "vigil.session.turns": "10000", "vigil.session.turns_scored": "200" });
    expect(rows("SELECT COUNT(*) AS n FROM engine_tasks WHERE experiment_id = ?", exp)).toEqual([{ n: 0 }]);
  });

  it("a session id used in two experiments is two sessions, each scored in its own experiment", async () => {
    const a = newExperiment(ctx, "sessions-two-a");
    const b = newExperiment(ctx, "sessions-two-b");
    addScorer(ctx, a, repeated());
    addScorer(ctx, b, repeated());
    const ta = await turn(a, "shared", 1, "question in a");
    const tb = await turn(b, "shared", 1, "question in b");
    await turn(b, "shared", 2, "question in b", 1000);
    clock += 6 * MIN;
    await drain(engine(ctx));
    expect(sessionAssessments(a)).toMatchObject([{ trace_id: ta, value: JSON.stringify("yes") }]);
    expect(sessionAssessments(b)).toMatchObject([{ trace_id: tb, value: JSON.stringify("no") }]);
    expect(rows("SELECT experiment_id, turns FROM engine_sessions WHERE session_id = 'shared' ORDER BY experiment_id")).toEqual([
      { experiment_id: a, turns: 1 },
      { experiment_id: b, turns: 2 },
    ]);
  });
});
