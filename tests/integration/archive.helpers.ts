// Shared by the archive and trends tests: assessments written the way the engine writes them
// (straight into the table, with scorer provenance), and a recomputation of rollups from the
// archive that shares no code with lib/metrics, to check the rollups against.
import { randomBytes } from "node:crypto";
import { assessments } from "@/db/schema";
import type { Ctx } from "@/lib/core";
import type { ArchivedAssessment } from "@/lib/archive";
import { HISTOGRAM_EDGES } from "@/lib/metrics";
import type { RollupRow } from "@/lib/metrics/rollup-math";

export interface EngineScore {
  traceId: string;
  experimentId: number;
  scorer: string;
  version: number;
  value?: unknown;
  error?: { error_code: string; error_message?: string };
  at: number;
  judge?: boolean;
}

/** Inserts an assessment as the engine does: source CODE or LLM_JUDGE, scorer id and version. */
export function insertEngineScore(ctx: Ctx, s: EngineScore): string {
  const id = `a-${randomBytes(16).toString("hex")}`;
  ctx.db
    .insert(assessments)
    .values({
      assessmentId: id,
      traceId: s.traceId,
      experimentId: s.experimentId,
      name: s.scorer,
      sourceType: s.judge ? "LLM_JUDGE" : "CODE",
      sourceId: `vigil:${s.scorer}`,
      kind: "feedback",
      value: s.value === undefined ? null : JSON.stringify(s.value),
      error: s.error ? JSON.stringify(s.error) : null,
      rationale: s.judge ? "judged" : null,
      metadata: JSON.stringify({ "vigil.scorer_version": String(s.version) }),
      createTime: s.at,
      lastUpdateTime: s.at,
      scorerId: `sc-${s.scorer}`,
      scorerVersion: s.version,
      runId: null,
    })
    .run();
  return id;
}

/** A rollup as the tests expect it: the stored row with its scorer name and histogram parsed. */
export type ExpectedRollup = Omit<RollupRow, "histogram"> & { scorer_name: string; histogram: number[] };

/** Rollups recomputed directly from archive rows (request_time + assessments JSON). */
export function rollupsFromArchive(rows: { request_time: number; assessments: string }[]): ExpectedRollup[] {
  const out = new Map<string, ExpectedRollup>();
  for (const row of rows) {
    const hour = Math.floor(row.request_time / 3_600_000) * 3_600_000;
    for (const a of JSON.parse(row.assessments) as ArchivedAssessment[]) {
      if (!a.feedback || a.valid === false) continue;
      const version = a.scorer_version ?? 0;
      const key = `${a.assessment_name}|${version}|${hour}`;
      let r = out.get(key);
      if (!r) {
        r = {
          scorer_name: a.assessment_name,
          scorer_version: version,
          bucket_start: hour,
          count: 0,
          errors: 0,
          num_count: 0,
          num_sum: 0,
          num_sum_sq: 0,
          num_min: null,
          num_max: null,
          histogram: new Array(HISTOGRAM_EDGES.length + 1).fill(0),
          bool_count: 0,
          pass_count: 0,
        };
        out.set(key, r);
      }
      r.count++;
      const v = a.feedback.value;
      if (a.feedback.error) r.errors++;
      else if (typeof v === "number") {
        r.num_count++;
        r.num_sum += v;
        r.num_sum_sq += v * v;
        r.num_min = r.num_min === null ? v : Math.min(r.num_min, v);
        r.num_max = r.num_max === null ? v : Math.max(r.num_max, v);
        const found = HISTOGRAM_EDGES.findIndex((e) => v < e);
        const bin = found === -1 ? HISTOGRAM_EDGES.length : found;
        r.histogram[bin] = (r.histogram[bin] ?? 0) + 1;
      } else if (typeof v === "boolean" || (typeof v === "string" && ["yes", "no"].includes(v.trim().toLowerCase()))) {
        r.bool_count++;
        if (v === true || (typeof v === "string" && v.trim().toLowerCase() === "yes")) r.pass_count++;
      }
    }
  }
  return [...out.values()].sort((a, b) =>
    `${a.scorer_name}|${a.scorer_version}|${a.bucket_start}`.localeCompare(`${b.scorer_name}|${b.scorer_version}|${b.bucket_start}`),
  );
}

/** The stored rollups of an experiment in the same shape and order. */
export function storedRollups(ctx: Ctx, experimentId: number): ExpectedRollup[] {
  const rows = ctx.db.$client
    .prepare(
      `SELECT scorer_name, scorer_version, bucket_start, count, errors, num_count, num_sum, num_sum_sq, num_min, num_max, histogram,
         bool_count, pass_count FROM metric_rollups WHERE experiment_id = ?`,
    )
    .all(experimentId) as (Omit<ExpectedRollup, "histogram"> & { histogram: string })[];
  return rows
    .map((r) => ({ ...r, histogram: JSON.parse(r.histogram) as number[] }))
    .sort((a, b) => `${a.scorer_name}|${a.scorer_version}|${a.bucket_start}`.localeCompare(`${b.scorer_name}|${b.scorer_version}|${b.bucket_start}`));
}

/** Compares rollups field by field; float sums to 9 digits (summation order differs). */
export function expectSameRollups(expect: (v: unknown) => any, got: ExpectedRollup[], want: ExpectedRollup[]): void {
  expect(got.map((r) => [r.scorer_name, r.scorer_version, r.bucket_start])).toEqual(want.map((r) => [r.scorer_name, r.scorer_version, r.bucket_start]));
  got.forEach((g, k) => {
    const w = want[k]!;
    const { num_sum, num_sum_sq, ...exact } = g;
    const { num_sum: ws, num_sum_sq: wss, ...wantExact } = w;
    expect(exact).toEqual(wantExact);
    expect(num_sum).toBeCloseTo(ws, 9);
    expect(num_sum_sq).toBeCloseTo(wss, 9);
  });
}
