import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { archivedTraces, assessments, spans, traces } from "@/db/schema";
import { applyRetention, maintenanceTick, processHistoryJobs, setArchival, traceDataFromArchive } from "@/lib/archive";
import { updateAssessment } from "@/lib/assessments";
import type { Ctx } from "@/lib/core";
import { loadTraceData } from "@/lib/mlflow/convert";
import type { TraceData } from "@/lib/mlflow/types";
import { startTestServer, testCtx, type TestServer } from "../helpers/server";
import { insertEngineScore, storedRollups } from "./archive.helpers";
import { createExperiment, seedTraces } from "./mlflow.helpers";

const DAY = 86_400_000;
const NOW = Date.UTC(2025, 6, 1, 12);

describe("hot-store retention", () => {
  let s: TestServer;
  let ctx: Ctx;
  beforeAll(async () => {
    s = await startTestServer();
    ctx = testCtx(s.db, s.config, { now: () => NOW });
  });
  afterAll(() => s.close());

  const hotIds = (ids: string[]) =>
    s.db
      .select({ id: traces.traceId })
      .from(traces)
      .where(inArray(traces.traceId, ids))
      .all()
      .map((r) => r.id)
      .sort();
  const archived = (id: string) => s.db.select().from(archivedTraces).where(eq(archivedTraces.traceId, id)).get();

  /** Ten old traces (40..49 days), two recent ones, each scored once. */
  async function seedExperiment(name: string) {
    const exp = Number(await createExperiment(s, name));
    const old = await seedTraces(
      ctx,
      exp,
      Array.from({ length: 10 }, (_, k) => ({ startMs: NOW - (40 + k) * DAY })),
    );
    const recent = await seedTraces(ctx, exp, [{ startMs: NOW - DAY }, { startMs: NOW - 2 * DAY }]);
    const scoreIds = [...old, ...recent].map((traceId, k) =>
      insertEngineScore(ctx, { traceId, experimentId: exp, scorer: "quality", version: 1, value: k % 5, at: NOW - 1000 }),
    );
    return { exp, old, recent, scoreIds };
  }

  it("without archival deletes traces, spans and assessments past retention, and trends keep them", async () => {
    const { exp, old, recent } = await seedExperiment("retention-plain");
    maintenanceTick(ctx);
    setArchival({ ctx, input: { experimentId: exp, enabled: false, retentionDays: 30 } });
    const rollupsBefore = storedRollups(ctx, exp);
    expect(rollupsBefore.reduce((n, r) => n + r.count, 0)).toBe(12);

    expect(applyRetention({ ctx, input: {} })).toEqual({ deleted: 10, archived: 0 });
    expect(hotIds([...old, ...recent])).toEqual([...recent].sort());
    expect(s.db.select().from(spans).where(inArray(spans.traceId, old)).all()).toHaveLength(0);
    expect(s.db.select().from(assessments).where(inArray(assessments.traceId, old)).all()).toHaveLength(0);
    maintenanceTick(ctx);
    expect(storedRollups(ctx, exp)).toEqual(rollupsBefore);
    expect(applyRetention({ ctx, input: {} }).deleted).toBe(0);
  });

  it("with archival on, never deletes a trace that is not archived with its latest assessments", async () => {
    const { exp, old, scoreIds } = await seedExperiment("retention-archived");
    const [openOld] = (await seedTraces(ctx, exp, [{ startMs: NOW - 45 * DAY, durationMs: null }])) as [string];
    setArchival({ ctx, input: { experimentId: exp, enabled: true, retentionDays: 30 } });
    // Half the history is archived by the job; then assessments change and nothing else runs.
    processHistoryJobs({ ctx, input: { maxTraces: 6 } });
    for (const k of [0, 7]) {
      updateAssessment({ ctx, input: { trace_id: old[k]!, assessment_id: scoreIds[k]!, assessment: { feedback: { value: 99 } }, update_mask: "feedback" } });
    }
    insertEngineScore(ctx, { traceId: old[9]!, experimentId: exp, scorer: "late_backfill", version: 2, value: true, at: NOW });
    const latest = new Map<string, TraceData>(old.map((id) => [id, loadTraceData(s.db, id)]));

    const r = applyRetention({ ctx, input: {} });
    expect(r.deleted).toBe(10);
    expect(hotIds([...old, openOld])).toEqual([openOld]); // an incomplete trace cannot be archived: it stays
    for (const id of old) expect(traceDataFromArchive(archived(id)!)).toEqual(latest.get(id));
    expect(archived(openOld)).toBeUndefined();
  });

  it("treats copies made before archival was last re-enabled as stale", async () => {
    const { exp, old, scoreIds } = await seedExperiment("retention-reenabled");
    setArchival({ ctx, input: { experimentId: exp, enabled: true } });
    maintenanceTick(ctx); // everything archived
    setArchival({ ctx, input: { experimentId: exp, enabled: false } });
    // Changed while archival was off: no trigger queues it.
    updateAssessment({ ctx, input: { trace_id: old[3]!, assessment_id: scoreIds[3]!, assessment: { feedback: { value: -1 } }, update_mask: "feedback" } });
    const later: Ctx = { ...ctx, now: () => NOW + 1 };
    setArchival({ ctx: later, input: { experimentId: exp, enabled: true, retentionDays: 30 } });
    const expected = loadTraceData(s.db, old[3]!);
    expect(applyRetention({ ctx: later, input: {} }).deleted).toBe(10);
    expect(traceDataFromArchive(archived(old[3]!)!)).toEqual(expected);
  });

  it("deletes nothing when archiving a victim fails", async () => {
    const { exp, old } = await seedExperiment("retention-failing");
    setArchival({ ctx, input: { experimentId: exp, enabled: true, retentionDays: 30 } });
    // Simulate a failing archive write for one trace (disk full, corruption, a bug).
    s.db.$client.exec(`CREATE TRIGGER test_fail_archive BEFORE INSERT ON archived_traces WHEN NEW.trace_id = '${old[4]}'
      BEGIN SELECT RAISE(ABORT, 'archive write failed'); END;`);
    try {
      expect(() => applyRetention({ ctx, input: { batchSize: 50 } })).toThrow(/archive write failed/);
      expect(hotIds(old)).toEqual([...old].sort());
    } finally {
      s.db.$client.exec("DROP TRIGGER test_fail_archive");
    }
    expect(applyRetention({ ctx, input: {} }).deleted).toBe(10);
    expect(old.every((id) => archived(id))).toBe(true);
  });
});
