// The read models behind each dashboard page, timed in-process on the dashboard bench's store
// (bench/dashboard.ts), without the server: where a slow page spends its time. Median of 5 calls
// after one warm-up, beside `SELECT 1` on the same connection as a baseline. Always exits 0.
// Run: VIGIL_BENCH_DB=<file> npx tsx bench/dashboard-verbs.ts [traces]   (builds the file if missing)
import os from "node:os";
import path from "node:path";
import { openDb } from "@/db/client";
import { alertMarkFor, listAlertRules } from "@/lib/alerts";
import { countAttentionAlerts } from "@/lib/alerts/list-alerts";
import { listAuditEntries } from "@/lib/audit";
import { parseConfig, systemActor, type Ctx } from "@/lib/core";
import { getScorerFunnel } from "@/lib/engine/runtime";
import { getTrend } from "@/lib/metrics";
import { getScorer, humanAgreement, listScorerVersions, listShadows, needsLabels } from "@/lib/monitoring";
import {
  getAttentionOverview,
  getExperimentSummaries,
  getExperimentTraffic,
  getScorerOverview,
  listExperimentOptions,
  getScorerCost,
  listScoredAssessments,
  scorerJobOutcomes,
} from "@/lib/read";
import { getRemoteStatus } from "@/lib/remote/status";
import { benchStore } from "./dashboard";

const N = Math.max(1000, Number(process.argv[2] ?? 1_000_000));
const file = path.resolve(process.env.VIGIL_BENCH_DB ?? path.join(os.tmpdir(), "vigil-bench-dashboard.db"));
benchStore(file, N);
const db = openDb(file);
const ctx: Ctx = { db, config: parseConfig({ DATABASE_URL: file, VIGIL_DEMO: "0" }), actor: systemActor, now: Date.now, fetch };
const DAY = 86_400_000;
const now = Date.now();

const verbs: [string, string, () => unknown][] = [
  ["baseline", "SELECT 1", () => db.$client.prepare("SELECT 1").get()],
  ["layout", "listExperimentOptions", () => listExperimentOptions({ ctx, input: {} })],
  ["layout", "getRemoteStatus", () => getRemoteStatus({ ctx, input: {} })],
  ["layout", "countAttentionAlerts", () => countAttentionAlerts({ ctx, input: {} })],
  ["home", "getExperimentSummaries", () => getExperimentSummaries({ ctx, input: {} })],
  ["home, scorers", "getAttentionOverview", () => getAttentionOverview({ ctx, input: {} })],
  ["experiment", "getExperimentTraffic 24h", () => getExperimentTraffic({ ctx, input: { experimentId: "1", range: "24h" } })],
  ["experiment, scorer", "getScorerOverview", () => getScorerOverview({ ctx, input: { experimentId: "1" } })],
  ["scorer", "getTrend 7d", () => getTrend({ ctx, input: { experimentId: "1", scorer: "quality", start: now - 7 * DAY, end: now, bucket: "hour" } })],
  ["scorer", "getScorerFunnel 7d", () => getScorerFunnel({ ctx, input: { experimentId: "1", scorerName: "quality", start: now - 7 * DAY, end: now } })],
  ["scorer", "listScoredAssessments 20", () => listScoredAssessments({ ctx, input: { experimentId: "1", name: "quality", limit: 20 } })],
  ["scorer", "getScorer", () => getScorer({ ctx, input: { experiment_id: "1", name: "quality" } })],
  ["scorer", "listScorerVersions", () => listScorerVersions({ ctx, input: { experiment_id: "1", name: "quality" } })],
  ["scorer", "scorerJobOutcomes 7d", () => scorerJobOutcomes(ctx, 1, "quality", now - 7 * DAY, now)],
  ["scorer", "getScorerCost", () => getScorerCost(ctx, 1, "quality")],
  ["scorer", "listAlertRules", () => listAlertRules({ ctx, input: { experiment_id: "1", scorer: "quality" } })],
  ["scorer", "listShadows", () => listShadows({ ctx, input: { experiment_id: "1", name: "quality" } })],
  ["scorer", "humanAgreement", () => humanAgreement({ ctx, input: { experiment_id: "1", name: "quality" } })],
  ["scorer", "needsLabels 15", () => needsLabels({ ctx, input: { experiment_id: "1", name: "quality", max_results: 15 } })],
  ["scorer", "alertMarkFor", () => alertMarkFor({ ctx, input: { alert_id: undefined, experiment_id: "1", scorer: "quality" } })],
];

console.log(
  `read models over ${(db.$client.prepare("SELECT COUNT(*) FROM traces").pluck().get() as number).toLocaleString("en-US")} traces (median of 5 calls):`,
);
let baseline = 0;
for (const [page, name, fn] of verbs) {
  let times: number[] = [];
  let error = "";
  try {
    fn();
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      fn();
      times.push(performance.now() - t0);
    }
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
    times = [NaN];
  }
  const median = times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
  if (name === "SELECT 1") baseline = median;
  const ratio = baseline && name !== "SELECT 1" ? `${(median / Math.max(baseline, 0.001)).toFixed(0)}x baseline` : "";
  console.log(`  ${page.padEnd(20)} ${name.padEnd(28)} ${median.toFixed(2).padStart(9)} ms  ${ratio}${error ? `  error: ${error}` : ""}`);
}
db.$client.close();
