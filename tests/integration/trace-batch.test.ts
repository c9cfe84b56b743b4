// The engine's bulk trace loader (raw rows turned into drizzle-shaped objects) must build exactly
// the TraceData that loading one trace through drizzle builds: scorers see the same input either way.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "@/db/client";
import { parseConfig, type Ctx } from "@/lib/core";
import { createAssessment } from "@/lib/assessments/create-assessment";
import { loadTraceBatch, loadTraceRows } from "@/lib/engine/trace-batch";
import { ensureDefaultExperiment } from "@/lib/experiments/default-experiment";
import { loadTraceData } from "@/lib/mlflow/convert";
import { tempDbPath, testCtx } from "../helpers/server";
import { newExperiment, seedTraces } from "./engine.helpers";

let db: Db;
let ctx: Ctx;
let cleanup: () => void;
let ids: string[];

beforeAll(async () => {
  const tmp = tempDbPath("vigil-trace-batch-");
  cleanup = tmp.cleanup;
  db = openDb(tmp.file);
  ensureDefaultExperiment(db);
  ctx = testCtx(db, parseConfig({ DATABASE_URL: tmp.file, VIGIL_DEMO: "0" }));
  const exp = newExperiment(ctx, "trace-batch");
  const now = Date.now();
  ids = await seedTraces(ctx, exp, "tb", [
    { startMs: now - 60_000 },
    { startMs: now - 50_000, error: true, answer: "Sorry, that failed." },
    { startMs: now - 40_000, durationMs: null },
    { startMs: now - 30_000 },
  ]);
  const human = { source_type: "HUMAN", source_id: "reviewer" } as const;
  const first = createAssessment({ ctx, input: { trace_id: ids[0]!, assessment: { assessment_name: "helpful", source: human, feedback: { value: true } } } });
  // An override leaves the older feedback invalid: the loader must map `valid` to false, not 0.
  createAssessment({
    ctx,
    input: {
      trace_id: ids[0]!,
      assessment: {
        assessment_name: "helpful",
        source: human,
        feedback: { value: false },
        overrides: first.assessment.assessment_id,
        rationale: "on second look",
      },
    },
  });
  createAssessment({
    ctx,
    input: { trace_id: ids[0]!, assessment: { assessment_name: "answer", source: human, expectation: { value: { text: "ships tomorrow" } } } },
  });
  createAssessment({
    ctx,
    input: { trace_id: ids[1]!, assessment: { assessment_name: "score", source: human, feedback: { value: 0.25 }, metadata: { k: "v" } } },
  });
});

afterAll(() => {
  db.$client.close();
  cleanup();
});

describe("loadTraceBatch", () => {
  it("builds the same TraceData as loading each trace on its own", () => {
    const batch = loadTraceBatch(db.$client, [...ids, ids[0]!]);
    expect([...batch.keys()].sort()).toEqual([...ids].sort());
    for (const id of ids) expect(batch.get(id)).toStrictEqual(loadTraceData(db, id));
    const first = batch.get(ids[0]!)!;
    expect(first.info.assessments?.map((a) => [a.assessment_name, a.valid])).toEqual([
      ["helpful", false],
      ["helpful", true],
      ["answer", true],
    ]);
    expect(first.spans.length).toBe(2);
  });

  it("leaves out ids of traces that do not exist", () => {
    const batch = loadTraceBatch(db.$client, ["tr-00000000000000000000000000000000", ids[2]!]);
    expect([...batch.keys()]).toEqual([ids[2]]);
    expect(loadTraceRows(db.$client, ["tr-00000000000000000000000000000000"]).size).toBe(0);
  });
});
