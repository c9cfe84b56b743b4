// The same writes, through drizzle, on a SQLite file and on Postgres: the rows the triggers and the
// engine_scores view derive (engine outbox, archive and metrics queues, traffic, sessions, scores)
// must be the same on both dialects.
import { and, asc, eq, type SQL } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { pgTables } from "@/db/pg/schema";
import * as sqliteSchema from "@/db/schema";
import { useBothDatabases } from "./pg.helpers";

type Key = "traces" | "assessments" | "archiveSettings" | "metricPoints" | "scorerShadows" | "remoteScored";
type Row = Record<string, unknown>;
type Write = { op: "insert"; t: Key; values: Row } | { op: "update"; t: Key; set: Row; where: Row } | { op: "delete"; t: Key; where: Row };

const T0 = 1_700_000_000_000;
let clock = 0;

function trace(id: string, over: Row = {}): Write {
  return {
    op: "insert",
    t: "traces",
    values: {
      traceId: id,
      experimentId: 1,
      requestTime: T0,
      lastSpanAt: T0 + 10,
      state: "OK",
      executionDurationMs: 1840,
      endTimeMs: T0 + 1840,
      completedAt: T0 + 1900,
      ...over,
    },
  };
}
function feedback(id: string, traceId: string, over: Row = {}): Write {
  const t = T0 + 5000 + clock++;
  return {
    op: "insert",
    t: "assessments",
    values: {
      assessmentId: id,
      traceId,
      experimentId: 1,
      name: "quality",
      sourceType: "CODE",
      kind: "feedback",
      value: "0.5",
      createTime: t,
      lastUpdateTime: t,
      ...over,
    },
  };
}
const update = (t: Key, where: Row, set: Row): Write => ({ op: "update", t, set, where });
const session = (s: string) => JSON.stringify({ "mlflow.trace.session": s });

interface Scenario {
  name: string;
  writes: Write[];
  /** Rows expected in each derived table (the same on both dialects is checked on top). */
  counts: Partial<Record<keyof Snapshot, number>>;
}

const SCENARIOS: Scenario[] = [
  { name: "a trace stored complete", writes: [trace("tr-1")], counts: { completions: 1, traffic: 1, sessions: 0, archive: 0, metrics: 0 } },
  {
    name: "a trace completed later, then touched again",
    writes: [
      trace("tr-1", { completedAt: null }),
      update("traces", { traceId: "tr-1" }, { completedAt: T0 + 2000 }),
      update("traces", { traceId: "tr-1" }, { completedAt: T0 + 3000 }),
    ],
    counts: { completions: 1, traffic: 1 },
  },
  {
    name: "traffic buckets: errors, in-progress, sub-millisecond and null durations, two buckets",
    writes: [
      trace("tr-1", { state: "ERROR", executionDurationMs: 0 }),
      trace("tr-2", { requestTime: T0 + 1, executionDurationMs: 123_456 }),
      trace("tr-3", { requestTime: T0 + 2, state: "IN_PROGRESS" }),
      trace("tr-4", { requestTime: T0 + 3, executionDurationMs: null }),
      trace("tr-5", { requestTime: T0 + 300_000, executionDurationMs: 1 }),
      trace("tr-6", { requestTime: T0 + 300_001, executionDurationMs: 1 }),
    ],
    counts: { completions: 6, traffic: 2 },
  },
  {
    name: "sessions: turns join, a turn gains its session after completion, an incomplete turn waits",
    writes: [
      trace("tr-1", { traceMetadata: session("s-1"), endTimeMs: T0 + 100 }),
      trace("tr-2", { traceMetadata: session("s-1"), requestTime: T0 + 5000, endTimeMs: null, completedAt: T0 + 9000 }),
      trace("tr-3", { traceMetadata: "{}", requestTime: T0 + 7000, lastSpanAt: T0 + 99_000 }),
      update("traces", { traceId: "tr-3" }, { traceMetadata: session("s-1") }),
      trace("tr-4", { traceMetadata: session("s-2"), completedAt: null }),
      update("traces", { traceId: "tr-4" }, { completedAt: T0 + 4000 }),
      trace("tr-5", { traceMetadata: session("s-3"), completedAt: null }),
    ],
    counts: { sessions: 2, completions: 4 },
  },
  {
    name: "archival on for one experiment: traces and assessments enqueue once, others not",
    writes: [
      { op: "insert", t: "archiveSettings", values: { experimentId: 1, enabled: true, updatedAt: T0 } },
      { op: "insert", t: "archiveSettings", values: { experimentId: 2, enabled: false, updatedAt: T0 } },
      trace("tr-1"),
      trace("tr-2", { experimentId: 2 }),
      trace("tr-3", { completedAt: null }),
      feedback("a-1", "tr-1"),
      feedback("a-2", "tr-2", { experimentId: 2 }),
      feedback("a-3", "tr-3"),
      update("traces", { traceId: "tr-3" }, { completedAt: T0 + 5000 }),
      { op: "delete", t: "assessments", where: { assessmentId: "a-1" } },
    ],
    counts: { archive: 2, metrics: 3 },
  },
  {
    name: "metrics queue: feedback counts, expectations only when updated, request time moves with points",
    writes: [
      trace("tr-1"),
      trace("tr-2"),
      trace("tr-3"),
      feedback("a-1", "tr-1", { kind: "expectation" }),
      feedback("a-2", "tr-2", { kind: "expectation" }),
      update("assessments", { assessmentId: "a-2" }, { valid: false }),
      {
        op: "insert",
        t: "metricPoints",
        values: { assessmentId: "a-9", traceId: "tr-3", experimentId: 1, scorerName: "q", scorerVersion: 1, bucketStart: T0, isError: 0 },
      },
      update("traces", { traceId: "tr-3" }, { requestTime: T0 - 50 }),
      update("traces", { traceId: "tr-1" }, { requestTime: T0 - 50 }),
    ],
    counts: { metrics: 2 },
  },
  {
    name: "engine_scores: engine feedback, errors, shadows before and after promotion, remote ledger",
    writes: [
      trace("tr-1"),
      feedback("a-1", "tr-1", { scorerId: "sc-1", scorerVersion: 1, createTime: T0 + 10 }),
      feedback("a-2", "tr-1", { scorerId: "sc-1", scorerVersion: 2, createTime: T0 + 10, name: "q2" }),
      feedback("a-3", "tr-1", {
        scorerId: "sc-1",
        scorerVersion: 2,
        createTime: T0 + 30,
        name: "q3",
        value: null,
        error: '{"error_code":"X"}',
        traceId: "tr-2",
      }),
      feedback("a-4", "tr-1", { scorerId: "sc-2", scorerVersion: 1, valid: false, traceId: "tr-4" }),
      feedback("a-5", "tr-1", { traceId: "tr-5" }),
      feedback("a-6", "tr-1", { scorerId: "sc-3", scorerVersion: 1, traceId: "tr-6" }),
      {
        op: "insert",
        t: "scorerShadows",
        values: {
          scorerId: "sc-1",
          version: 2,
          experimentId: 1,
          serializedScorer: "{}",
          state: "promoted",
          baseVersion: 1,
          createdAt: T0,
          createdBy: "x",
          decidedAt: T0 + 20,
        },
      },
      {
        op: "insert",
        t: "scorerShadows",
        values: { scorerId: "sc-3", version: 1, experimentId: 1, serializedScorer: "{}", baseVersion: 0, createdAt: T0, createdBy: "x" },
      },
      {
        op: "insert",
        t: "remoteScored",
        values: { traceId: "tr-r", scorerId: "sc-9", scorerVersion: 1, experimentId: 1, assessmentId: "r-1", isError: true, name: "q", scoredAt: T0 },
      },
      {
        op: "insert",
        t: "remoteScored",
        values: { traceId: "tr-r", scorerId: "sc-3", scorerVersion: 1, experimentId: 1, assessmentId: "r-2", isError: false, name: "q", scoredAt: T0 },
      },
    ],
    counts: { scores: 3 },
  },
];

interface Snapshot {
  completions: Row[];
  archive: Row[];
  metrics: Row[];
  traffic: Row[];
  sessions: Row[];
  scores: Row[];
}

const both = useBothDatabases("triggers", { resetEach: true });

const whereOf = (table: Record<string, unknown>, where: Row): SQL => and(...Object.entries(where).map(([k, v]) => eq(table[k] as never, v)))!;

function applySqlite(w: Write): void {
  const table = sqliteSchema[w.t] as never;
  if (w.op === "insert") both.sqlite.insert(table).values(w.values).run();
  else if (w.op === "update") both.sqlite.update(table).set(w.set).where(whereOf(table, w.where)).run();
  else both.sqlite.delete(table).where(whereOf(table, w.where)).run();
}

async function applyPg(w: Write): Promise<void> {
  const table = pgTables[w.t] as never;
  if (w.op === "insert") await both.pg.insert(table).values(w.values);
  else if (w.op === "update") await both.pg.update(table).set(w.set).where(whereOf(table, w.where));
  else await both.pg.delete(table).where(whereOf(table, w.where));
}

/** enqueued_at is the statement's clock: checked to lie within the run, then left out. */
function stamped(rows: Row[], from: number, to: number): Row[] {
  return rows.map(({ enqueuedAt, ...rest }) => {
    expect(enqueuedAt as number).toBeGreaterThanOrEqual(from - 1);
    expect(enqueuedAt as number).toBeLessThanOrEqual(to + 1);
    return rest;
  });
}

const parseLatency = (rows: Row[]) => rows.map((r) => ({ ...r, latency: JSON.parse(r.latency as string) }));
const SCORES_SQL = "SELECT experiment_id, name, scored_at, is_error, value, scorer_id FROM engine_scores ORDER BY scorer_id, name, scored_at";
const normScores = (rows: Row[]) => rows.map((r) => ({ ...r, is_error: Boolean(r.is_error) }));

function snapshotSqlite(from: number, to: number): Snapshot {
  const s = sqliteSchema;
  return {
    completions: both.sqlite
      .select({ traceId: s.engineCompletions.traceId, experimentId: s.engineCompletions.experimentId, completedAt: s.engineCompletions.completedAt })
      .from(s.engineCompletions)
      .orderBy(asc(s.engineCompletions.seq))
      .all(),
    archive: stamped(both.sqlite.select().from(s.archiveQueue).orderBy(asc(s.archiveQueue.traceId)).all(), from, to),
    metrics: stamped(both.sqlite.select().from(s.metricsQueue).orderBy(asc(s.metricsQueue.traceId)).all(), from, to),
    traffic: parseLatency(both.sqlite.select().from(s.traffic).orderBy(asc(s.traffic.experimentId), asc(s.traffic.bucketMs)).all()),
    sessions: both.sqlite.select().from(s.engineSessions).orderBy(asc(s.engineSessions.experimentId), asc(s.engineSessions.sessionId)).all(),
    scores: normScores(both.sqlite.$client.prepare(SCORES_SQL).all() as Row[]),
  };
}

async function snapshotPg(from: number, to: number): Promise<Snapshot> {
  const p = pgTables;
  return {
    completions: await both.pg
      .select({ traceId: p.engineCompletions.traceId, experimentId: p.engineCompletions.experimentId, completedAt: p.engineCompletions.completedAt })
      .from(p.engineCompletions)
      .orderBy(asc(p.engineCompletions.seq)),
    archive: stamped(await both.pg.select().from(p.archiveQueue).orderBy(asc(p.archiveQueue.traceId)), from, to),
    metrics: stamped(await both.pg.select().from(p.metricsQueue).orderBy(asc(p.metricsQueue.traceId)), from, to),
    traffic: parseLatency(await both.pg.select().from(p.traffic).orderBy(asc(p.traffic.experimentId), asc(p.traffic.bucketMs))),
    sessions: await both.pg.select().from(p.engineSessions).orderBy(asc(p.engineSessions.experimentId), asc(p.engineSessions.sessionId)),
    scores: normScores((await both.pg.$client.query(SCORES_SQL)).rows),
  };
}

describe("triggers and views derive the same rows on SQLite and Postgres", () => {
  it.each(SCENARIOS.map((s) => [s.name, s] as const))("%s", async (_name, scenario) => {
    const from = Date.now();
    for (const w of scenario.writes) {
      applySqlite(w);
      await applyPg(w);
    }
    const to = Date.now();
    const a = snapshotSqlite(from, to);
    const b = await snapshotPg(from, to);
    expect(b).toEqual(a);
    for (const [k, n] of Object.entries(scenario.counts)) expect(a[k as keyof Snapshot], k).toHaveLength(n);
  });
});
