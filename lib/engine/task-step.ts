// The runner: works the task queue. Due code-scorer tasks in bulk, and LLM judges a few at a time
// under a request-rate limit, each recorded as it finishes (lib/engine/settle.ts writes them
// through the store's sink). A pass never waits on a judge call.
import type { EngineCtx } from "./engine-context";
import { scoreItem } from "./code-scorer";
import { runOne, type Pair } from "./run-scorers";
import { claimTasks, releaseTasks, requeueAsJudges, taskOutcome, taskPair, toMessage, type TaskRow } from "./tasks";
import { settle, type Settled } from "./settle";
import { available, fullBucket, tryTake, type BucketLimits, type TokenBucket } from "./token-bucket";
import type { EngineScorer } from "./scorer-set";
import type { TraceData } from "@/lib/mlflow/types";
import { runSessionJudge } from "./sessions/session-run";
import type { SessionTaskRow } from "./sessions/session-tasks";

/**
 * The traces of claimed tasks, when the store needs them loaded here (a remote store); pairs
 * whose assessment is already on the loaded trace are settled as found. null: the code scorer
 * reads the traces itself. A store that does not answer releases the tasks and throws.
 */
async function preload(
  e: EngineCtx,
  items: { t: TaskRow; pair: Pair }[],
  out: Settled[],
): Promise<{ traces: Map<string, TraceData>; rest: typeof items } | null> {
  const { source, sink } = e.store;
  if (!source.preload) return null;
  let traces: Map<string, TraceData>;
  try {
    traces = await source.loadTraces([...new Set(items.map((x) => x.t.trace_id))]);
  } catch (err) {
    releaseTasks(
      e,
      items.map((x) => x.t),
      e.ctx.now() + e.policy.baseMs,
      toMessage(err),
    );
    throw err;
  }
  const rest: typeof items = [];
  for (const x of items) {
    const trace = traces.get(x.t.trace_id);
    const found = trace && !sink.atomic ? sink.onTrace(trace, x.t.scorer_id, x.t.scorer_version) : undefined;
    if (!trace) out.push({ t: x.t, pair: x.pair, drop: "trace_deleted" });
    else if (found) out.push({ t: x.t, pair: x.pair, found });
    else rest.push(x);
  }
  return { traces, rest };
}

/** Due code-scorer tasks, one bulk batch. Returns how many tasks it took. */
export async function codeTaskStep(e: EngineCtx): Promise<number> {
  const tasks = claimTasks(e.ctx.db.$client, e, "code", e.batchSize, e.leaseMs + e.code.timeoutMs);
  if (tasks.length === 0) return 0;
  const out: Settled[] = [];
  const cache = new Map<string, EngineScorer | undefined>();
  let known: { t: TaskRow; pair: Pair }[] = [];
  const judges: TaskRow[] = [];
  for (const t of tasks) {
    const pair = taskPair(e, t, cache);
    if (!pair) out.push({ t, drop: "scorer_deleted" });
    else if (pair.scorer.kind === "judge")
      judges.push(t); // queued before its kind was known (migration 0016)
    else known.push({ t, pair });
  }
  requeueAsJudges(e, judges);
  const loaded = await preload(e, known, out);
  if (loaded) known = loaded.rest;
  // One request per job (or online): the job id goes into each assessment's run id and metadata.
  const byJob = new Map<string | null, typeof known>();
  for (const x of known) byJob.set(x.t.job_id, [...(byJob.get(x.t.job_id) ?? []), x]);
  const replies = await Promise.all(
    [...byJob].map(async ([jobId, group]) => {
      const traces = loaded ? group.map((x) => loaded.traces.get(x.t.trace_id)!) : undefined;
      return { group, reply: await e.codeScorer.score({ items: group.map((x) => scoreItem(x.pair, x.t.attempts)), jobId, traces }) };
    }),
  );
  for (const { group, reply } of replies) {
    group.forEach((x, k) => {
      const w = reply[k];
      out.push(w ? { t: x.t, pair: x.pair, write: w } : { t: x.t, pair: x.pair, drop: "trace_deleted" });
    });
  }
  await settle(e, out);
  return tasks.length;
}

/**
 * LLM judge calls in flight, trace and session judges alike: at most `judgeConcurrency` at once,
 * started no faster than `judgeRps` (a token bucket). pump() is called by the worker loop and
 * never waits on a call.
 */
export class JudgePool {
  private readonly inflight = new Set<Promise<void>>();
  private bucket: TokenBucket;
  private readonly limits: BucketLimits;
  private waiters: (() => void)[] = [];
  private sessionsFirst = false;

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
    const tasks = this.claim(n);
    for (const t of tasks) {
      this.bucket = tryTake(this.bucket, this.limits, now).bucket;
      const p: Promise<void> = this.run(t)
        .catch((err: unknown) => this.e.log(`judge task ${t.task_id} failed to record: ${toMessage(err)}`))
        .finally(() => {
          this.inflight.delete(p);
          for (const w of this.waiters.splice(0)) w();
        });
      this.inflight.add(p);
    }
    return tasks.length;
  }

  /** Trace judges and session judges (lib/engine/sessions) share the slots and the rate; the kinds take turns going first. */
  private claim(n: number): TaskRow[] {
    const { e } = this;
    const lease = e.leaseMs + e.judge.timeoutMs;
    const kinds: TaskRow["kind"][] = !e.store.sessions ? ["judge"] : this.sessionsFirst ? ["session_judge", "judge"] : ["judge", "session_judge"];
    this.sessionsFirst = !this.sessionsFirst;
    const tasks: TaskRow[] = [];
    for (const kind of kinds) tasks.push(...claimTasks(e.ctx.db.$client, e, kind, n - tasks.length, lease));
    return tasks;
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
    if (t.kind === "session_judge") return runSessionJudge(e, t as SessionTaskRow);
    const pair = taskPair(e, t, new Map());
    if (!pair) return settle(e, [{ t, drop: "scorer_deleted" }]);
    const out: Settled[] = [];
    const loaded = await preload(e, [{ t, pair }], out);
    if (out.length) return settle(e, out);
    const trace = loaded ? loaded.traces.get(t.trace_id) : (await e.store.source.loadTraces([t.trace_id])).get(t.trace_id);
    if (!trace) return settle(e, [{ t, pair, drop: "trace_deleted" }]);
    const run = await runOne(pair, trace, e.judge);
    await settle(e, [{ t, pair, write: taskOutcome(e, t, run, e.ctx.now()) }]);
  }
}
