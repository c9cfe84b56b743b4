// A typed client for an MLflow tracking server's REST API (OSS or Databricks): the calls Vigil's
// remote mode needs. Every answer is validated (schemas.ts); retries, timeouts and the
// exactly-once rule for creates live in the request core (http.ts).
import { z } from "zod";
import type { Assessment, AssessmentError, AssessmentSourceType, FeedbackValue, TraceData, TraceInfoV3 } from "@/lib/mlflow/types";
import { MlflowInvalidResponseError, isNotFound } from "./errors";
import { HttpCore, type MlflowClientOptions } from "./http";
import {
  AssessmentSchema,
  ExperimentSchema,
  OnlineConfigSchema,
  RegisterScorerAnswer,
  ScorerSchema,
  SetOnlineConfigAnswer,
  TraceInfoSchema,
  idString,
  list,
  pageToken,
  type RemoteExperiment,
  type RemoteOnlineConfig,
  type RemoteScorer,
} from "./schemas";
import { TraceJsonSchema } from "./trace-json";

const EXPERIMENTS = "/api/2.0/mlflow/experiments";
const TRACES = "/api/3.0/mlflow/traces";
const SCORERS = "/api/3.0/mlflow/scorers";

/** MLflow's limits: SearchTracesV3 max_results <= 500; BatchGetTraces takes 100 ids at a time. */
export const MAX_SEARCH_RESULTS = 500;
export const BATCH_GET_CHUNK = 100;

/** What createAssessment sends: MLflow's Assessment proto JSON minus server-set ids and times. */
export interface AssessmentCreate {
  trace_id: string;
  assessment_name: string;
  source: { source_type: AssessmentSourceType; source_id: string };
  feedback?: { value?: FeedbackValue; error?: AssessmentError };
  expectation?: { value?: FeedbackValue };
  rationale?: string;
  metadata?: Record<string, string>;
  span_id?: string;
}

export interface TraceSearch {
  experimentIds: string[];
  filter?: string;
  orderBy?: string[];
  maxResults?: number;
  pageToken?: string;
}

const experimentAnswer = z.object({ experiment: ExperimentSchema }).transform((r) => r.experiment);
const traceInfoAnswer = z.object({ trace: z.object({ trace_info: TraceInfoSchema }) }).transform((r) => r.trace.trace_info);
const traceAnswer = z.object({ trace: TraceJsonSchema }).transform((r) => r.trace);
const assessmentAnswer = z.object({ assessment: AssessmentSchema }).transform((r) => r.assessment);
const scorersAnswer = z.object({ scorers: list(ScorerSchema) }).transform((r) => r.scorers);
const empty = z.object({});

/** google.protobuf.FieldMask in JSON is lowerCamelCase; MLflow's parser rejects snake_case paths. */
export const fieldMaskJson = (paths: string[]) => paths.map((p) => p.trim().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())).join(",");

const enc = encodeURIComponent;

export class MlflowClient {
  private readonly http: HttpCore;

  constructor(o: MlflowClientOptions) {
    this.http = new HttpCore(o);
  }

  // ---- experiments ----

  getExperiment(experimentId: string): Promise<RemoteExperiment> {
    return this.http.request({ method: "GET", path: `${EXPERIMENTS}/get`, query: { experiment_id: experimentId }, effect: "read", schema: experimentAnswer });
  }

  /** null when MLflow says the name does not exist (RESOURCE_DOES_NOT_EXIST / 404). */
  async getExperimentByName(name: string): Promise<RemoteExperiment | null> {
    try {
      return await this.http.request({ method: "GET", path: `${EXPERIMENTS}/get-by-name`, query: { experiment_name: name }, effect: "read", schema: experimentAnswer });
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  /** The new experiment's id. Not retried once it may have reached the server (see MlflowUnavailableError.maybeApplied). */
  createExperiment(name: string, tags: Record<string, string> = {}): Promise<string> {
    const body = { name, ...(Object.keys(tags).length ? { tags: Object.entries(tags).map(([key, value]) => ({ key, value })) } : {}) };
    return this.http.request({
      method: "POST",
      path: `${EXPERIMENTS}/create`,
      body,
      effect: "create",
      schema: z.object({ experiment_id: idString }).transform((r) => r.experiment_id),
    });
  }

  searchExperiments(q: { filter?: string; maxResults?: number; pageToken?: string } = {}): Promise<{ experiments: RemoteExperiment[]; nextPageToken?: string }> {
    const body = { ...(q.filter ? { filter: q.filter } : {}), ...(q.maxResults ? { max_results: q.maxResults } : {}), ...(q.pageToken ? { page_token: q.pageToken } : {}) };
    return this.http.request({
      method: "POST",
      path: `${EXPERIMENTS}/search`,
      body,
      effect: "read",
      schema: z.object({ experiments: list(ExperimentSchema), next_page_token: pageToken }).transform((r) => withToken({ experiments: r.experiments }, r.next_page_token)),
    });
  }

  // ---- traces ----

  searchTraces(q: TraceSearch): Promise<{ traces: TraceInfoV3[]; nextPageToken?: string }> {
    const body: Record<string, unknown> = {
      locations: q.experimentIds.map((experiment_id) => ({ type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id } })),
    };
    if (q.filter) body.filter = q.filter;
    if (q.orderBy?.length) body.order_by = q.orderBy;
    if (q.maxResults !== undefined) body.max_results = Math.max(1, Math.min(MAX_SEARCH_RESULTS, Math.floor(q.maxResults)));
    if (q.pageToken) body.page_token = q.pageToken;
    return this.http.request({
      method: "POST",
      path: `${TRACES}/search`,
      body,
      effect: "read",
      schema: z.object({ traces: list(TraceInfoSchema), next_page_token: pageToken }).transform((r) => withToken({ traces: r.traces }, r.next_page_token)),
    });
  }

  /** Every page of a search, following next_page_token until it is empty or absent. */
  async *searchTracePages(q: Omit<TraceSearch, "pageToken">): AsyncGenerator<TraceInfoV3[]> {
    let token: string | undefined;
    const seen = new Set<string>();
    do {
      const page = await this.searchTraces({ ...q, pageToken: token });
      yield page.traces;
      token = page.nextPageToken;
      // A server handing back a token it already gave would loop forever; say so instead.
      if (token !== undefined && seen.has(token)) {
        throw new MlflowInvalidResponseError({ method: "POST", path: `${TRACES}/search`, status: 200, field: "next_page_token", problem: "repeats an earlier page token" });
      }
      if (token !== undefined) seen.add(token);
    } while (token !== undefined);
  }

  getTraceInfo(traceId: string): Promise<TraceInfoV3> {
    return this.http.request({ method: "GET", path: `${TRACES}/${enc(traceId)}`, effect: "read", schema: traceInfoAnswer });
  }

  getTrace(traceId: string): Promise<TraceData> {
    return this.http.request({ method: "GET", path: `${TRACES}/get`, query: { trace_id: traceId }, effect: "read", schema: traceAnswer });
  }

  /** Full traces in the order asked (each id once); ids MLflow does not know are left out. */
  async batchGetTraces(traceIds: string[]): Promise<TraceData[]> {
    const ids = [...new Set(traceIds)];
    const found = new Map<string, TraceData>();
    for (let i = 0; i < ids.length; i += BATCH_GET_CHUNK) {
      const traces = await this.http.request({
        method: "GET",
        path: `${TRACES}/batchGet`,
        query: { trace_ids: ids.slice(i, i + BATCH_GET_CHUNK) },
        effect: "read",
        schema: z.object({ traces: list(TraceJsonSchema) }).transform((r) => r.traces),
      });
      for (const t of traces) found.set(t.info.trace_id, t);
    }
    return ids.flatMap((id) => found.get(id) ?? []);
  }

  // ---- assessments ----

  /** Not retried once it may have reached the server: on maybeApplied, look up before writing again. */
  createAssessment(a: AssessmentCreate): Promise<Assessment> {
    return this.http.request({ method: "POST", path: `${TRACES}/${enc(a.trace_id)}/assessments`, body: { assessment: a }, effect: "create", schema: assessmentAnswer });
  }

  getAssessment(traceId: string, assessmentId: string): Promise<Assessment> {
    return this.http.request({ method: "GET", path: `${TRACES}/${enc(traceId)}/assessments/${enc(assessmentId)}`, effect: "read", schema: assessmentAnswer });
  }

  /** Only the fields named in updateMask (snake_case names, e.g. ["feedback", "rationale"]) change. */
  updateAssessment(traceId: string, assessmentId: string, patch: Partial<AssessmentCreate> & { valid?: boolean }, updateMask: string[]): Promise<Assessment> {
    return this.http.request({
      method: "PATCH",
      path: `${TRACES}/${enc(traceId)}/assessments/${enc(assessmentId)}`,
      body: { assessment: { ...patch, trace_id: traceId, assessment_id: assessmentId }, update_mask: fieldMaskJson(updateMask) },
      effect: "idempotent",
      schema: assessmentAnswer,
    });
  }

  // ---- scorers ----

  /** Registers a new version. Not retried once it may have reached the server (a retry would add a version). */
  registerScorer(q: { experimentId: string; name: string; serializedScorer: string }): Promise<RemoteScorer> {
    return this.http.request({
      method: "POST",
      path: `${SCORERS}/register`,
      body: { experiment_id: q.experimentId, name: q.name, serialized_scorer: q.serializedScorer },
      effect: "create",
      schema: RegisterScorerAnswer,
    });
  }

  /** The latest version of each scorer of the experiment. */
  listScorers(experimentId: string): Promise<RemoteScorer[]> {
    return this.http.request({ method: "GET", path: `${SCORERS}/list`, query: { experiment_id: experimentId }, effect: "read", schema: scorersAnswer });
  }

  listScorerVersions(experimentId: string, name: string): Promise<RemoteScorer[]> {
    return this.http.request({ method: "GET", path: `${SCORERS}/versions`, query: { experiment_id: experimentId, name }, effect: "read", schema: scorersAnswer });
  }

  /** The given version, or the latest without one. */
  getScorer(experimentId: string, name: string, version?: number): Promise<RemoteScorer> {
    return this.http.request({
      method: "GET",
      path: `${SCORERS}/get`,
      query: { experiment_id: experimentId, name, version },
      effect: "read",
      schema: z.object({ scorer: ScorerSchema }).transform((r) => r.scorer),
    });
  }

  /**
   * Deletes one version, or all without one. A 404 (MlflowApiError) means nothing was left to
   * delete, which after a retried attempt may be this call's own earlier success.
   */
  async deleteScorer(experimentId: string, name: string, version?: number): Promise<void> {
    await this.http.request({ method: "DELETE", path: `${SCORERS}/delete`, query: { experiment_id: experimentId, name, version }, effect: "idempotent", schema: empty });
  }

  /** The online configs of the given scorer ids; ids without one are absent. */
  async getOnlineConfigs(scorerIds: string[]): Promise<RemoteOnlineConfig[]> {
    if (scorerIds.length === 0) return [];
    return this.http.request({
      method: "GET",
      path: `${SCORERS}/online-configs`,
      query: { scorer_ids: scorerIds },
      effect: "read",
      schema: z.object({ configs: list(OnlineConfigSchema) }).transform((r) => r.configs),
    });
  }

  /** Sets the whole config (upsert); a null or absent filterString means every trace. */
  setOnlineConfig(q: { experimentId: string; name: string; sampleRate: number; filterString?: string | null }): Promise<RemoteOnlineConfig> {
    const body = { experiment_id: q.experimentId, name: q.name, sample_rate: q.sampleRate, ...(q.filterString ? { filter_string: q.filterString } : {}) };
    return this.http.request({ method: "PUT", path: `${SCORERS}/online-config`, body, effect: "idempotent", schema: SetOnlineConfigAnswer });
  }
}

function withToken<T extends object>(r: T, token: string | undefined): T & { nextPageToken?: string } {
  return token === undefined ? r : { ...r, nextPageToken: token };
}
