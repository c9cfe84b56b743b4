// Trend benchmark: a 90-day daily trend of one scorer over N assessments (default 10,000,000),
// answered by getTrend from the hourly rollups, beside the same numbers computed from the raw
// assessments (joined to their traces for the bucket) in the same run, on a temp SQLite file.
// Run: npx tsx bench/trends.ts [assessments]   (always exits 0; prints figures and the target check)
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDb } from "@/db/client";
import { parseConfig, systemActor, type Ctx } from "@/lib/core";
import { getTrend, rebuildRollups } from "@/lib/metrics";
import { pointColumnsSql } from "@/lib/metrics/point-sql";
import { meanFromSums } from "@/lib/metrics/stats";

const N = Math.max(1000, Number(process.argv[2] ?? 10_000_000));
const DAYS = 90;
const DAY = 86_400_000;
const TARGET_MS = 10; // issue 21: a 90-day trend over 10M assessments under 10 ms
const END = Date.UTC(2025, 9, 1);
const START = END - DAYS * DAY;
const BATCH = 200_000;

// Deterministic data: every run the same.
let seed = 7;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");
const log = (s: string) => process.stderr.write(`${s}\n`);
const ms = (t0: number) => performance.now() - t0;
const fmt = (x: number) => x.toLocaleString("en-US", { maximumFractionDigits: 1 });

function generate(ctx: Ctx): void {
  const sqlite = ctx.db.$client;
  // A bulk load bypasses change tracking (the triggers): rebuildRollups is the bulk path after it.
  for (const name of sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").pluck().all() as string[]) sqlite.exec(`DROP TRIGGER "${name}"`);
  sqlite.prepare("INSERT INTO experiments (experiment_id, name, creation_time, last_update_time) VALUES (1, 'bench', 0, 0)").run();
  const insTrace = sqlite.prepare(
    `INSERT INTO traces (trace_id, experiment_id, request_time, execution_duration_ms, end_time_ms, state, last_span_at, completed_at, span_count)
     VALUES (?, 1, ?, ?, ?, 'OK', ?, ?, 5)`,
  );
  const insAssessment = sqlite.prepare(
    `INSERT INTO assessments (assessment_id, trace_id, experiment_id, name, source_type, source_id, kind, value, error, metadata, create_time,
       last_update_time, scorer_id, scorer_version)
     VALUES (?, ?, 1, 'quality', 'CODE', 'vigil:quality', 'feedback', ?, ?, '{}', ?, ?, 'sc-quality', ?)`,
  );
  // Each trace is scored online by version 1 and backfilled by version 2: two assessments a trace.
  const traces = Math.ceil(N / 2);
  const step = (DAYS * DAY) / traces;
  let written = 0;
  const t0 = performance.now();
  for (let from = 0; from < traces; from += BATCH / 2) {
    sqlite.transaction(() => {
      for (let k = from; k < Math.min(traces, from + BATCH / 2); k++) {
        const id = `tr-${hex(k, 32)}`;
        const at = Math.floor(START + k * step);
        const dur = 200 + Math.floor(rand() * 3000);
        insTrace.run(id, at, dur, at + dur, at + dur, at + dur);
        // The agent slowly degrades over the quarter: a drift the trend should show.
        const base = 0.8 - (0.1 * (at - START)) / (DAYS * DAY);
        for (const version of [1, 2]) {
          if (written >= N) break;
          const failed = rand() < 0.02;
          const value = failed ? null : JSON.stringify(Math.round(Math.min(1, Math.max(0, base + (rand() - 0.5) * 0.4)) * 100) / 100);
          insAssessment.run(`a-${hex(written, 32)}`, id, value, failed ? '{"error_code":"TIMEOUT"}' : null, at + dur + 1000, at + dur + 1000, version);
          written++;
        }
      }
    })();
    if (from % 1_000_000 === 0) log(`  generated ${fmt(written)} assessments (${fmt(ms(t0) / 1000)} s)`);
  }
  log(`generated ${fmt(traces)} traces and ${fmt(written)} assessments in ${fmt(ms(t0) / 1000)} s`);
}

interface DayRow {
  day: number;
  v: number;
  n: number;
  s: number;
  ss: number;
}

/** The same daily means straight from raw assessments: classification, join and grouping per query. */
function rawTrend(ctx: Ctx): DayRow[] {
  const c = pointColumnsSql(
    "(CASE WHEN json_valid(a.value) THEN json_type(a.value) END)",
    "(CASE WHEN json_valid(a.value) THEN json_extract(a.value, '$') END)",
    "a.error IS NOT NULL",
  );
  return ctx.db.$client
    .prepare(
      `SELECT day, v, count(num) AS n, total(num) AS s, total(num * num) AS ss FROM (
         SELECT (t.request_time / ${DAY}) * ${DAY} AS day, coalesce(a.scorer_version, 0) AS v, ${c.num} AS num
         FROM assessments a JOIN traces t ON t.trace_id = a.trace_id
         WHERE a.experiment_id = 1 AND a.name = 'quality' AND a.kind = 'feedback' AND a.valid = 1
           AND t.request_time >= @start AND t.request_time < @end)
       GROUP BY day, v ORDER BY v, day`,
    )
    .all({ start: START, end: END }) as DayRow[];
}

function main(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-bench-trends-"));
  const config = parseConfig({ DATABASE_URL: path.join(dir, "bench.db"), VIGIL_DEMO: "0" });
  const db = openDb(config.databasePath);
  const ctx: Ctx = { db, config, actor: systemActor, now: () => END, fetch };
  try {
    log(`trends bench: ${fmt(N)} assessments of one scorer over ${DAYS} days`);
    generate(ctx);
    let t0 = performance.now();
    const built = rebuildRollups({ ctx, input: { experimentId: 1 } });
    const rebuildMs = ms(t0);
    log(`rebuilt ${fmt(built.points)} points into ${fmt(built.buckets)} hourly rollups in ${fmt(rebuildMs / 1000)} s`);

    const input = { experimentId: 1, scorer: "quality", start: START, end: END, bucket: "day" as const };
    getTrend({ ctx, input }); // warm the statement cache and page cache, as a running server would be
    const times: number[] = [];
    let trend = getTrend({ ctx, input });
    for (let k = 0; k < 20; k++) {
      t0 = performance.now();
      trend = getTrend({ ctx, input });
      times.push(ms(t0));
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    const worst = times[times.length - 1]!;

    t0 = performance.now();
    const raw = rawTrend(ctx);
    const rawMs = ms(t0);

    // Same answer both ways: per version and day, n and mean.
    const fromRollups = trend.series.flatMap((s) =>
      s.points.map((p) => ({ v: s.scorer_version ?? 0, day: p.bucket_start, n: p.mean?.n ?? 0, mean: p.mean?.value ?? 0 })),
    );
    const agree =
      raw.length === fromRollups.length &&
      raw.every((r, k) => {
        const o = fromRollups[k]!;
        return o.v === r.v && o.day === r.day && o.n === r.n && Math.abs(o.mean - (meanFromSums(r.n, r.s, r.ss)?.mean ?? 0)) < 1e-9;
      });
    const points = trend.series.reduce((a, s) => a + s.points.length, 0);
    const summarised = trend.series.reduce((a, s) => a + s.points.reduce((b, p) => b + p.count, 0), 0);

    console.log(`assessments summarised:       ${fmt(summarised)} (${trend.series.length} scorer versions, ${points} daily points)`);
    console.log(`rollup rebuild (bulk):        ${fmt(rebuildMs / 1000)} s for ${fmt(built.points)} points -> ${fmt(built.buckets)} hourly rows`);
    console.log(`90-day daily trend, rollups:  median ${median.toFixed(2)} ms, worst of 20 ${worst.toFixed(2)} ms`);
    console.log(`same trend, raw assessments:  ${fmt(rawMs)} ms`);
    console.log(`raw / rollups:                ${fmt(rawMs / median)}x`);
    console.log(`answers agree:                ${agree ? "yes" : "NO"}`);
    console.log(`target < ${TARGET_MS} ms (worst run):   ${worst < TARGET_MS ? "met" : "MISSED"}`);
    console.log(`database size:                ${fmt(fs.statSync(config.databasePath).size / 1e9)} GB`);
  } finally {
    db.$client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
