// Shadow versions of session-level scorers through the real verbs and engine on a SQLite file: the
// shadow scores exactly the sessions its live version is sampled for, its verdicts are marked and
// kept apart (neither line supersedes the other, none reaches points), compare-versions pairs the
// two on the sessions both scored, and after promotion the new live version supersedes the old
// live verdicts. A shadow of the other level is refused with nothing written.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "@/db/client";
import { InvalidParameterError, parseConfig, type Ctx } from "@/lib/core";
import { selectScorers } from "@/lib/engine/sampling";
import { ensureDefaultExperiment } from "@/lib/experiments/default-experiment";
import { processMetricsQueue } from "@/lib/metrics";
import { compareVersions, getScorer, listShadows, promoteShadow, registerScorer, registerShadow, startScorer } from "@/lib/monitoring";
import { ONLINE_SESSION_ID_KEY, serializeBuiltin, serializeVigilModule } from "@/scorers";
import { tempDbPath, testCtx } from "../helpers/server";
import { drain, engine, newExperiment, seedTraces } from "./engine.helpers";

const MIN = 60_000;
let db: Db;
let ctx: Ctx;
let cleanup: () => void;
let clock = Date.UTC(2026, 0, 6, 9);

beforeAll(() => {
  const tmp = tempDbPath("vigil-session-shadow-");
  cleanup = tmp.cleanup;
  db = openDb(tmp.file);
  ensureDefaultExperiment(db);
  ctx = testCtx(db, parseConfig({ DATABASE_URL: tmp.file, VIGIL_DEMO: "0" }), { now: () => clock });
});
afterAll(() => {
  db.$client.close();
  cleanup();
});

const rows = <T>(sql: string, ...args: unknown[]) => db.$client.prepare(sql).all(...args) as T[];
// v1 sees a repeated question; v2 ignores every message (min_chars 1000), so it always says yes.
const v1 = serializeVigilModule({ name: "rq", module: "repeated-question" });
const v2 = serializeVigilModule({ name: "rq", module: "repeated-question", params: { min_chars: 1000 } });

interface Verdict {
  assessment_id: string;
  trace_id: string;
  sid: string;
  scorer_version: number;
  value: string;
  valid: number;
  overrides: string | null;
  shadow: string | null;
}
const verdicts = (exp: number) =>
  rows<Verdict>(
    `SELECT assessment_id, trace_id, json_extract(metadata, '$."${ONLINE_SESSION_ID_KEY}"') AS sid, scorer_version, value, valid, overrides,
       json_extract(metadata, '$."vigil.shadow"') AS shadow
     FROM assessments WHERE experiment_id = ? AND name = 'rq' ORDER BY create_time, assessment_id`,
    exp,
  );
const sidsOf = (list: Verdict[], version: number, valid = true) =>
  list
    .filter((v) => v.scorer_version === version && (!valid || v.valid === 1))
    .map((v) => v.sid)
    .sort();

/** One turn of `session` at the clock. */
const turn = async (exp: number, session: string, n: number, question: string) =>
  (await seedTraces(ctx, exp, `${exp}/${session}/${n}`, [{ startMs: clock, session, question, answer: `answer ${n}` }]))[0]!;

describe("a shadow of a session scorer", () => {
  let exp: number;
  const E = () => String(exp);
  const ids = Array.from({ length: 24 }, (_, i) => `conv-${i}`);
  const repeats = (sid: string) => Number(sid.slice(5)) % 3 === 0;
  let sampled: string[];

  beforeAll(async () => {
    exp = newExperiment(ctx, "session-shadows");
    registerScorer({ ctx, input: { experiment_id: E(), name: "rq", serialized_scorer: v1 } });
    startScorer({ ctx, input: { experiment_id: E(), name: "rq", sample_rate: 0.5 } });
    expect(registerShadow({ ctx, input: { experiment_id: E(), name: "rq", serialized_scorer: v2 } })).toMatchObject({
      version: 2,
      baseVersion: 1,
      state: "shadow",
      runnable: true,
    });
    for (const sid of ids) {
      await turn(exp, sid, 1, "where is my parcel 42?");
      clock += 1000;
      await turn(exp, sid, 2, repeats(sid) ? "where is my parcel 42?" : "and when does it arrive?");
    }
    clock += 6 * MIN; // past the completion buffer
    await drain(engine(ctx, { batchSize: 10 }));
    processMetricsQueue({ ctx, input: {} });
    sampled = ids.filter((id) => selectScorers(id, [{ name: "rq", sampleRate: 0.5 }]).length > 0).sort();
  });

  it("scores exactly the sessions its live version is sampled for, and marks its verdicts", () => {
    expect(sampled.length).toBeGreaterThan(3);
    expect(sampled.length).toBeLessThan(ids.length);
    const list = verdicts(exp);
    expect(sidsOf(list, 1)).toEqual(sampled);
    expect(sidsOf(list, 2)).toEqual(sampled);
    // Both on the session's first turn; each line's verdict is valid, neither overrides the other.
    for (const v of list) expect(v).toMatchObject({ valid: 1, overrides: null, shadow: v.scorer_version === 2 ? "true" : null });
    for (const sid of sampled) {
      const pair = list.filter((v) => v.sid === sid);
      expect(pair.map((v) => v.value)).toEqual(pair.map((v) => (v.scorer_version === 2 || !repeats(sid) ? '"yes"' : '"no"')));
      expect(new Set(pair.map((v) => v.trace_id)).size).toBe(1);
    }
    const funnel = rows<{ scorer_name: string; n: number }>(
      "SELECT scorer_name, SUM(count) AS n FROM engine_funnel WHERE experiment_id = ? AND stage = 'scored' GROUP BY scorer_name",
      exp,
    );
    expect(Object.fromEntries(funnel.map((f) => [f.scorer_name, f.n]))).toEqual({ rq: sampled.length, "rq@v2": sampled.length });
  });

  it("does not count as the live verdict: no metric points, and MLflow's view keeps the live version", () => {
    expect(rows("SELECT 1 FROM metric_points WHERE experiment_id = ? AND scorer_version = 2", exp)).toHaveLength(0);
    expect(rows("SELECT 1 FROM metric_points WHERE experiment_id = ? AND scorer_version = 1", exp)).toHaveLength(sampled.length);
    expect(getScorer({ ctx, input: { experiment_id: E(), name: "rq" } }).version).toBe(1);
  });

  it("is compared with the live version on the sessions both scored", () => {
    const c = compareVersions({ ctx, input: { experiment_id: E(), name: "rq" } });
    expect(c.a).toMatchObject({ version: 1, role: "live", assessments: sampled.length });
    expect(c.b).toMatchObject({ version: 2, role: "shadow", assessments: sampled.length });
    expect(c.overlap).toBe(sampled.length);
    expect(c.disagreements).toHaveLength(sampled.filter(repeats).length);
  });

  it("re-scores with the live version when a turn joins, each line superseding only its own verdict", async () => {
    const sid = sampled[0]!;
    const before = verdicts(exp).filter((v) => v.sid === sid);
    clock += MIN;
    await turn(exp, sid, 3, "one more thing, please");
    clock += 6 * MIN;
    await drain(engine(ctx));
    const after = verdicts(exp).filter((v) => v.sid === sid);
    expect(after).toHaveLength(4);
    const byId = new Map(after.map((v) => [v.assessment_id, v]));
    for (const old of before) {
      expect(byId.get(old.assessment_id)!.valid).toBe(0);
      const next = after.find((v) => v.overrides === old.assessment_id)!;
      expect(next).toMatchObject({ valid: 1, scorer_version: old.scorer_version, shadow: old.shadow });
    }
  });

  it("refuses a shadow of the other level with a clear error and writes nothing", () => {
    registerScorer({ ctx, input: { experiment_id: E(), name: "json", serialized_scorer: serializeBuiltin({ name: "json", className: "JsonValid" }) } });
    startScorer({ ctx, input: { experiment_id: E(), name: "json", sample_rate: 1 } });
    registerScorer({ ctx, input: { experiment_id: E(), name: "rq2", serialized_scorer: v1.replace('"rq"', '"rq2"') } });
    startScorer({ ctx, input: { experiment_id: E(), name: "rq2", sample_rate: 1 } });
    const shadowsBefore = rows("SELECT * FROM scorer_shadows ORDER BY scorer_id, version");
    const trace = (name: string) => serializeBuiltin({ name, className: "JsonValid", params: {} });
    expect(() => registerShadow({ ctx, input: { experiment_id: E(), name: "rq2", serialized_scorer: trace("rq2") } })).toThrow(
      /live version 1 is a session-level scorer, so its shadow must be one too/,
    );
    expect(() => registerShadow({ ctx, input: { experiment_id: E(), name: "json", serialized_scorer: v2.replace('"rq"', '"json"') } })).toThrow(
      /live version 1 is a trace-level scorer, so its shadow must be one too/,
    );
    expect(() => registerShadow({ ctx, input: { experiment_id: E(), name: "json", serialized_scorer: v2.replace('"rq"', '"json"') } })).toThrow(
      InvalidParameterError,
    );
    expect(() => registerShadow({ ctx, input: { experiment_id: E(), name: "rq", serialized_scorer: v2 } })).toThrow(/already has shadow version 2/);
    expect(rows("SELECT * FROM scorer_shadows ORDER BY scorer_id, version")).toEqual(shadowsBefore);
  });

  it("after promotion scores as the live version, superseding the old live verdicts", async () => {
    expect(promoteShadow({ ctx, input: { experiment_id: E(), name: "rq", version: 2 } }).version).toBe(2);
    expect(listShadows({ ctx, input: { experiment_id: E(), name: "rq" } }).map((s) => s.state)).toEqual(["promoted"]);
    const sid = sampled.find(repeats) ?? sampled[1]!;
    clock += MIN;
    await turn(exp, sid, 4, "thanks, that helps a lot");
    clock += 6 * MIN;
    await drain(engine(ctx));
    const list = verdicts(exp).filter((v) => v.sid === sid);
    const valid = list.filter((v) => v.valid === 1);
    expect(valid).toHaveLength(1);
    expect(valid[0]).toMatchObject({ scorer_version: 2, shadow: null, value: '"yes"' });
    // It overrides the latest verdict it supersedes; every older one of either line is invalid.
    expect(list.filter((v) => v.scorer_version === 2 && v.shadow === null)).toHaveLength(1);
    expect(list.length).toBeGreaterThanOrEqual(3);
    expect(valid[0]!.overrides).not.toBeNull();
    processMetricsQueue({ ctx, input: {} });
    expect(rows("SELECT 1 FROM metric_points WHERE experiment_id = ? AND assessment_id = ?", exp, valid[0]!.assessment_id)).toHaveLength(1);
  });
});
