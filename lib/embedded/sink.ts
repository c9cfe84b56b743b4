// The embedded store's assessment sink: Vigil's own `assessments` table, written in the engine's
// transaction, so an assessment and the ledger that counts it commit together (the fast path).
import type Database from "better-sqlite3";
import type { AssessmentInsert } from "@/lib/engine/outcomes";
import { pairKey, type AtomicSink, type Scored, type SourceTrace } from "@/lib/engine/ports";

const ASSESSMENT_ROW = "(?, ?, ?, ?, ?, ?, 'feedback', ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)";
const ASSESSMENT_CHUNK = 100;
const insertCache = new WeakMap<Database.Database, Map<number, Database.Statement>>();

/** Parameters per row of ASSESSMENT_ROW. */
const ROW_ARGS = 15;

/** Writes an assessment's values in ASSESSMENT_ROW's order into `out` from index `k`; returns the next index. */
function putRowArgs(out: unknown[], k: number, r: AssessmentInsert): number {
  out[k++] = r.assessmentId;
  out[k++] = r.traceId;
  out[k++] = r.experimentId;
  out[k++] = r.name;
  out[k++] = r.sourceType;
  out[k++] = r.sourceId;
  out[k++] = r.value;
  out[k++] = r.error;
  out[k++] = r.rationale;
  out[k++] = r.metadata;
  out[k++] = r.createTime;
  out[k++] = r.createTime;
  out[k++] = r.scorerId;
  out[k++] = r.scorerVersion;
  out[k++] = r.runId;
  return k;
}

/** An assessment's values in ASSESSMENT_ROW's order. */
function rowArgs(r: AssessmentInsert): unknown[] {
  const out: unknown[] = new Array(ROW_ARGS);
  putRowArgs(out, 0, r);
  return out;
}

/**
 * Inserts up to ASSESSMENT_CHUNK assessments in one statement (several times cheaper per row
 * than one statement each, triggers on the table included). ON CONFLICT DO NOTHING: the partial
 * unique index on (trace, scorer, version) refuses a second one; RETURNING says which went in.
 */
function insertAssessments(db: Database.Database, rows: readonly AssessmentInsert[]): Set<string> {
  let byCount = insertCache.get(db);
  if (!byCount) insertCache.set(db, (byCount = new Map()));
  const inserted = new Set<string>();
  for (let i = 0; i < rows.length; i += ASSESSMENT_CHUNK) {
    const chunk = rows.slice(i, i + ASSESSMENT_CHUNK);
    let st = byCount.get(chunk.length);
    if (!st) {
      st = db
        .prepare(
          `INSERT INTO assessments (assessment_id, trace_id, experiment_id, name, source_type, source_id, kind, value, error,
           rationale, metadata, valid, create_time, last_update_time, scorer_id, scorer_version, run_id)
         VALUES ${Array(chunk.length).fill(ASSESSMENT_ROW).join(", ")} ON CONFLICT DO NOTHING RETURNING assessment_id`,
        )
        .pluck();
      byCount.set(chunk.length, st);
    }
    const args: unknown[] = new Array(chunk.length * ROW_ARGS);
    let k = 0;
    for (const r of chunk) k = putRowArgs(args, k, r);
    for (const id of st.all(...args) as string[]) inserted.add(id);
  }
  return inserted;
}

/** The (trace, scorer, version) pairs among `traceIds` that already have their assessment. */
export function scoredPairs(db: Database.Database, traceIds: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < traceIds.length; i += 500) {
    const chunk = traceIds.slice(i, i + 500);
    const rows = db
      .prepare(`SELECT trace_id, scorer_id, scorer_version FROM assessments WHERE trace_id IN (${chunk.map(() => "?").join(",")}) AND scorer_id IS NOT NULL`)
      .all(...chunk) as { trace_id: string; scorer_id: string; scorer_version: number }[];
    for (const r of rows) out.add(pairKey(r.trace_id, r.scorer_id, r.scorer_version));
  }
  return out;
}

const supersedeCache = new WeakMap<Database.Database, { invalidate: Database.Statement; insert: Database.Statement }>();

/** Score again: the older valid assessment of another run is kept, invalid; the new one overrides it. */
function supersedeAssessments(db: Database.Database, rows: readonly AssessmentInsert[]): Set<string> {
  let st = supersedeCache.get(db);
  if (!st) {
    st = {
      invalidate: db.prepare(
        `UPDATE assessments SET valid = 0, last_update_time = ?
         WHERE trace_id = ? AND scorer_id = ? AND scorer_version = ? AND valid = 1 AND run_id IS NOT ? RETURNING assessment_id`,
      ),
      insert: db.prepare(
        `INSERT INTO assessments (assessment_id, trace_id, experiment_id, name, source_type, source_id, kind, value, error,
           rationale, metadata, valid, create_time, last_update_time, scorer_id, scorer_version, run_id, overrides)
         VALUES ${ASSESSMENT_ROW.slice(0, -1)}, ?)`,
      ),
    };
    supersedeCache.set(db, st);
  }
  const inserted = new Set<string>();
  for (const r of rows) {
    const older = st.invalidate.get(r.createTime, r.traceId, r.scorerId, r.scorerVersion, r.runId) as { assessment_id: string } | undefined;
    if (!older) continue; // the pair's valid assessment is this run's own (or the row went in already)
    st.insert.run(...rowArgs(r), older.assessment_id);
    inserted.add(r.assessmentId);
  }
  return inserted;
}

export function embeddedSink(db: Database.Database): AtomicSink {
  return {
    atomic: true,
    scored: async (traces: readonly SourceTrace[]): Promise<Scored> => ({
      keys: scoredPairs(
        db,
        traces.map((t) => t.traceId),
      ),
      found: [],
    }),
    insert: (rows) => insertAssessments(db, rows),
    supersede: (rows) => supersedeAssessments(db, rows),
  };
}
