// The lib layer's MLflow interface (DESIGN.md, "The spine"): what Vigil needs of an MLflow
// tracking store, with two implementations. `embedded` is Vigil's own store (SQLite, the lib
// verbs); `remote` is a real MLflow server over REST. Both speak MLflow's JSON shapes and throw
// the same typed errors (lib/core/errors.ts), so the remote engine and the contract suite run
// unchanged against either.
import type { AssessmentCreate, RemoteExperiment, RemoteOnlineConfig, RemoteScorer, TraceSearch } from "@/lib/mlflow/client";
import type { Assessment, TraceData, TraceInfoV3 } from "@/lib/mlflow/types";

export type { AssessmentCreate, RemoteExperiment, RemoteOnlineConfig, RemoteScorer, TraceSearch };

export interface MlflowBackend {
  readonly kind: "embedded" | "remote";
  /** GET /version's text; null when the server has no such route (an old MLflow). */
  serverVersion(): Promise<string | null>;
  getExperiment(experimentId: string): Promise<RemoteExperiment>;
  /** null when no experiment has the name. */
  getExperimentByName(name: string): Promise<RemoteExperiment | null>;
  createExperiment(name: string, tags?: Record<string, string>): Promise<string>;
  searchExperiments(q?: { filter?: string; maxResults?: number; pageToken?: string }): Promise<{ experiments: RemoteExperiment[]; nextPageToken?: string }>;

  searchTraces(q: TraceSearch): Promise<{ traces: TraceInfoV3[]; nextPageToken?: string }>;
  getTraceInfo(traceId: string): Promise<TraceInfoV3>;
  getTrace(traceId: string): Promise<TraceData>;
  /** Full traces in the order asked; ids that do not exist are left out. */
  batchGetTraces(traceIds: string[]): Promise<TraceData[]>;

  createAssessment(a: AssessmentCreate): Promise<Assessment>;
  getAssessment(traceId: string, assessmentId: string): Promise<Assessment>;
  updateAssessment(traceId: string, assessmentId: string, patch: Partial<AssessmentCreate> & { valid?: boolean }, updateMask: string[]): Promise<Assessment>;

  registerScorer(q: { experimentId: string; name: string; serializedScorer: string }): Promise<RemoteScorer>;
  listScorers(experimentId: string): Promise<RemoteScorer[]>;
  listScorerVersions(experimentId: string, name: string): Promise<RemoteScorer[]>;
  getScorer(experimentId: string, name: string, version?: number): Promise<RemoteScorer>;
  deleteScorer(experimentId: string, name: string, version?: number): Promise<void>;
  getOnlineConfigs(scorerIds: string[]): Promise<RemoteOnlineConfig[]>;
  setOnlineConfig(q: { experimentId: string; name: string; sampleRate: number; filterString?: string | null }): Promise<RemoteOnlineConfig>;
}
