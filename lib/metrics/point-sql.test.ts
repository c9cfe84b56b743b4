import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "@/db/client";
import { HISTOGRAM_BINS, HOUR_MS, binSql } from "./point-sql";
import { recomputeRollups, refreshTracePoints } from "./refresh-points";

let db: Db;
beforeAll(() => {
  db = openDb(":memory:");
  db.$client
    .prepare("INSERT INTO traces (trace_id, experiment_id, request_time, last_span_at, state) VALUES ('tr-1', 1, ?, 0, 'OK')")
    .run(Date.UTC(2025, 0, 2, 13, 45));
});
afterAll(() => db.$client.close());

let n = 0;
function pointOf(value: string | null, error: string | null, extra: { kind?: string; valid?: number; version?: number | null } = {}) {
  const id = `a-${++n}`;
  db.$client
    .prepare(
      `INSERT INTO assessments (assessment_id, trace_id, experiment_id, name, source_type, kind, value, error, valid, create_time, last_update_time, scorer_version)
     VALUES (?, 'tr-1', 1, 'quality', 'CODE', ?, ?, ?, ?, 0, 0, ?)`,
    )
    .run(id, extra.kind ?? "feedback", value, error, extra.valid ?? 1, extra.version === undefined ? 3 : extra.version);
  refreshTracePoints(db.$client, ["tr-1"]);
  return db.$client.prepare("SELECT scorer_version, bucket_start, is_error, num, pass, bin FROM metric_points WHERE assessment_id = ?").get(id) as
    { scorer_version: number; bucket_start: number; is_error: number; num: number | null; pass: number | null; bin: number | null } | undefined;
}

describe("feedback values as metric points", () => {
  it.each([
    // value JSON, error JSON → is_error, num, pass, bin
    ["0.5", null, 0, 0.5, null, 6],
    ["4", null, 0, 4, null, 14],
    ["true", null, 0, null, 1, null],
    ["false", null, 0, null, 0, null],
    ['"yes"', null, 0, null, 1, null],
    ['"No"', null, 0, null, 0, null],
    ['" YES "', null, 0, null, 1, null],
    ['"unknown"', null, 0, null, null, null],
    ['"3"', null, 0, null, null, null],
    ["[1,2]", null, 0, null, null, null],
    ['{"a":1}', null, 0, null, null, null],
    ["null", null, 0, null, null, null],
    [null, '{"error_code":"TIMEOUT"}', 1, null, null, null],
    ["0.9", '{"error_code":"PARTIAL"}', 1, null, null, null],
    ["not json", null, 0, null, null, null],
  ])("value %s error %s → is_error %i num %s pass %s bin %s", (value, error, isError, num, pass, bin) => {
    const p = pointOf(value, error)!;
    expect(p).toMatchObject({ is_error: isError, num, pass, bin });
  });

  it("buckets by the trace's request hour and keeps a missing scorer version as 0", () => {
    const p = pointOf("1", null, { version: null })!;
    expect(p.bucket_start).toBe(Date.UTC(2025, 0, 2, 13));
    expect(p.bucket_start % HOUR_MS).toBe(0);
    expect(p.scorer_version).toBe(0);
  });

  it("ignores expectations and invalid (overridden) feedback", () => {
    expect(pointOf("1", null, { kind: "expectation" })).toBeUndefined();
    expect(pointOf("1", null, { valid: 0 })).toBeUndefined();
  });
});

describe("histogram bins", () => {
  it.each([
    [-0.01, 0],
    [0, 1],
    [0.09999, 1],
    [0.1, 2],
    [0.3, 4],
    [0.7, 8],
    [0.95, 10],
    [1, 11],
    [1.5, 11],
    [2, 12],
    [3, 13],
    [4, 14],
    [5, 15],
    [5.99, 15],
    [6, 16],
    [9.9, 16],
    [10, 17],
    [1e9, 17],
  ])("%f falls in bin %i", (x, bin) => {
    const got = db.$client.prepare(`SELECT ${binSql("x")} AS b FROM (SELECT ? AS x)`).get(x) as { b: number };
    expect(got.b).toBe(bin);
    expect(bin).toBeLessThan(HISTOGRAM_BINS);
  });
});

describe("recomputeRollups", () => {
  it("aggregates a bucket's points and removes a bucket left empty", () => {
    const sqlite = db.$client;
    sqlite.prepare("DELETE FROM assessments").run();
    const ins = sqlite.prepare(
      `INSERT INTO assessments (assessment_id, trace_id, experiment_id, name, source_type, kind, value, error, create_time, last_update_time, scorer_version)
       VALUES (?, 'tr-1', 1, 'rated', 'CODE', 'feedback', ?, ?, 0, 0, 1)`,
    );
    ins.run("r-1", "2", null);
    ins.run("r-2", "4", null);
    ins.run("r-3", null, '{"error_code":"X"}');
    ins.run("r-4", '"yes"', null);
    const keys = refreshTracePoints(sqlite, ["tr-1"]);
    recomputeRollups(sqlite, keys.values(), 123);
    const row = sqlite.prepare("SELECT * FROM metric_rollups WHERE scorer_name = 'rated'").get() as Record<string, unknown>;
    expect(row).toMatchObject({
      count: 4,
      errors: 1,
      num_count: 2,
      num_sum: 6,
      num_sum_sq: 20,
      num_min: 2,
      num_max: 4,
      bool_count: 1,
      pass_count: 1,
      updated_at: 123,
    });
    const hist = JSON.parse(row.histogram as string) as number[];
    expect(hist).toHaveLength(HISTOGRAM_BINS);
    expect(hist[12]).toBe(1);
    expect(hist[14]).toBe(1);

    sqlite.prepare("DELETE FROM assessments WHERE name = 'rated'").run();
    recomputeRollups(sqlite, refreshTracePoints(sqlite, ["tr-1"]).values(), 124);
    expect(sqlite.prepare("SELECT count(*) FROM metric_rollups WHERE scorer_name = 'rated'").pluck().get()).toBe(0);
  });
});
