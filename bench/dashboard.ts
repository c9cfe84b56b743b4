// Dashboard benchmark: every page an on-call engineer, an ML engineer and a stakeholder open,
// served by the real `npm start` entry (Next.js build + API + worker) over a store of N traces
// (default 1,000,000, 30 days) with three scorers' assessments (10% of traces) rolled up. Time
// per page is the median full response on loopback (server time), beside /api/v1/health (the
// same server doing nothing) in the same run. Needs a build (`npx next build`); always exits 0.
// Run: npm run bench dashboard [traces] [port=4510]. With VIGIL_BENCH_DB=<file> the store is kept
// in that file and reused by the next run (bench/dashboard-verbs.ts times the read models on it).
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { openDb } from "@/db/client";
import { parseConfig, systemActor, type Ctx } from "@/lib/core";
import { rebuildRollups } from "@/lib/metrics";
import { serializeBuiltin } from "@/scorers";
import { generateTraces } from "./trace-fixture";

const N = Math.max(1000, Number(process.argv[2] ?? 1_000_000));
const PORT = Number(process.argv[3] ?? 4510);
const TARGET_MS = 500;
const RUNS = 5;
const log = (s: string) => process.stderr.write(`${s}\n`);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");

export function addScorersAndScores(ctx: Ctx): string {
  const db = ctx.db.$client;
  const scorers = [
    { name: "quality", cls: "ResponseLength", value: (k: number) => (k % 10 < 8 ? '"yes"' : '"no"') },
    { name: "errors", cls: "TraceError", value: (k: number) => (k % 33 === 0 ? '"no"' : '"yes"') },
    { name: "latency", cls: "LatencyBudget", value: (k: number) => String(((k * 7919) % 1000) / 1000) },
  ];
  const insScorer = db.prepare("INSERT INTO scorers (scorer_id, experiment_id, name, created_at) VALUES (?, 1, ?, 0)");
  const insVersion = db.prepare("INSERT INTO scorer_versions (scorer_id, version, serialized_scorer, creation_time) VALUES (?, 1, ?, 0)");
  const insConfig = db.prepare(
    "INSERT INTO online_configs (online_scoring_config_id, scorer_id, sample_rate, filter_string, updated_at) VALUES (?, ?, 0, NULL, 0)",
  );
  const ids = db.prepare("SELECT trace_id, request_time FROM traces WHERE experiment_id = 1 ORDER BY request_time").all() as {
    trace_id: string;
    request_time: number;
  }[];
  const insA = db.prepare(
    `INSERT INTO assessments (assessment_id, trace_id, experiment_id, name, source_type, source_id, kind, value, error, metadata, create_time,
       last_update_time, scorer_id, scorer_version) VALUES (?, ?, 1, ?, 'CODE', ?, 'feedback', ?, NULL, '{}', ?, ?, ?, 1)`,
  );
  let n = 0;
  db.transaction(() => {
    for (const s of scorers) {
      const id = `sc-${s.name}`;
      insScorer.run(id, s.name);
      insVersion.run(id, serializeBuiltin({ name: s.name, className: s.cls }));
      insConfig.run(`cfg-${id}`, id);
      // Stopped, so the worker beside the server does not score a million traces during the run.
      for (let k = 0; k < ids.length; k += 10) {
        const t = ids[k]!;
        insA.run(`a-${s.name}-${k}`, t.trace_id, s.name, `vigil:${s.name}`, s.value(k), t.request_time + 1000, t.request_time + 1000, id);
        n++;
      }
    }
  })();
  // Traffic as the completion triggers count it (the bulk load drops them): migration 0024's backfill.
  db.exec(`INSERT INTO traffic (experiment_id, bucket_ms, traces, errors, latency, last_trace_at)
    SELECT experiment_id, b, SUM(n), SUM(e), COALESCE(json_group_object(CAST(bin AS TEXT), n) FILTER (WHERE bin IS NOT NULL), '{}'), MAX(last)
    FROM (SELECT experiment_id, (request_time / 300000) * 300000 AS b,
            CASE WHEN execution_duration_ms IS NOT NULL AND state <> 'IN_PROGRESS'
              THEN CASE WHEN execution_duration_ms < 1 THEN 0 ELSE 1 + CAST(ln(execution_duration_ms) / 0.04879016416943205 AS INTEGER) END END AS bin,
            COUNT(*) AS n, SUM(state = 'ERROR') AS e, MAX(request_time) AS last
          FROM traces WHERE completed_at IS NOT NULL GROUP BY experiment_id, b, bin)
    GROUP BY experiment_id, b`);
  const built = rebuildRollups({ ctx, input: { experimentId: 1 } });
  log(`assessments: ${n.toLocaleString("en-US")}, rolled up (${JSON.stringify(built)})`);
  return ids[ids.length - 1]!.trace_id;
}

/**
 * The bench's store in `file`: built (N traces, scores, traffic, rollups) unless the file already
 * holds one; answers the newest trace id.
 */
export function benchStore(file: string, n: number): string {
  const config = parseConfig({ DATABASE_URL: file, VIGIL_DEMO: "0" });
  const db = openDb(file);
  try {
    const have = db.$client.prepare("SELECT trace_id FROM traces WHERE experiment_id = 1 ORDER BY request_time DESC LIMIT 1").pluck().get() as
      string | undefined;
    if (have) {
      log(`reusing ${file}`);
      return have;
    }
    const ctx: Ctx = { db, config, actor: systemActor, now: Date.now, fetch };
    generateTraces(ctx, n);
    const newest = addScorersAndScores(ctx);
    db.$client.exec("ANALYZE");
    return newest;
  } finally {
    db.$client.close();
  }
}

async function timePage(url: string): Promise<{ median: number; status: number; bytes: number }> {
  let status = 0;
  let bytes = 0;
  const times: number[] = [];
  for (let i = 0; i <= RUNS; i++) {
    const t0 = performance.now();
    const r = await fetch(url, { redirect: "manual" });
    const body = await r.arrayBuffer();
    if (i > 0) times.push(performance.now() - t0); // the first one warms caches and compiles
    status = r.status;
    bytes = body.byteLength;
  }
  return { median: times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!, status, bytes };
}

async function main() {
  if (!fs.existsSync(path.join(root, ".next", "BUILD_ID"))) {
    console.log("dashboard bench: no build; run `npx next build` first");
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-bench-dashboard-"));
  const file = process.env.VIGIL_BENCH_DB ? path.resolve(process.env.VIGIL_BENCH_DB) : path.join(dir, "bench.db");
  let server: ReturnType<typeof spawn> | null = null;
  try {
    const newest = benchStore(file, N);

    server = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: file, PORT: String(PORT), HOST: "127.0.0.1", VIGIL_DEMO: "0", VIGIL_BUILD: "never", LOG_LEVEL: "warn" },
      stdio: ["ignore", "ignore", "inherit"],
    });
    const base = `http://127.0.0.1:${PORT}`;
    for (let i = 0; i < 120; i++) {
      if (
        await fetch(`${base}/api/v1/health`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      await sleep(500);
    }
    const pages: [string, string][] = [
      ["health (baseline)", "/api/v1/health"],
      ["home (attention view)", "/"],
      ["experiment overview", "/experiments/1"],
      ["scorers", "/experiments/1/scorers"],
      ["scorer page", "/experiments/1/scorers/quality"],
      ["traces (7 days)", "/experiments/1/traces"],
      ["traces, errors, all time", `/experiments/1/traces?range=all&q=${encodeURIComponent("trace.status = 'ERROR'")}`],
      ["trace page", `/experiments/1/traces/${newest}`],
      ["jobs", "/experiments/1/jobs"],
      ["report (default period)", "/experiments/1/reports"],
      ["report 90 days", "/experiments/1/reports?period=90d"],
      ["alerts", "/alerts"],
    ];
    console.log(`dashboard over ${N.toLocaleString("en-US")} traces (median of ${RUNS} full responses, loopback):`);
    let met = true;
    let baseline = 0;
    for (const [label, p] of pages) {
      const r = await timePage(`${base}${p}`);
      if (p === "/api/v1/health") baseline = r.median;
      const ok = r.median < TARGET_MS && r.status === 200;
      if (p !== "/api/v1/health") met &&= ok;
      console.log(
        `  ${label.padEnd(26)} ${r.median.toFixed(1).padStart(8)} ms  ${String(r.status)}  ${(r.bytes / 1024).toFixed(0).padStart(5)} KB  ${baseline ? `${(r.median / Math.max(baseline, 0.01)).toFixed(0)}x health` : ""} ${p === "/api/v1/health" ? "" : ok ? "✓" : "✗"}`,
      );
    }
    console.log(`target: every page under ${TARGET_MS} ms at ${N.toLocaleString("en-US")} traces: ${met ? "met" : "MISSED"}`);
  } finally {
    if (server) {
      server.kill("SIGTERM");
      await new Promise((resolve) => server!.once("exit", resolve));
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// Imported for its fixture (a profile of one verb) it does not run.
if (process.argv[1]?.endsWith("dashboard.ts")) await main();
