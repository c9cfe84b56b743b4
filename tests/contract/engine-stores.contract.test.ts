// The one engine against its two stores in the same run: Vigil's own (the embedded store, an
// atomic sink) and a remote MLflow over real HTTP (the MLflow-REST store, a sink that writes
// each assessment back exactly once). Same traces, same scorers, same promises: every sampled
// pair once, the funnel counting it, jobs exactly once even when run twice, one queue, one
// cursor position shown; a conversation scored whole once, and again, superseding, when it grows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { remoteBackend } from "@/lib/backend/remote";
import type { Ctx } from "@/lib/core";
import { createAssessJob, createBackfillJob, getJob, getScorerRuntime } from "@/lib/engine";
import { createExperiment } from "@/lib/experiments";
import { MlflowClient } from "@/lib/mlflow/client";
import { registerScorer, setOnlineConfig } from "@/lib/monitoring";
import { ONLINE_SESSION_ID_KEY, serializeBuiltin, serializeVigilModule } from "@/scorers";
import { startTestServer, type TestServer } from "../helpers/server";
import { drain, engine, expectedPairs, storedPairs, type Engine } from "../integration/engine.helpers";
import { seedTraces } from "../integration/mlflow.helpers";
import { drainRemote, startMonitor, vigilAssessments, type Monitor } from "../integration/remote.helpers";

type StoreKind = "embedded" | "remote";

const SCORERS = [
  { name: "length", sampleRate: 1, filterString: null, serialized: serializeBuiltin({ name: "length", className: "ResponseLength", params: { max: 1000 } }) },
  { name: "json", sampleRate: 0.5, filterString: null, serialized: serializeBuiltin({ name: "json", className: "JsonValid" }) },
  {
    name: "ok_only",
    sampleRate: 0.7,
    filterString: "trace.status = 'OK'",
    serialized: serializeBuiltin({ name: "ok_only", className: "KeywordAbsent", params: { keywords: ["sorry"] } }),
  },
];

/** What a test needs of either setup: where traces go, where Vigil's engine state lives, and a drain. */
interface Setup {
  /** The Vigil whose store holds the traces. */
  traces: Ctx;
  /** The Vigil whose engine scores them (the same one for the embedded store). */
  vigil: Ctx;
  drain(): Promise<unknown>;
  written(exp: string): string[];
  close(): Promise<void>;
}

async function setUp(kind: StoreKind): Promise<{ s: Setup; exp: string }> {
  const server: TestServer = await startTestServer({ VIGIL_ANONYMOUS_ROLE: "admin" });
  if (kind === "embedded") {
    const exp = createExperiment({ ctx: server.ctx, input: { name: "agent" } }).experiment_id;
    const en: Engine = engine(server.ctx);
    return {
      exp,
      s: { traces: server.ctx, vigil: server.ctx, drain: () => drain(en), written: (e) => storedPairs(server.ctx, Number(e)), close: () => server.close() },
    };
  }
  const exp = await new MlflowClient({ trackingUri: server.url }).createExperiment("agent");
  const m: Monitor = startMonitor(remoteBackend(new MlflowClient({ trackingUri: server.url, minBackoffMs: 1, maxBackoffMs: 5 })), {
    VIGIL_REMOTE_EXPERIMENTS: "agent",
  });
  await drainRemote(m); // links the experiment, under the same id
  return {
    exp,
    s: {
      traces: server.ctx,
      vigil: m.ctx,
      drain: () => drainRemote(m, { resync: true }),
      written: (e) => vigilAssessments(server.ctx, e),
      async close() {
        m.close();
        await server.close();
      },
    },
  };
}

describe.each<StoreKind>(["embedded", "remote"])("the engine against the %s store", (kind) => {
  let s: Setup;
  let exp: string;
  const errors = new Set<string>();
  const now = Date.now();
  let live: string[] = [];
  const seed = async (n: number, startMs: number, tag: string) => {
    const ids = await seedTraces(
      s.traces,
      Number(exp),
      Array.from({ length: n }, (_, i) => ({ startMs: startMs + i * 1000, error: i % 4 === 3, outputs: `${tag} answer ${i}` })),
    );
    ids.forEach((id, i) => i % 4 === 3 && errors.add(id));
    return ids;
  };
  const expected = (ids: string[], list: typeof SCORERS = SCORERS) => [...expectedPairs(ids, list, (id) => !errors.has(id))].sort();

  beforeAll(async () => {
    ({ s, exp } = await setUp(kind));
    for (const sc of SCORERS) {
      registerScorer({ ctx: s.vigil, input: { experiment_id: exp, name: sc.name, serialized_scorer: sc.serialized } });
      setOnlineConfig({ ctx: s.vigil, input: { experiment_id: exp, name: sc.name, sample_rate: sc.sampleRate, filter_string: sc.filterString ?? undefined } });
    }
    await s.drain();
  });
  afterAll(() => s.close());

  it("scores complete traces online: every sampled pair once, counted in the funnel", async () => {
    live = await seed(24, now - 20 * 60_000, "live");
    await s.drain();
    expect(s.written(exp)).toEqual(expected(live));
    const funnel = s.vigil.db.$client.prepare("SELECT stage, SUM(count) AS n FROM engine_funnel WHERE experiment_id = ? GROUP BY stage").all(Number(exp));
    expect(funnel).toContainEqual({ stage: "scored", n: expected(live).length });
  });

  it("shows one queue and where online scoring stands, whichever the store", () => {
    const rt = getScorerRuntime({ ctx: s.vigil, input: { experimentId: exp, scorerName: "length" } });
    expect(rt.pending).toEqual({ online: 0, jobs: 0, retrying: 0 });
    expect(rt.lag.backlogTraces).toBe(0);
    expect(rt.lag.checkpoint?.traceId).toBe(live[live.length - 1]);
  });

  it("does not score again what a second drain finds already scored", async () => {
    await s.drain();
    expect(s.written(exp)).toEqual(expected(live));
  });

  it("backfills a new scorer over the window exactly once, even when run twice", async () => {
    const extra = {
      name: "length2",
      sampleRate: 1,
      filterString: null,
      serialized: serializeBuiltin({ name: "length2", className: "ResponseLength", params: { max: 5 } }),
    };
    registerScorer({ ctx: s.vigil, input: { experiment_id: exp, name: extra.name, serialized_scorer: extra.serialized } });
    const window = { start_time_ms: now - 3_600_000, end_time_ms: now };
    const job = createBackfillJob({ ctx: s.vigil, input: { experiment_id: exp, scorers: [{ name: "length2", sample_rate: 1 }], ...window } });
    await s.drain();
    expect(getJob({ ctx: s.vigil, input: { job_id: job.job_id } })).toMatchObject({ status: "SUCCEEDED", done: live.length, failed: 0 });
    const again = createBackfillJob({ ctx: s.vigil, input: { experiment_id: exp, scorers: [{ name: "length2", sample_rate: 1 }], ...window } });
    await s.drain();
    expect(getJob({ ctx: s.vigil, input: { job_id: again.job_id } })).toMatchObject({ status: "SUCCEEDED", done: 0, skipped: live.length });
    expect(s.written(exp)).toEqual([...expected(live), ...live.map((id) => `${id}|length2`)].sort());
  });

  it("assesses listed traces with a pinned scorer version", async () => {
    registerScorer({
      ctx: s.vigil,
      input: { experiment_id: exp, name: "length3", serialized_scorer: serializeBuiltin({ name: "length3", className: "ResponseLength", params: { max: 9 } }) },
    });
    const ids = [live[0]!, live[5]!];
    const job = createAssessJob({ ctx: s.vigil, input: { experiment_id: exp, scorers: ["length3"], trace_ids: ids } });
    await s.drain();
    expect(getJob({ ctx: s.vigil, input: { job_id: job.job_id } })).toMatchObject({ status: "SUCCEEDED", done: 2, total: 2 });
    expect(
      s
        .written(exp)
        .filter((p) => p.endsWith("|length3"))
        .sort(),
    ).toEqual(ids.map((id) => `${id}|length3`).sort());
  });

  it("scores a conversation once as a whole, and again when a turn joins, the older verdict superseded (valid = false, overridden)", async () => {
    registerScorer({
      ctx: s.vigil,
      input: { experiment_id: exp, name: "rq", serialized_scorer: serializeVigilModule({ name: "rq", module: "repeated-question" }) },
    });
    setOnlineConfig({ ctx: s.vigil, input: { experiment_id: exp, name: "rq", sample_rate: 1 } });
    const ask = async (startMs: number, question: string) =>
      (await seedTraces(s.traces, Number(exp), [{ startMs, session: "conv-c", inputs: { messages: [{ role: "user", content: question }] } }]))[0]!;
    const t1 = await ask(now - 15 * 60_000, "where is my parcel 42?");
    await ask(now - 14 * 60_000, "and when does it arrive?");
    await s.drain();
    const verdicts = () =>
      s.traces.db.$client
        .prepare(
          "SELECT assessment_id, trace_id, value, valid, overrides, metadata FROM assessments WHERE experiment_id = ? AND name = 'rq' ORDER BY create_time, assessment_id",
        )
        .all(Number(exp)) as { assessment_id: string; trace_id: string; value: string; valid: number; overrides: string | null; metadata: string }[];
    expect(verdicts()).toMatchObject([{ trace_id: t1, value: JSON.stringify("yes"), valid: 1, overrides: null }]);
    expect(JSON.parse(verdicts()[0]!.metadata)).toMatchObject({ [ONLINE_SESSION_ID_KEY]: "conv-c", "vigil.session.turns": "2" });
    await s.drain();
    expect(verdicts()).toHaveLength(1);

    await ask(now - 10 * 60_000, "where is my parcel 42?"); // repeats the first question
    await s.drain();
    const [old, cur] = verdicts();
    expect(verdicts()).toHaveLength(2);
    expect(old).toMatchObject({ valid: 0, value: JSON.stringify("yes") });
    expect(cur).toMatchObject({ trace_id: t1, valid: 1, value: JSON.stringify("no"), overrides: old!.assessment_id });
    const scored = s.vigil.db.$client
      .prepare("SELECT SUM(count) FROM engine_funnel WHERE experiment_id = ? AND scorer_name = 'rq' AND stage = 'scored'")
      .pluck()
      .get(Number(exp));
    expect(scored).toBe(2);
    // The ledger of sets of turns is the engine's, the same table in both modes.
    expect(s.vigil.db.$client.prepare("SELECT turns FROM engine_session_scores WHERE session_id = 'conv-c' ORDER BY created_at").pluck().all()).toEqual([2, 3]);
  });
});
