// The embedded store's trace source: online scoring takes completed traces from the outbox that
// triggers on `traces` fill in commit order (engine_completions), leased to one worker and
// deleted in the intake transaction; jobs read Vigil's own traces by keyset.
import type Database from "better-sqlite3";
import type { Db } from "@/db/client";
import { nextTraces } from "@/lib/engine/jobs/job-selection";
import type { OnlinePage, SourceTrace, TraceSource } from "@/lib/engine/ports";
import { isEvaluationTrace, loadTraceBatch, loadTraceHeads } from "@/lib/engine/trace-batch";
import type { TraceData } from "@/lib/mlflow/types";
import { claimLeased } from "@/db/lease-claim";
import { IDS, selectIn } from "@/db/in-chunks";

interface Completion {
  seq: number;
  trace_id: string;
  experiment_id: number;
  completed_at: number;
}

/** Read at each call: a test may change the engine's settings after creating it. */
export interface EmbeddedSourceOptions {
  readonly db: Db;
  readonly workerId: string;
  readonly leaseMs: number;
  now(): number;
}

/** Leases the oldest unleased completions (or ones whose worker died) to this worker. */
function claimCompletions(db: Database.Database, o: EmbeddedSourceOptions, limit: number): Completion[] {
  const rows = claimLeased(
    db,
    {
      table: "engine_completions",
      key: "seq",
      due: "1",
      order: "seq",
      returning: "seq, trace_id, experiment_id, completed_at",
    },
    { owner: o.workerId, now: o.now(), leaseMs: o.leaseMs, limit },
  ) as Completion[];
  return rows.sort((a, b) => a.seq - b.seq);
}

export function embeddedSource(o: EmbeddedSourceOptions): TraceSource {
  const db = o.db.$client;
  // Deletes the page's completions this worker still holds (a statement per page of ids, not one
  // per completion); returns their seqs.
  const dropHeld = (claimed: readonly Completion[]): Set<number> => {
    const rows = selectIn<[number]>(
      db,
      `DELETE FROM engine_completions WHERE lease_owner = ? AND seq IN ${IDS} RETURNING seq`,
      claimed.map((c) => c.seq),
      { before: [o.workerId], raw: true },
    );
    return new Set(rows.map((r) => r[0]));
  };
  const checkpoint = db.prepare(
    `INSERT INTO checkpoints (experiment_id, timestamp_ms, trace_id, updated_at) VALUES (@experimentId, @ts, @traceId, @now)
     ON CONFLICT (experiment_id) DO UPDATE SET timestamp_ms = excluded.timestamp_ms, trace_id = excluded.trace_id, updated_at = excluded.updated_at`,
  );
  const loadTraces = async (ids: readonly string[]) => loadTraceBatch(db, ids);
  return {
    preload: false,
    scoredElsewhere: () => false,
    loadTraces,

    async onlinePage(limit, need): Promise<OnlinePage | null> {
      const claimed = claimCompletions(db, o, limit);
      if (claimed.length === 0) return null;
      const expIds = new Set(claimed.map((c) => c.experiment_id));
      const want = new Map([...expIds].map((id) => [id, need(id)]));
      const ids = claimed.filter((c) => want.get(c.experiment_id) !== "skip").map((c) => c.trace_id);
      const rows = loadTraceHeads(db, ids);
      const traces: SourceTrace[] = [];
      for (const id of ids) {
        const row = rows.get(id);
        if (row && !isEvaluationTrace(row)) traces.push({ traceId: id, experimentId: row.experimentId, timeMs: row.requestTime });
      }
      // Filters are evaluated on the trace's content; load it only where some filter needs it.
      const filtered = traces.filter((t) => want.get(t.experimentId) === "data").map((t) => t.traceId);
      const data = new Map<string, TraceData>(filtered.length ? loadTraceBatch(db, filtered) : []);
      return {
        traces,
        data,
        taken: claimed.length,
        full: claimed.length === limit,
        consume() {
          // Only completions this worker still holds count: if its lease ran out and another
          // worker took them, that worker's commit is the one that counts.
          const held = dropHeld(claimed);
          const lost = new Set<string>();
          for (const c of claimed) if (!held.has(c.seq)) lost.add(c.trace_id);
          const last = new Map<number, Completion>();
          for (const c of claimed) if (!lost.has(c.trace_id)) last.set(c.experiment_id, c);
          const now = o.now();
          for (const c of last.values()) checkpoint.run({ experimentId: c.experiment_id, ts: c.completed_at, traceId: c.trace_id, now });
          return lost;
        },
      };
    },

    async jobPage(job, p, cursor, limit, wantData) {
      const batch = nextTraces(o.db, { ...job, cursorTs: cursor.ts, cursorTraceId: cursor.traceId }, p, limit);
      const traces: SourceTrace[] = batch.map((t) => ({ traceId: t.traceId, experimentId: job.experimentId, timeMs: t.requestTime }));
      const last = traces[traces.length - 1];
      return {
        traces,
        data: wantData
          ? loadTraceBatch(
              db,
              traces.map((t) => t.traceId),
            )
          : new Map(),
        next: last ? { ts: last.timeMs, traceId: last.traceId, scanned: cursor.scanned + traces.length } : cursor,
        missing: 0,
        done: traces.length === 0,
      };
    },
  };
}
