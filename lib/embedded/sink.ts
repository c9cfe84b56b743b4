// The embedded store's assessment sink: Vigil's own `assessments` table, written in the engine's
// transaction, so an assessment and the ledger that counts it commit together (the fast path).
import type Database from "better-sqlite3";
import { IDS, selectIn } from "@/db/in-chunks";
import type { AssessmentInsert } from "@/lib/engine/outcomes";
import { pairKey, type AtomicSink, type Scored, type SourceTrace } from "@/lib/engine/ports";

/**
 * The columns of an engine assessment and where each value comes from: a field of the row, or a
 * constant. The bulk insert binds by position (named parameters made it 1.6x slower, 100 rows a
 * statement), so its SQL and its values are both built from this one list and cannot drift apart.
 */
const COLUMNS: readonly (readonly [column: string, from: keyof AssessmentInsert | { sql: string }])[] = [
  ["assessment_id", "assessmentId"],
  ["trace_id", "traceId"],
  ["experiment_id", "experimentId"],
  ["name", "name"],
  ["source_type", "sourceType"],
  ["source_id", "sourceId"],
  ["kind", { sql: "'feedback'" }],
  ["value", "value"],
  ["error", "error"],
  ["rationale", "rationale"],
  ["metadata", "metadata"],
  ["valid", { sql: "1" }],
  ["create_time", "createTime"],
  ["last_update_time", "createTime"],
  ["scorer_id", "scorerId"],
  ["scorer_version", "scorerVersion"],
  ["run_id", "runId"],
];
const COLUMN_LIST = COLUMNS.map(([c]) => c).join(", ");
const BOUND = COLUMNS.flatMap(([, from]) => (typeof from === "string" ? [from] : []));
const valuesOf = (param: (field: keyof AssessmentInsert) => string) =>
  COLUMNS.map(([, from]) => (typeof from === "string" ? param(from) : from.sql)).join(", ");
const POSITIONAL_ROW = `(${valuesOf(() => "?")})`;
const NAMED_VALUES = valuesOf((field) => `@${field}`);
const ASSESSMENT_CHUNK = 100;
const insertCache = new WeakMap<Database.Database, Map<number, Database.Statement>>();

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
          `INSERT INTO assessments (${COLUMN_LIST}) VALUES ${Array(chunk.length).fill(POSITIONAL_ROW).join(", ")} ON CONFLICT DO NOTHING RETURNING assessment_id`,
        )
        .pluck();
      byCount.set(chunk.length, st);
    }
    // Filled in place, sized once: this runs for every assessment the engine stores.
    const args: unknown[] = new Array(chunk.length * BOUND.length);
    let k = 0;
    for (const r of chunk) for (let f = 0; f < BOUND.length; f++) args[k++] = r[BOUND[f]!];
    for (const id of st.all(...args) as string[]) inserted.add(id);
  }
  return inserted;
}

/** The (trace, scorer, version) pairs among `traceIds` that already have their assessment. */
export function scoredPairs(db: Database.Database, traceIds: readonly string[]): Set<string> {
  const out = new Set<string>();
  const rows = selectIn<{ trace_id: string; scorer_id: string; scorer_version: number }>(
    db,
    `SELECT trace_id, scorer_id, scorer_version FROM assessments WHERE trace_id IN ${IDS} AND scorer_id IS NOT NULL`,
    traceIds,
  );
  for (const r of rows) out.add(pairKey(r.trace_id, r.scorer_id, r.scorer_version));
  return out;
}

const supersedeCache = new WeakMap<Database.Database, { invalidate: Database.Statement; insert: Database.Statement }>();

/** Score again: the older valid assessment of another run is kept, invalid; the new one overrides it. */
function supersedeAssessments(db: Database.Database, rows: readonly AssessmentInsert[]): Set<string> {
  let st = supersedeCache.get(db);
  if (!st) {
    st = {
      invalidate: db.prepare(
        `UPDATE assessments SET valid = 0, last_update_time = @createTime
         WHERE trace_id = @traceId AND scorer_id = @scorerId AND scorer_version = @scorerVersion AND valid = 1 AND run_id IS NOT @runId
         RETURNING assessment_id`,
      ),
      insert: db.prepare(`INSERT INTO assessments (${COLUMN_LIST}, overrides) VALUES (${NAMED_VALUES}, @overrides)`),
    };
    supersedeCache.set(db, st);
  }
  const inserted = new Set<string>();
  for (const r of rows) {
    const older = st.invalidate.get(r) as { assessment_id: string } | undefined;
    if (!older) continue; // the pair's valid assessment is this run's own (or the row went in already)
    st.insert.run({ ...r, overrides: older.assessment_id });
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
