// Working the task queue: due code-scorer retries in bulk, and LLM judges a few at a time under
// a request-rate limit, each call recorded in its own small transaction as it finishes.
import type { EngineCtx } from "./engine-context";
import { scoreItem } from "./code-scorer";
import { runOne, type Pair } from "./run-scorers";
import { Recorder } from "./store";
import { claimTasks, dropTask, recordTaskWrite, taskOutcome, taskPair, type TaskRow } from "./tasks";
import { available, fullBucket, tryTake, type BucketLimits, type TokenBucket } from "./token-bucket";
import { loadTraceBatch } from "./trace-batch";
import type { EngineScorer } from "./scorer-set";

/** Due code-scorer retries, one bulk batch. Returns how many tasks it took. */
export async function codeTaskStep(e: EngineCtx): Promise<number> {
  const sqlite = e.ctx.db.$client;
  const tasks = claimTasks(sqlite, e, "code", e.batchSize, e.leaseMs + e.code.timeoutMs);
  if (tasks.length === 0) return 0;
  const cache = new Map<string, EngineScorer | undefined>();
  const items = tasks.map((t) => ({ t, pair: taskPair(e, t, cache) }));
  const known = items.filter((x): x is { t: TaskRow; pair: Pair } => x.pair !== undefined);
  // One request per job (or online): the job id goes into each assessment's run id and metadata.
  const byJob = new Map<string | null, typeof known>();
  for (const x of known) byJob.set(x.t.job_id, [...(byJob.get(x.t.job_id) ?? []), x]);
  const replies = await Promise.all(
    [...byJob].map(async ([jobId, group]) => ({ group, reply: await e.codeScorer.score({ items: group.map((x) => scoreItem(x.pair, x.t.attempts)), jobId }) })),
  );
  const now = e.ctx.now();
  const rec = new Recorder(e.ctx.db, now, e.workerId);
  sqlite.transaction(() => {
    for (const { group, reply } of replies) {
      group.forEach((x, k) => {
        const w = reply[k];
        if (w) recordTaskWrite(rec, x.t, x.pair, w, now);
        else dropTask(rec, x.t, x.pair, "trace_deleted");
      });
    }
    for (const x of items) if (!x.pair) dropTask(rec, x.t, undefined, "scorer_deleted");
    rec.flush();
  }).immediate();
  return tasks.length;
}

/**
 * LLM judge calls in flight: at most `judgeConcurrency` at once, started no faster than
 * `judgeRps` (a token bucket). pump() is called by the worker loop and never waits on a call.
 */
export class JudgePool {
  private readonly inflight = new Set<Promise<void>>();
  private bucket: TokenBucket;
  private readonly limits: BucketLimits;
  private waiters: (() => void)[] = [];

  constructor(private readonly e: EngineCtx) {
    this.limits = { ratePerSec: e.judgeRps, burst: Math.max(1, Math.ceil(e.judgeRps)) };
    this.bucket = fullBucket(this.limits, e.ctx.now());
  }

  get running(): number {
    return this.inflight.size;
  }

  /** Starts as many due judge tasks as slots and the rate allow; returns how many started. */
  pump(): number {
    const now = this.e.ctx.now();
    const n = Math.min(this.e.judgeConcurrency - this.inflight.size, available(this.bucket, this.limits, now));
    if (n <= 0) return 0;
    const tasks = claimTasks(this.e.ctx.db.$client, this.e, "judge", n, this.e.leaseMs + this.e.judge.timeoutMs);
    for (const t of tasks) {
      this.bucket = tryTake(this.bucket, this.limits, now).bucket;
      const p: Promise<void> = this.run(t)
        .catch((err: unknown) => this.e.log(`judge task ${t.task_id} failed to record: ${err instanceof Error ? err.message : String(err)}`))
        .finally(() => {
          this.inflight.delete(p);
          for (const w of this.waiters.splice(0)) w();
        });
      this.inflight.add(p);
    }
    return tasks.length;
  }

  /** Resolves when some call finishes (at once if none is running). */
  next(): Promise<void> {
    if (this.inflight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async drain(): Promise<void> {
    await Promise.allSettled([...this.inflight]);
  }

  private async run(t: TaskRow): Promise<void> {
    const { e } = this;
    const sqlite = e.ctx.db.$client;
    const pair = taskPair(e, t, new Map());
    const trace = pair ? loadTraceBatch(sqlite, [t.trace_id]).get(t.trace_id) : undefined;
    const run = pair && trace ? await runOne(pair, trace, e.judge) : undefined;
    const now = e.ctx.now();
    const rec = new Recorder(e.ctx.db, now, e.workerId);
    sqlite.transaction(() => {
      if (!pair) dropTask(rec, t, undefined, "scorer_deleted");
      else if (!run) dropTask(rec, t, pair, "trace_deleted");
      else recordTaskWrite(rec, t, pair, taskOutcome(e, t, run, now), now);
      rec.flush();
    }).immediate();
  }
}
