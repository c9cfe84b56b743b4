// Shared by the engine and jobs tests: scorers registered straight into the lifecycle's tables,
// traces seeded through ingestion (storeSpans), an engine driven pass by pass, and the expected
// sampled pairs computed independently with sampleTrace.
import { createHash } from "node:crypto";
import { onlineConfigs, scorers, scorerVersions } from "@/db/schema/scorers";
import type { Ctx } from "@/lib/core";
import { createExperiment } from "@/lib/experiments";
import { storeSpans, type IncomingSpan } from "@/lib/ingest";
import type { EngineCtx } from "@/lib/engine/engine-context";
import { engineFor } from "@/lib/runtime/engine-store";
import { filterKey, sampleTrace } from "@/lib/engine/sampling";
import { JudgePool } from "@/lib/engine/task-step";
import { isBusy, pass } from "@/lib/engine/worker";

export interface ScorerSpec {
  name: string;
  serialized: string;
  sampleRate: number;
  filterString?: string | null;
  pausedReason?: string | null;
}

export function newExperiment(ctx: Ctx, name: string): number {
  return Number(createExperiment({ ctx, input: { name } }).experiment_id);
}

/** Registers a scorer (or a new version of it) with its sampling config, as the lifecycle would. */
export function addScorer(ctx: Ctx, experimentId: number, s: ScorerSpec): string {
  const db = ctx.db;
  const now = ctx.now();
  const existing = db.$client.prepare("SELECT scorer_id FROM scorers WHERE experiment_id = ? AND name = ?").get(experimentId, s.name) as
    { scorer_id: string } | undefined;
  const scorerId = existing?.scorer_id ?? `sc-${createHash("md5").update(`${experimentId}/${s.name}`).digest("hex")}`;
  const version = ((db.$client.prepare("SELECT MAX(version) AS v FROM scorer_versions WHERE scorer_id = ?").get(scorerId) as { v: number | null }).v ?? 0) + 1;
  db.transaction(() => {
    if (!existing) db.insert(scorers).values({ scorerId, experimentId, name: s.name, createdAt: now }).run();
    db.insert(scorerVersions).values({ scorerId, version, serializedScorer: s.serialized, creationTime: now }).run();
    db.insert(onlineConfigs)
      .values({
        onlineScoringConfigId: `cfg-${scorerId}`,
        scorerId,
        sampleRate: s.sampleRate,
        filterString: s.filterString ?? null,
        pausedReason: s.pausedReason ?? null,
        updatedAt: now,
      })
      .onConflictDoUpdate({
        target: onlineConfigs.scorerId,
        set: { sampleRate: s.sampleRate, filterString: s.filterString ?? null, pausedReason: s.pausedReason ?? null, updatedAt: now },
      })
      .run();
  });
  return scorerId;
}

export interface TraceSpec {
  startMs: number;
  /** null leaves the root span open. */
  durationMs?: number | null;
  error?: boolean;
  answer?: string;
  /** The user's message (default "question <i>"). */
  question?: string;
  sourceRun?: string;
  /** Trace metadata mlflow.trace.session: the conversation this trace is a turn of. */
  session?: string;
}

const ns = (ms: number) => (BigInt(ms) * 1_000_000n).toString();
const hexOf = (seed: string, n: number) => createHash("sha256").update(seed).digest("hex").slice(0, n);

/** Root + one child span per trace, through storeSpans. Ids are deterministic per `seed`. */
export async function seedTraces(ctx: Ctx, experimentId: number, seed: string, list: TraceSpec[]): Promise<string[]> {
  const spans: IncomingSpan[] = [];
  const ids: string[] = [];
  list.forEach((t, i) => {
    const hex = hexOf(`${seed}/${i}`, 32);
    const rootId = hexOf(`${seed}/${i}/root`, 16);
    ids.push(`tr-${hex}`);
    const duration = t.durationMs === undefined ? 800 : t.durationMs;
    const attrs: Record<string, unknown> = {
      "mlflow.spanType": JSON.stringify("AGENT"),
      "mlflow.spanInputs": JSON.stringify({ messages: [{ role: "user", content: t.question ?? `question ${i}` }] }),
      "mlflow.spanOutputs": JSON.stringify({ choices: [{ message: { role: "assistant", content: t.answer ?? `Answer number ${i}. Thanks!` } }] }),
    };
    if (t.sourceRun) attrs["mlflow.sourceRun"] = t.sourceRun;
    if (t.session !== undefined) attrs["mlflow.trace.session"] = JSON.stringify(t.session);
    spans.push({
      traceIdHex: hex,
      spanIdHex: hexOf(`${seed}/${i}/child`, 16),
      parentSpanIdHex: rootId,
      name: "retrieve",
      kind: 1,
      startTimeNs: ns(t.startMs + 1),
      endTimeNs: ns(t.startMs + 2),
      statusCode: "STATUS_CODE_OK",
      statusMessage: "",
      attributes: { "mlflow.spanType": JSON.stringify("RETRIEVER") },
      events: [],
    });
    spans.push({
      traceIdHex: hex,
      spanIdHex: rootId,
      parentSpanIdHex: null,
      name: "agent",
      kind: 1,
      startTimeNs: ns(t.startMs),
      endTimeNs: duration === null ? null : ns(t.startMs + duration),
      statusCode: duration === null ? "STATUS_CODE_UNSET" : t.error ? "STATUS_CODE_ERROR" : "STATUS_CODE_OK",
      statusMessage: "",
      attributes: attrs,
      events: [],
    });
  });
  for (let k = 0; k < spans.length; k += 1000) {
    const r = await storeSpans({ ctx, input: { experimentId, spans: spans.slice(k, k + 1000) } });
    if (r.rejected.length) throw new Error(`seed rejected spans: ${JSON.stringify(r.rejected[0])}`);
  }
  return ids;
}

export interface Engine {
  e: EngineCtx;
  judges: JudgePool;
}

export function engine(ctx: Ctx, overrides: Partial<EngineCtx> = {}): Engine {
  const e = engineFor(ctx, () => {}, { random: () => 0.5, ...overrides });
  return { e, judges: new JudgePool(e) };
}

/** Runs passes until nothing is left to do now (judge calls awaited), at most `maxPasses`. */
export async function drain(en: Engine, maxPasses = 500): Promise<number> {
  for (let n = 1; n <= maxPasses; n++) {
    const busy = isBusy(await pass(en.e, en.judges));
    await en.judges.drain();
    if (!busy && en.judges.running === 0) return n;
  }
  throw new Error(`engine still busy after ${maxPasses} passes`);
}

export interface ExpectedScorer {
  name: string;
  sampleRate: number;
  filterString?: string | null;
}

/**
 * The sampled (trace, scorer) pairs, from sampleTrace alone: `matches(traceId, filter)` says
 * which filter groups a trace matches (the test knows its own traces).
 */
export function expectedPairs(traceIds: string[], list: ExpectedScorer[], matches: (traceId: string, filterString: string) => boolean): Set<string> {
  const out = new Set<string>();
  const withFilters = list.map((s) => ({ ...s, filterString: s.filterString ?? null }));
  for (const id of traceIds) {
    for (const [key, names] of sampleTrace(id, withFilters)) {
      if (key !== filterKey(null) && !matches(id, key)) continue;
      for (const n of names) out.add(`${id}|${n}`);
    }
  }
  return out;
}

/** Engine assessments as "trace|scorer" strings, with duplicates kept (so a duplicate shows). */
export function storedPairs(ctx: Ctx, experimentId: number): string[] {
  const rows = ctx.db.$client
    .prepare("SELECT trace_id, name FROM assessments WHERE experiment_id = ? AND scorer_id IS NOT NULL ORDER BY trace_id, name")
    .all(experimentId) as { trace_id: string; name: string }[];
  return rows.map((r) => `${r.trace_id}|${r.name}`);
}

/**
 * Drains an engine limited to 2 judge calls a second (burst 2), with the clock advanced by `tick`:
 * the burst first, then 2 more a second later, then after a long pause again only the burst.
 * Returns the calls counted after each drain.
 */
export async function judgeCallsAtRate2(ctx: Ctx, calls: () => number, tick: (ms: number) => void): Promise<number[]> {
  const en = engine(ctx, { judgeRps: 2, judgeConcurrency: 8 });
  const seen: number[] = [];
  for (const ms of [0, 1000, 60_000]) {
    tick(ms);
    await drain(en);
    seen.push(calls());
  }
  return seen;
}
