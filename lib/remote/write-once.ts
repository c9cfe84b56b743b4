// Writes one assessment onto a trace in MLflow exactly once. The pair row says whether a create
// was already sent without an answer (write_attempted); then the trace is looked up first, and
// the assessment found there is taken instead of writing a second one.
import { stmt } from "./stmt";
import type Database from "better-sqlite3";
import { NotFoundError, UpstreamUnavailableError } from "@/lib/core";
import type { AssessmentCreate } from "@/lib/backend/types";
import type { AssessmentInsert } from "@/lib/engine/outcomes";
import type { Assessment, FeedbackValue } from "@/lib/mlflow/types";
import type { RemoteCtx } from "./context";
import { findOurs, SCORER_ID_KEY, SCORER_VERSION_KEY } from "./markers";

export interface PairRow {
  pair_id: number;
  experiment_id: number;
  trace_id: string;
  trace_time_ms: number;
  scorer_id: string;
  scorer_name: string;
  scorer_version: number;
  job_id: string | null;
  attempts: number;
  write_attempted: number;
}

/** The engine's assessment row as MLflow's Assessment JSON, marked as Vigil's. */
export function toAssessmentCreate(row: AssessmentInsert): AssessmentCreate {
  const metadata = { ...(JSON.parse(row.metadata) as Record<string, string>), [SCORER_ID_KEY]: row.scorerId, [SCORER_VERSION_KEY]: String(row.scorerVersion) };
  const error = row.error ? (JSON.parse(row.error) as { error_code: string; error_message?: string }) : undefined;
  return {
    trace_id: row.traceId,
    assessment_name: row.name,
    source: { source_type: row.sourceType, source_id: row.sourceId },
    feedback: error ? { error } : { value: JSON.parse(row.value ?? "null") as FeedbackValue },
    ...(row.rationale ? { rationale: row.rationale } : {}),
    metadata,
  };
}

export type WriteResult =
  | { status: "written"; assessment: Assessment; found: boolean }
  /** MLflow did not answer: the pair stays queued (write_attempted set when the create may have landed). */
  | { status: "unavailable"; error: string }
  /** The trace is gone from MLflow. */
  | { status: "trace_gone" }
  /** MLflow refused the assessment itself (a 4xx): recorded as a failure, not retried. */
  | { status: "rejected"; error: string };

export async function writeOnce(rc: RemoteCtx, db: Database.Database, pair: PairRow, body: AssessmentCreate): Promise<WriteResult> {
  try {
    if (pair.write_attempted) {
      const existing = findOurs(await rc.backend.getTraceInfo(pair.trace_id), pair.scorer_id, pair.scorer_version);
      if (existing) return { status: "written", assessment: existing, found: true };
    } else {
      // Durable before the request leaves: a crash after MLflow applied it still looks up first.
      stmt(db, "UPDATE remote_pairs SET write_attempted = 1 WHERE pair_id = ?").run(pair.pair_id);
      pair.write_attempted = 1;
    }
    return { status: "written", assessment: await rc.backend.createAssessment(body), found: false };
  } catch (e) {
    if (e instanceof UpstreamUnavailableError) return { status: "unavailable", error: e.message };
    if (e instanceof NotFoundError) return { status: "trace_gone" };
    if (e instanceof Error && "code" in e) return { status: "rejected", error: e.message };
    throw e;
  }
}
