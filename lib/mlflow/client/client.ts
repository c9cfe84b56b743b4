// A typed client for an MLflow tracking server's REST API (OSS or Databricks): the calls Vigil's
// remote mode needs. Every answer is validated (schemas.ts); retries, timeouts and the
// exactly-once rule for creates live in the request core (http.ts).
import { z } from "zod";
import type { Assessment, AssessmentError, AssessmentSourceType, FeedbackValue, TraceData, TraceInfoV3 } from "@/lib/mlflow/types";
import { MlflowInvalidResponseError, isNotFound } from "./errors";
import { HttpCore, type MlflowClientOptions } from "./http";
import { toAnyValue } from "@/lib/mlflow/convert-spans";
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
import { TraceJsonSchema, traceDataFromJson } from "./trace-json";
import { parseTraceData, TraceDataError } from "@/lib/mlflow/trace-data";

/** Traces whose info exists but whose spans could not be read (yet): they must not be scored. */
export class TraceNotLoadableError extends Error {
  readonly traceId: string;
  readonly reason: string;
  constructor(readonly traces: { traceId: string; reason: string }[]) {
    const [first] = traces;
    super(
      traces.length === 1
        ? `Trace ${first!.traceId} cannot be loaded yet: ${first!.reason}`
        : `${traces.length} traces cannot be loaded yet; ${first!.traceId}: ${first!.reason}`,
    );
    this.name = "TraceNotLoadableError";
    this.traceId = first!.traceId;
    this.reason = first!.reason;
  }
}

const SPANS_LOCATION = "mlflow.trace.spansLocation";
const ARTIFACT_LOCATION = "mlflow.artifactLocation";
// Without an artifact location there is no traces.json to fetch: the tracking store is asked.
const storeRead = (t: TraceInfoV3) => t.tags[SPANS_LOCATION] === "TRACKING_STORE" || !t.tags[ARTIFACT_LOCATION];

const notLoadable = (traceId: string, reason: string) => new TraceNotLoadableError([{ traceId, reason }]);

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
  /** An assessment of the same trace this one replaces: MLflow marks that one valid = false. */
  overrides?: string;
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
      return await this.http.request({
        method: "GET",
        path: `${EXPERIMENTS}/get-by-name`,
        query: { experiment_name: name },
        effect: "read",
        schema: experimentAnswer,
      });
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

  searchExperiments(
    q: { filter?: string; maxResults?: number; pageToken?: string } = {},
  ): Promise<{ experiments: RemoteExperiment[]; nextPageToken?: string }> {
    const body = {
      ...(q.filter ? { filter: q.filter } : {}),
      ...(q.maxResults ? { max_results: q.maxResults } : {}),
      ...(q.pageToken ? { page_token: q.pageToken } : {}),
    };
    return this.http.request({
      method: "POST",
      path: `${EXPERIMENTS}/search`,
      body,
      effect: "read",
      schema: z
        .object({ experiments: list(ExperimentSchema), next_page_token: pageToken })
        .transform((r) => withToken({ experiments: r.experiments }, r.next_page_token)),
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
        throw new MlflowInvalidResponseError({
          method: "POST",
          path: `${TRACES}/search`,
          status: 200,
          field: "next_page_token",
          problem: "repeats an earlier page token",
        });
      }
      if (token !== undefined) seen.add(token);
    } while (token !== undefined);
  }

  getTraceInfo(traceId: string): Promise<TraceInfoV3> {
    return this.http.request({ method: "GET", path: `${TRACES}/${enc(traceId)}`, effect: "read", schema: traceInfoAnswer });
  }

  /**
   * One full trace, read as MLflow's client get_trace does: the info first, then traces/get when
   * the spans are in the tracking store (MLflow's traces/get answers "Trace data not stored in
   * tracking store", a 500, for the others), otherwise traces.json.
   */
  async getTrace(traceId: string): Promise<TraceData> {
    const info = await this.getTraceInfo(traceId);
    if (!storeRead(info)) return this.downloadTrace(info);
    return this.http.request({
      method: "GET",
      path: `${TRACES}/get`,
      query: { trace_id: traceId },
      effect: "read",
      schema: z.object({ trace: TraceJsonSchema }).transform((r) => r.trace),
    });
  }

  /**
   * Full traces in the order asked (each id once); ids MLflow does not know are left out. Read
   * the way MLflow's client does (tracing/client.py batch_get_traces): trace infos first
   * (batchGetInfos), then spans by the spansLocation tag: batchGet for TRACKING_STORE, otherwise
   * traces.json through the artifact proxy at mlflow.artifactLocation. A trace whose spans cannot
   * be read throws TraceNotLoadableError rather than coming back without them.
   */
  async batchGetTraces(traceIds: string[]): Promise<TraceData[]> {
    const ids = [...new Set(traceIds)];
    const found = new Map<string, TraceData>();
    for (let i = 0; i < ids.length; i += BATCH_GET_CHUNK) {
      const infos = await this.http.request({
        method: "POST",
        path: `${TRACES}/batchGetInfos`,
        body: { trace_ids: ids.slice(i, i + BATCH_GET_CHUNK) },
        effect: "read",
        schema: z.object({ trace_infos: list(TraceInfoSchema) }).transform((r) => r.trace_infos),
      });
      for (const t of await this.readSpans(infos)) found.set(t.info.trace_id, t);
    }
    return ids.flatMap((id) => found.get(id) ?? []);
  }

  /**
   * The spans of these traces, from where their spansLocation tag says. Every trace that cannot
   * be read is named in one TraceNotLoadableError (MLflow being unreachable is thrown as such).
   */
  private async readSpans(infos: TraceInfoV3[]): Promise<TraceData[]> {
    const found = new Map<string, TraceData>();
    const unloadable: { traceId: string; reason: string }[] = [];
    const inStore = infos.filter(storeRead).map((t) => t.trace_id);
    if (inStore.length) {
      const traces = await this.http.request({
        method: "GET",
        path: `${TRACES}/batchGet`,
        query: { trace_ids: inStore },
        effect: "read",
        schema: z.object({ traces: list(TraceJsonSchema) }).transform((r) => r.traces),
      });
      for (const t of traces) found.set(t.info.trace_id, t);
      // MLflow's batch_get_traces leaves out traces whose size stats promise more spans than it holds.
      for (const id of inStore)
        if (!found.has(id)) unloadable.push({ traceId: id, reason: "MLflow's batchGet did not return its spans (not fully exported yet)" });
    }
    for (const info of infos.filter((t) => !storeRead(t))) {
      try {
        found.set(info.trace_id, await this.downloadTrace(info));
      } catch (e) {
        if (!(e instanceof TraceNotLoadableError)) throw e;
        unloadable.push(...e.traces);
      }
    }
    if (unloadable.length) throw new TraceNotLoadableError(unloadable);
    return infos.map((i) => found.get(i.trace_id)!);
  }

  /** traces.json of a trace whose spans live in MLflow's artifact store (TS SDK, older clients). */
  private async downloadTrace(info: TraceInfoV3): Promise<TraceData> {
    const loc = info.tags[ARTIFACT_LOCATION];
    if (!loc?.startsWith("mlflow-artifacts:"))
      throw notLoadable(
        info.trace_id,
        `its spans are not in the tracking store and its artifact location '${loc ?? ""}' is not served by the MLflow artifact proxy`,
      );
    const path = `/api/2.0/mlflow-artifacts/artifacts/${loc.slice("mlflow-artifacts:".length).replace(/^\/+/, "")}/traces.json`;
    let text: string;
    try {
      text = await this.http.request({ method: "GET", path, effect: "read", rawText: true, schema: z.string() });
    } catch (e) {
      if (isNotFound(e)) throw notLoadable(info.trace_id, "its traces.json is not in MLflow's artifact store yet");
      throw e;
    }
    let spans;
    try {
      spans = parseTraceData(text);
    } catch (e) {
      if (e instanceof TraceDataError) throw notLoadable(info.trace_id, `its traces.json does not parse (${e.message})`);
      throw e;
    }
    return traceDataFromJson({
      trace_info: info,
      spans: spans.map((s) => ({
        span_id: s.spanIdHex,
        parent_span_id: s.parentSpanIdHex ?? "",
        name: s.name,
        start_time_unix_nano: s.startTimeNs,
        end_time_unix_nano: s.endTimeNs,
        status: { code: s.statusCode, message: s.statusMessage },
        attributes: Object.entries(s.attributes).map(([key, value]) => ({ key, value: toAnyValue(value) })),
        events: s.events.map((e) => ({
          name: e.name,
          time_unix_nano: e.time_unix_nano,
          attributes: Object.entries(e.attributes).map(([key, value]) => ({ key, value: toAnyValue(value) })),
        })),
      })),
    });
  }

  /** GET /version as plain text (what MLflow's Python client gates /v1/traces on); null if absent. */
  async serverVersion(): Promise<string | null> {
    try {
      return (await this.http.request({ method: "GET", path: "/version", effect: "read", rawText: true, schema: z.string() })).trim();
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  // ---- assessments ----

  /** Not retried once it may have reached the server: on maybeApplied, look up before writing again. */
  createAssessment(a: AssessmentCreate): Promise<Assessment> {
    return this.http.request({
      method: "POST",
      path: `${TRACES}/${enc(a.trace_id)}/assessments`,
      body: { assessment: a },
      effect: "create",
      schema: assessmentAnswer,
    });
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
    return this.http.request({
      method: "GET",
      path: `${SCORERS}/versions`,
      query: { experiment_id: experimentId, name },
      effect: "read",
      schema: scorersAnswer,
    });
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
    // A JSON body, as MLflow's rest_utils.call_endpoint sends every non-GET call: the server's
    // _get_request_message reads the query string for GET only.
    const body = { experiment_id: experimentId, name, ...(version !== undefined ? { version } : {}) };
    await this.http.request({ method: "DELETE", path: `${SCORERS}/delete`, body, effect: "idempotent", schema: empty });
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
