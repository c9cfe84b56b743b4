// Session scoring benchmark, on temp SQLite files: 10,000 conversations of 5 turns (50,000
// traces) scored by a TypeScript session code scorer (scorers/custom/repeated-question), beside
// trace scoring of the very same traces by a trace code scorer (polite-closing), both as the
// engine runs them on one thread (intake, sampling, trace loading, scoring, SQLite writes).
// Run: npx tsx bench/sessions.ts [sessions=10000] [turns=5]
// Always exits 0; prints figures and the ratio.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDb, type Db } from "@/db/client";
import { onlineConfigs, scorers, scorerVersions } from "@/db/schema/scorers";
import { parseConfig, systemActor, type Ctx } from "@/lib/core";
import { engineFor } from "@/lib/runtime/engine-store";
import { onlineStep } from "@/lib/engine/online-step";
import { PASS_LIMITS } from "@/lib/engine/worker";
import { sessionIntake } from "@/lib/engine/sessions/session-intake";
import { sessionTaskStep } from "@/lib/engine/sessions/session-run";
import { createExperiment } from "@/lib/experiments";
import { ensureDefaultExperiment } from "@/lib/experiments/default-experiment";
import { storeSpans, type IncomingSpan } from "@/lib/ingest";
import { serializeVigilModule } from "@/scorers";

const SESSIONS = Number(process.argv[2] ?? 10_000);
const TURNS = Number(process.argv[3] ?? 5);
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");
const ns = (ms: number) => (BigInt(ms) * 1_000_000n).toString();

function tempDb(tag: string): { db: Db; ctx: Ctx; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `vigil-bench-${tag}-`));
  const file = path.join(dir, "vigil.db");
  const db = openDb(file);
  ensureDefaultExperiment(db);
  // Buffer 0: every conversation is complete once stored, so the bench measures scoring alone.
  const ctx: Ctx = { db, config: parseConfig({ DATABASE_URL: file, VIGIL_DEMO: "0", VIGIL_SESSION_BUFFER_MS: "0" }), actor: systemActor, now: Date.now, fetch };
  return { db, ctx, dir };
}

function addScorer(ctx: Ctx, experimentId: number, name: string, module: string): void {
  const now = Date.now();
  const scorerId = `sc-${experimentId}-${name}`;
  ctx.db.insert(scorers).values({ scorerId, experimentId, name, createdAt: now }).run();
  ctx.db
    .insert(scorerVersions)
    .values({ scorerId, version: 1, serializedScorer: serializeVigilModule({ name, module }), creationTime: now })
    .run();
  ctx.db
    .insert(onlineConfigs)
    .values({ onlineScoringConfigId: `cfg-${scorerId}`, scorerId, sampleRate: 1, updatedAt: now })
    .run();
}

const QUESTIONS = ["Where is my order?", "When does it arrive?", "Can I change the address?", "Where is my order?", "Thanks, that's all."];

/** SESSIONS conversations of TURNS turns, one root span per turn, as OTLP ingestion receives them. */
async function seed(ctx: Ctx, experimentId: number): Promise<void> {
  const t0 = Date.now() - 3_600_000;
  let spans: IncomingSpan[] = [];
  for (let s = 0; s < SESSIONS; s++) {
    for (let k = 0; k < TURNS; k++) {
      const i = s * TURNS + k;
      const start = t0 + s * 10 + k * 2;
      spans.push({
        traceIdHex: hex(i + 1, 32),
        spanIdHex: hex(i + 1, 16),
        parentSpanIdHex: null,
        name: "agent",
        kind: 1,
        startTimeNs: ns(start),
        endTimeNs: ns(start + 1),
        statusCode: "STATUS_CODE_OK",
        statusMessage: "",
        attributes: {
          "mlflow.spanType": '"AGENT"',
          "mlflow.trace.session": JSON.stringify(`bench-session-${s}`),
          "mlflow.spanInputs": JSON.stringify({ messages: [{ role: "user", content: `${QUESTIONS[k % QUESTIONS.length]} (${s % 7 === 0 ? "again" : k})` }] }),
          "mlflow.spanOutputs": JSON.stringify({ choices: [{ message: { role: "assistant", content: "Happy to help, have a great day!" } }] }),
        },
        events: [],
      });
    }
    if (spans.length >= 5000) {
      await storeSpans({ ctx, input: { experimentId, spans } });
      spans = [];
    }
  }
  if (spans.length) await storeSpans({ ctx, input: { experimentId, spans } });
}

const count = (db: Db, sql: string) => (db.$client.prepare(sql).get() as { n: number }).n;

async function run(kind: "trace" | "session"): Promise<{ secs: number; outboxSecs: number; assessments: number }> {
  const { db, ctx, dir } = tempDb(kind);
  const exp = Number(createExperiment({ ctx, input: { name: `bench-${kind}` } }).experiment_id);
  if (kind === "trace") addScorer(ctx, exp, "polite", "polite-closing");
  else addScorer(ctx, exp, "repeated", "repeated-question");
  await seed(ctx, exp);
  const e = engineFor(ctx);
  let t0 = performance.now();
  let outboxSecs = 0;
  if (kind === "trace") while ((await onlineStep(e, PASS_LIMITS)).traces > 0);
  else {
    // Trace intake takes the outbox (no trace scorer samples: only taken), then the session steps.
    while ((await onlineStep(e, PASS_LIMITS)).traces > 0);
    outboxSecs = (performance.now() - t0) / 1000;
    t0 = performance.now();
    for (;;) {
      const i = await sessionIntake(e);
      const r = await sessionTaskStep(e);
      if (i.sessions === 0 && r.tasks === 0) break;
    }
  }
  const secs = (performance.now() - t0) / 1000;
  const assessments = count(db, "SELECT COUNT(*) AS n FROM assessments WHERE scorer_id IS NOT NULL");
  db.$client.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return { secs, outboxSecs, assessments };
}

const traces = SESSIONS * TURNS;
const t = await run("trace");
const s = await run("session");
console.log(`sessions: ${fmt(SESSIONS)} conversations x ${TURNS} turns = ${fmt(traces)} traces, one code scorer, one thread`);
console.log(
  `  trace scoring (polite-closing on every trace):       ${fmt(t.assessments)} assessments in ${t.secs.toFixed(2)} s = ${fmt(traces / t.secs)} traces/s`,
);
console.log(
  `  session scoring (repeated-question per conversation): ${fmt(s.assessments)} assessments in ${s.secs.toFixed(2)} s = ${fmt(SESSIONS / s.secs)} sessions/s, ${fmt(traces / s.secs)} turns/s`,
);
console.log(`  (the session run's trace intake, taking the outbox with no trace scorer: ${s.outboxSecs.toFixed(2)} s, not counted above)`);
console.log(`  session / trace time over the same traces: ${(s.secs / t.secs).toFixed(2)}`);
if (s.assessments !== SESSIONS || t.assessments !== traces) console.log(`  MISSED: expected ${fmt(SESSIONS)} session and ${fmt(traces)} trace assessments`);
