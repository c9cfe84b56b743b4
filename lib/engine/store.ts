// The engine's writes to its own tables, as prepared statements (the hot path runs them tens of
// thousands of times a second). A Recorder is used inside one transaction: it queues tasks,
// hands assessments to an atomic sink, keeps the funnel and job counters in memory, and adds
// them in flush() before the commit.
import type Database from "better-sqlite3";
import type { Db } from "@/db/client";
import { systemActor } from "@/lib/core";
import { recordAudit } from "@/lib/audit";
import { utcDay } from "./cost";
import { FunnelTally } from "./funnel-tally";
import type { AssessmentInsert, UsageAdd } from "./outcomes";
import type { AssessmentSink } from "./ports";
import type { Pair } from "./run-scorers";
import type { EngineEventSink } from "./engine-context";

/** A shadow version keeps a funnel of its own (`name@vN`), out of the live scorer's. */
export function funnelName(s: { name: string; version: number; shadow?: boolean }): string {
  return s.shadow ? `${s.name}@v${s.version}` : s.name;
}

interface Stmts {
  insertTask: Database.Statement;
  deleteTask: Database.Statement;
  retryTask: Database.Statement;
  releaseTask: Database.Statement;
  funnelAdd: Database.Statement;
  usageAdd: Database.Statement;
  runtimeRow: Database.Statement;
  pause: Database.Statement;
  jobAdd: Database.Statement;
  jobRescores: Database.Statement;
}

const cache = new WeakMap<Database.Database, Stmts>();

export function stmts(db: Database.Database): Stmts {
  let s = cache.get(db);
  if (s) return s;
  s = {
    insertTask: db.prepare(
      `INSERT INTO engine_tasks (trace_id, experiment_id, scorer_id, scorer_name, scorer_version, kind, job_id, priority,
         attempts, next_attempt_at, last_error, trace_time_ms, created_at)
       VALUES (@traceId, @experimentId, @scorerId, @scorerName, @scorerVersion, @kind, @jobId, @priority,
         @attempts, @nextAttemptAt, @lastError, @traceTimeMs, @createdAt) ON CONFLICT DO NOTHING`,
    ),
    deleteTask: db.prepare("DELETE FROM engine_tasks WHERE task_id = ? AND lease_owner = ?"),
    retryTask: db.prepare(
      `UPDATE engine_tasks SET attempts = @attempts, next_attempt_at = @nextAttemptAt, last_error = @lastError, lease_owner = NULL, lease_expires_at = NULL
       WHERE task_id = @taskId AND lease_owner = @workerId`,
    ),
    releaseTask: db.prepare("UPDATE engine_tasks SET lease_owner = NULL, lease_expires_at = NULL, last_error = ? WHERE task_id = ? AND lease_owner = ?"),
    funnelAdd: db.prepare(
      `INSERT INTO engine_funnel (experiment_id, scorer_name, bucket_ms, stage, reason, count) VALUES (@experimentId, @scorerName, @bucketMs, @stage, @reason, @count)
       ON CONFLICT (experiment_id, scorer_name, bucket_ms, stage, reason) DO UPDATE SET count = count + excluded.count`,
    ),
    usageAdd: db.prepare(
      `INSERT INTO engine_usage (experiment_id, scorer_name, day, model, calls, prompt_tokens, completion_tokens, cost_usd, unpriced_calls)
       VALUES (@experimentId, @scorerName, @day, @model, 1, @promptTokens, @completionTokens, @costUsd, @unpricedCalls)
       ON CONFLICT (experiment_id, scorer_name, day, model) DO UPDATE SET calls = calls + 1,
         prompt_tokens = prompt_tokens + excluded.prompt_tokens, completion_tokens = completion_tokens + excluded.completion_tokens,
         cost_usd = cost_usd + excluded.cost_usd, unpriced_calls = unpriced_calls + excluded.unpriced_calls`,
    ),
    runtimeRow: db.prepare(
      `INSERT INTO engine_scorer_runtime (scorer_id, experiment_id, scorer_name, updated_at) VALUES (@scorerId, @experimentId, @name, @now)
       ON CONFLICT (scorer_id) DO NOTHING`,
    ),
    // Only the first account failure pauses (and is audited); later ones find it paused already.
    pause: db.prepare(
      `UPDATE engine_scorer_runtime SET account_paused_reason = @reason, account_paused_at = @now, updated_at = @now
       WHERE scorer_id = @scorerId AND account_paused_reason IS NULL`,
    ),
    jobAdd: db.prepare(
      "UPDATE jobs SET total = total + @total, done = done + @done, failed = failed + @failed, skipped = skipped + @skipped WHERE job_id = @jobId",
    ),
    jobRescores: db.prepare("SELECT 1 AS yes FROM jobs WHERE job_id = ? AND json_extract(params, '$.rescore') = 1"),
  };
  cache.set(db, s);
  return s;
}

export interface TaskSpec {
  kind: "code" | "judge";
  jobId: string | null;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
}

interface JobDelta {
  total: number;
  done: number;
  failed: number;
  skipped: number;
}

interface PendingAssessment {
  pair: Pair;
  row: AssessmentInsert;
  stage: "scored" | "failed";
  reason: string;
  jobId: string | null;
  usage?: UsageAdd;
}

export class Recorder {
  readonly tally = new FunnelTally();
  private readonly st: Stmts;
  private readonly jobs = new Map<string, JobDelta>();
  private pending: PendingAssessment[] = [];
  assessmentsWritten = 0;

  constructor(
    private readonly db: Db,
    private readonly now: number,
    private readonly workerId: string,
    private readonly sink: AssessmentSink,
    private readonly event: EngineEventSink = () => {},
  ) {
    this.st = stmts(db.$client);
  }

  private job(jobId: string): JobDelta {
    let d = this.jobs.get(jobId);
    if (!d) this.jobs.set(jobId, (d = { total: 0, done: 0, failed: 0, skipped: 0 }));
    return d;
  }

  /** Counts a pair into a job's total (jobs count pairs as their scan finds them). */
  jobPair(jobId: string): void {
    this.job(jobId).total++;
  }

  /** Pairs a job counts as skipped without a pair in hand (listed traces the store does not have). */
  jobSkips(jobId: string, n: number): void {
    this.job(jobId).skipped += n;
  }

  /** Online work feeds the funnel; job work feeds the job's counters. */
  count(pair: Pair, jobId: string | null, stage: "scored" | "failed" | "skipped" | "retried", reason: string): void {
    if (jobId === null) {
      this.tally.add(pair.trace.experimentId, funnelName(pair.scorer), pair.trace.timeMs, stage, reason);
      return;
    }
    const d = this.job(jobId);
    if (stage === "scored") d.done++;
    else if (stage === "failed") d.failed++;
    else if (stage === "skipped") d.skipped++;
  }

  /**
   * The pair's one assessment, written at flush() with the rest of the batch (atomic sinks only);
   * if the pair already has one, it is counted as skipped (already_scored) instead, and its usage
   * is not added.
   */
  assessment(pair: Pair, row: AssessmentInsert, stage: "scored" | "failed", reason: string, jobId: string | null, usage?: UsageAdd): void {
    this.pending.push({ pair, row, stage, reason, jobId, usage });
  }

  /** Queues a pair; false when that (trace, scorer, version) is already queued. */
  queueTask(pair: Pair, t: TaskSpec): boolean {
    const r = this.st.insertTask.run({
      traceId: pair.trace.traceId,
      experimentId: pair.trace.experimentId,
      scorerId: pair.scorer.scorerId,
      scorerName: pair.scorer.name,
      scorerVersion: pair.scorer.version,
      kind: t.kind,
      jobId: t.jobId,
      priority: t.jobId === null ? 0 : 1,
      attempts: t.attempts,
      nextAttemptAt: t.nextAttemptAt,
      lastError: t.lastError,
      traceTimeMs: pair.trace.timeMs,
      createdAt: this.now,
    });
    if (r.changes === 0) this.count(pair, t.jobId, "skipped", "already_queued");
    return r.changes === 1;
  }

  /** Takes a claimed task off the queue; false when this worker no longer holds it (lease lost, job cancelled). */
  completeTask(taskId: number): boolean {
    return this.st.deleteTask.run(taskId, this.workerId).changes === 1;
  }

  /** A pair whose assessment a non-atomic sink wrote (or found already written): counted like a stored one. */
  written(pair: Pair, jobId: string | null, stage: "scored" | "failed", reason: string): void {
    this.assessmentsWritten++;
    this.count(pair, jobId, stage, reason);
  }

  retryTask(taskId: number, pair: Pair, jobId: string | null, w: { attempts: number; nextAttemptAt: number; lastError: string; reason: string }): boolean {
    const ok =
      this.st.retryTask.run({ attempts: w.attempts, nextAttemptAt: w.nextAttemptAt, lastError: w.lastError, taskId, workerId: this.workerId }).changes === 1;
    if (ok && jobId === null) this.tally.add(pair.trace.experimentId, funnelName(pair.scorer), pair.trace.timeMs, "retried", w.reason);
    return ok;
  }

  retried(pair: Pair, jobId: string | null, reason: string): void {
    this.count(pair, jobId, "retried", reason);
  }

  releaseTask(taskId: number, lastError: string): void {
    this.st.releaseTask.run(lastError, taskId, this.workerId);
  }

  skip(pair: Pair, jobId: string | null, reason: string): void {
    this.count(pair, jobId, "skipped", reason);
  }

  /** Pauses the scorer after an account-level failure, visibly: runtime state and the audit log. */
  pause(pair: Pair, reason: string): void {
    const s = pair.scorer;
    this.st.runtimeRow.run({ scorerId: s.scorerId, experimentId: s.experimentId, name: s.name, now: this.now });
    if (this.st.pause.run({ reason, now: this.now, scorerId: s.scorerId }).changes === 0) return;
    // Said inside the transaction: a rollback (rare) retries the pause and says it again.
    this.event({ name: "scorer.auto_paused", fields: { experiment_id: String(s.experimentId), scorer: s.name, reason } });
    recordAudit(
      { db: this.db, actor: systemActor, now: () => this.now },
      { action: "scorer.account_pause", entityType: "scorer", entityId: s.scorerId, experimentId: s.experimentId, after: { account_paused_reason: reason } },
    );
  }

  usage(pair: Pair, u: UsageAdd): void {
    this.st.usageAdd.run({
      experimentId: pair.trace.experimentId,
      scorerName: pair.scorer.name,
      day: utcDay(this.now),
      model: u.model,
      promptTokens: u.promptTokens,
      completionTokens: u.completionTokens,
      costUsd: u.costUsd ?? 0,
      unpricedCalls: u.costUsd === null ? 1 : 0,
    });
  }

  private readonly rescoreJobs = new Map<string, boolean>();

  /** Whether a job scores again what is already scored (jobs.params.rescore). */
  private rescores(jobId: string): boolean {
    let r = this.rescoreJobs.get(jobId);
    if (r === undefined) this.rescoreJobs.set(jobId, (r = this.st.jobRescores.get(jobId) !== undefined));
    return r;
  }

  /** Writes the batch's assessments, funnel counters and job deltas. Call last, inside the transaction. */
  flush(): void {
    let inserted = new Set<string>();
    if (this.pending.length) {
      if (!this.sink.atomic) throw new Error("assessments of a non-atomic sink are written before the ledger records them");
      inserted = this.sink.insert(this.pending.map((p) => p.row));
      // Refused rows are rare (a pair already scored); a "score again" job's replace the older ones.
      const again = this.pending.filter((p) => !inserted.has(p.row.assessmentId) && p.jobId !== null && this.rescores(p.jobId));
      if (again.length) for (const id of this.sink.supersede(again.map((p) => p.row))) inserted.add(id);
    }
    for (const p of this.pending) {
      if (!inserted.has(p.row.assessmentId)) {
        this.count(p.pair, p.jobId, "skipped", "already_scored");
        continue;
      }
      this.assessmentsWritten++;
      this.count(p.pair, p.jobId, p.stage, p.reason);
      if (p.usage) this.usage(p.pair, p.usage);
    }
    this.pending = [];
    for (const f of this.tally.entries()) this.st.funnelAdd.run(f);
    for (const [jobId, d] of this.jobs) this.st.jobAdd.run({ ...d, jobId });
  }
}
