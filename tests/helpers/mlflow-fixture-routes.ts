// The MLflow fixture's handlers, each following the MLflow handler named beside it
// (mlflow/server/handlers.py at a89bed67) and the sqlalchemy store method it calls. Errors are
// MlflowException's: {error_code, message} with the status of ERROR_CODE_TO_HTTP_STATUS
// (mlflow/exceptions.py).
import { FixtureError, invalid, offsetOf, pageTokenFor, parseOrderBy, parseTraceFilter } from "./mlflow-fixture-filter";
import { assessmentJson, FxState, otelSpanJson, traceInfoJson, type FxAssessment, type FxTrace } from "./mlflow-fixture-store";

export interface FxRequest {
  method: string;
  path: string;
  /** Query parameters, repeated ones as several values. */
  query: URLSearchParams;
  /** The JSON body of a non-GET request ({} when empty). */
  body: Record<string, unknown>;
}

export type FxAnswer = { status: number; json: unknown } | { status: number; text: string; contentType: string };

export interface FxOptions {
  state: FxState;
  /** Whether answers carry fields Vigil does not know (a newer server's). */
  extraFields: boolean;
  /** Parsed server version: online-scoring routes exist from 3.9 on. */
  version: [number, number] | null;
}

const notFound = (message: string) => new FixtureError(404, "RESOURCE_DOES_NOT_EXIST", message);
const internal = (message: string) => new FixtureError(500, "INTERNAL_ERROR", message);

/** _validate_request_json_with_schema's message for a missing required field. */
function required(v: unknown, name: string): string {
  if (v === undefined || v === null || v === "")
    throw invalid(`Missing value for required parameter '${name}'. See the API docs for more information about request parameters.`);
  return String(v);
}

/** _get_request_message for GET: a bool must be 'true' or 'false' in any case. */
function boolParam(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  if (v === null) return false;
  if (!["true", "false"].includes(v.toLowerCase())) throw invalid(`Invalid boolean value: ${v}, must be 'true' or 'false'.`);
  return v.toLowerCase() === "true";
}

/** GET fields come from the query string, others from the JSON body (_get_request_message). */
const field = (r: FxRequest, name: string): unknown => (r.method === "GET" ? (r.query.get(name) ?? undefined) : r.body[name]);

export function makeRoutes(o: FxOptions) {
  const s = o.state;
  const ok = (json: unknown): FxAnswer => ({ status: 200, json });

  const experiment = (id: string) => {
    const e = s.experiments.find((x) => x.experiment_id === id);
    if (!e) throw notFound(`No Experiment with id=${id} exists`);
    return e;
  };
  const experimentJson = (e: (typeof s.experiments)[number]) => ({
    experiment_id: e.experiment_id,
    name: e.name,
    artifact_location: `mlflow-artifacts:/${e.experiment_id}`,
    lifecycle_stage: e.lifecycle_stage,
    last_update_time: e.last_update_time,
    creation_time: e.creation_time,
    ...(Object.keys(e.tags).length ? { tags: Object.entries(e.tags).map(([key, value]) => ({ key, value })) } : {}),
    ...(o.extraFields ? { workspace: "default" } : {}),
  });
  const trace = (id: string): FxTrace => {
    const t = s.traces.get(id);
    if (!t) throw notFound(`Trace with ID ${id} is not found.`);
    return t;
  };
  /** _get_spans_with_trace_info: spans only from the tracking store; complete unless partial is allowed. */
  const spansOf = (t: FxTrace, allowPartial: boolean) => {
    if (t.tags["mlflow.trace.spansLocation"] !== "TRACKING_STORE" || !t.spans) throw internal("Trace data not stored in tracking store");
    const stats = t.metadata["mlflow.trace.sizeStats"];
    const expected = stats ? Number((JSON.parse(stats) as { num_spans?: number }).num_spans ?? 0) : 0;
    if (!allowPartial && t.spans.length < expected) return null;
    return t.spans.map((x) => otelSpanJson(t.otelHex, x));
  };
  const traceJson = (t: FxTrace, spans: unknown[]) => ({ trace_info: traceInfoJson(t, o.extraFields), spans });
  const assessment = (t: FxTrace, id: string): FxAssessment => {
    const a = t.assessments.find((x) => x.assessment_id === id);
    if (!a) throw notFound(`Assessment with ID '${id}' not found for trace '${t.traceId}'`);
    return a;
  };
  const scorerOf = (exp: string, name: string) => {
    const sc = s.scorers.find((x) => x.experiment_id === exp && x.name === name);
    if (!sc) throw notFound(`Scorer with name '${name}' not found for experiment ${exp}.`);
    return sc;
  };
  // ScorerVersion.to_proto: experiment_id is an int32 in the Scorer message.
  const scorerJson = (sc: (typeof s.scorers)[number], v: (typeof sc.versions)[number]) => ({
    experiment_id: Number(sc.experiment_id),
    scorer_name: sc.name,
    scorer_version: v.version,
    serialized_scorer: v.serialized,
    creation_time: v.creation_time,
    scorer_id: sc.scorer_id,
  });
  const configJson = (sc: (typeof s.scorers)[number]) => ({
    online_scoring_config_id: sc.config!.online_scoring_config_id,
    scorer_id: sc.scorer_id,
    sample_rate: sc.config!.sample_rate,
    experiment_id: sc.experiment_id,
    filter_string: sc.config!.filter_string,
  });
  const onlineRoutes = o.version === null || o.version[0] > 3 || (o.version[0] === 3 && o.version[1] >= 9);

  const routes: { method: string; path: RegExp; handle(r: FxRequest, m: string[]): FxAnswer }[] = [
    // _create_experiment -> sqlalchemy_store.create_experiment (a taken name is RESOURCE_ALREADY_EXISTS)
    {
      method: "POST",
      path: /^\/api\/2\.0\/mlflow\/experiments\/create$/,
      handle: (r) => {
        const name = required(r.body.name, "name");
        if (s.experiments.some((e) => e.name === name))
          throw new FixtureError(
            400,
            "RESOURCE_ALREADY_EXISTS",
            `Experiment(name=${name}) already exists. Error: (raised as a result of Query-invoked autoflush)`,
          );
        const tags = Object.fromEntries(((r.body.tags as { key: string; value: string }[] | undefined) ?? []).map((t) => [t.key, t.value]));
        return ok({ experiment_id: s.addExperiment(name, tags).experiment_id });
      },
    },
    {
      method: "GET",
      path: /^\/api\/2\.0\/mlflow\/experiments\/get$/,
      handle: (r) => ok({ experiment: experimentJson(experiment(required(field(r, "experiment_id"), "experiment_id"))) }),
    },
    // _get_experiment_by_name: a missing name is RESOURCE_DOES_NOT_EXIST
    {
      method: "GET",
      path: /^\/api\/2\.0\/mlflow\/experiments\/get-by-name$/,
      handle: (r) => {
        const name = required(field(r, "experiment_name"), "experiment_name");
        const e = s.experiments.find((x) => x.name === name && x.lifecycle_stage === "active");
        if (!e) throw notFound(`Could not find experiment with name '${name}'`);
        return ok({ experiment: experimentJson(e) });
      },
    },
    // _search_experiments: active ones (view_type ACTIVE_ONLY), offset page tokens
    {
      method: "POST",
      path: /^\/api\/2\.0\/mlflow\/experiments\/search$/,
      handle: (r) => {
        const filter = (r.body.filter as string | undefined)?.trim();
        let name: string | null = null;
        if (filter) {
          const m = /^(?:attribute\.)?name\s*=\s*(['"])(.*)\1$/.exec(filter);
          if (!m) throw invalid(`Invalid filter '${filter}'`);
          name = m[2]!;
        }
        const all = s.experiments.filter((e) => e.lifecycle_stage === "active" && (name === null || e.name === name));
        const max = Number(r.body.max_results ?? 1000);
        const from = offsetOf(r.body.page_token as string | undefined);
        const page = all.slice(from, from + max);
        return ok({
          ...(page.length ? { experiments: page.map(experimentJson) } : {}),
          ...(from + max < all.length ? { next_page_token: pageTokenFor(from + max) } : {}),
        });
      },
    },

    // _search_traces_v3 -> sqlalchemy_store.search_traces: max_results <= 500 (default 100), offset tokens,
    // a next_page_token whenever the page is full
    {
      method: "POST",
      path: /^\/api\/3\.0\/mlflow\/traces\/search$/,
      handle: (r) => {
        const locations = r.body.locations as { mlflow_experiment?: { experiment_id?: string } }[] | undefined;
        if (!Array.isArray(locations) || locations.length === 0) required(undefined, "locations");
        const max = r.body.max_results === undefined ? 100 : Number(r.body.max_results);
        if (!Number.isInteger(max) || max > 500) throw invalid(`Invalid value ${String(r.body.max_results)} for parameter 'max_results' supplied.`);
        const exps = new Set(locations!.map((l) => l.mlflow_experiment?.experiment_id).filter(Boolean));
        const match = parseTraceFilter(r.body.filter as string | undefined);
        const order = parseOrderBy(r.body.order_by as string[] | undefined);
        const rows = [...s.traces.values()]
          .filter((t) => exps.has(t.experimentId))
          .map((t) => ({
            t,
            traceId: t.traceId,
            timestampMs: t.requestMs,
            executionMs: t.executionMs,
            state: t.state,
            name: t.tags["mlflow.traceName"] ?? null,
            metadata: t.metadata,
            tags: t.tags,
          }))
          .filter(match)
          .sort(order);
        const from = offsetOf(r.body.page_token as string | undefined);
        const page = rows.slice(from, from + max);
        return ok({
          ...(page.length ? { traces: page.map((x) => traceInfoJson(x.t, o.extraFields)) } : {}),
          ...(page.length === max ? { next_page_token: pageTokenFor(from + max) } : {}),
        });
      },
    },
    // _batch_get_trace_infos
    {
      method: "POST",
      path: /^\/api\/3\.0\/mlflow\/traces\/batchGetInfos$/,
      handle: (r) => {
        if (!Array.isArray(r.body.trace_ids)) required(undefined, "trace_ids");
        const infos = (r.body.trace_ids as string[]).flatMap((id) => s.traces.get(id) ?? []).map((t) => traceInfoJson(t, o.extraFields));
        return ok(infos.length ? { trace_infos: infos } : {});
      },
    },
    // _batch_get_traces -> batch_get_traces: complete traces only; spans not in the tracking store raise
    {
      method: "GET",
      path: /^\/api\/3\.0\/mlflow\/traces\/batchGet$/,
      handle: (r) => {
        const ids = r.query.getAll("trace_ids");
        if (ids.length === 0) required(undefined, "trace_ids");
        const traces = ids
          .flatMap((id) => s.traces.get(id) ?? [])
          .flatMap((t) => {
            const spans = spansOf(t, false);
            return spans?.length ? [traceJson(t, spans)] : [];
          });
        return ok(traces.length ? { traces } : {});
      },
    },
    // _get_trace -> get_trace(allow_partial): "not fully exported yet" is RESOURCE_DOES_NOT_EXIST
    {
      method: "GET",
      path: /^\/api\/3\.0\/mlflow\/traces\/get$/,
      handle: (r) => {
        const t = trace(required(r.query.get("trace_id"), "trace_id"));
        const spans = spansOf(t, boolParam(r.query, "allow_partial"));
        if (spans === null) throw notFound(`Trace with ID ${t.traceId} is not fully exported yet, please try again later.`);
        return ok({ trace: traceJson(t, spans) });
      },
    },
    // _create_assessment -> create_assessment: the server sets id, times and valid
    {
      method: "POST",
      path: /^\/api\/3\.0\/mlflow\/traces\/([^/]+)\/assessments$/,
      handle: (r, m) => {
        const t = trace(decodeURIComponent(m[1]!));
        const a = (r.body.assessment ?? {}) as Partial<FxAssessment> & { source?: FxAssessment["source"] };
        required(a.assessment_name, "assessment_name");
        if (!a.source?.source_type) required(undefined, "source");
        if (!a.feedback && !a.expectation) throw invalid("Exactly one of 'expectation' or 'feedback' must be specified.");
        const now = s.now();
        // SqlAlchemyStore.create_assessment: an override names an assessment of the same trace, which
        // becomes valid = false (RESOURCE_DOES_NOT_EXIST when the trace has no such assessment).
        if (a.overrides) {
          const old = assessment(t, a.overrides);
          old.valid = false;
          old.update_ms = now;
        }
        const stored: FxAssessment = {
          assessment_id: s.newAssessmentId(),
          assessment_name: a.assessment_name!,
          trace_id: t.traceId,
          source: a.source!,
          create_ms: now,
          update_ms: now,
          ...(a.feedback ? { feedback: a.feedback } : {}),
          ...(a.expectation ? { expectation: a.expectation } : {}),
          ...(a.rationale ? { rationale: a.rationale } : {}),
          ...(a.span_id ? { span_id: a.span_id } : {}),
          metadata: a.metadata ?? {},
          ...(a.overrides ? { overrides: a.overrides } : {}),
          valid: true,
        };
        t.assessments.push(stored);
        return ok({ assessment: assessmentJson(stored) });
      },
    },
    {
      method: "GET",
      path: /^\/api\/3\.0\/mlflow\/traces\/([^/]+)\/assessments\/([^/]+)$/,
      handle: (_r, m) => ok({ assessment: assessmentJson(assessment(trace(decodeURIComponent(m[1]!)), decodeURIComponent(m[2]!))) }),
    },
    // _update_assessment (mlflow/server/handlers.py): `assessment` and `update_mask` are required; the
    // mask is FieldMask JSON, comma-joined lowerCamelCase paths of Assessment's own fields (protobuf's
    // parser refuses a path holding "_", so MLflow answers 400); the handler takes assessment_name,
    // expectation, feedback, rationale, metadata and valid, and passes over any other path. A masked
    // field the body leaves out takes its proto default (valid: true, as assessments.proto declares).
    {
      method: "PATCH",
      path: /^\/api\/3\.0\/mlflow\/traces\/([^/]+)\/assessments\/([^/]+)$/,
      handle: (r, m) => {
        if (r.body.assessment === undefined || r.body.assessment === null)
          throw invalid("Missing value for required parameter 'assessment'. See the API docs for more information about request parameters.");
        const paths = required(r.body.update_mask, "update_mask").split(",");
        for (const p of paths)
          if (p.includes("_")) throw invalid(`Failed to parse request body: Fail to parse FieldMask: Path name ${p} must not contain "_"s.`);
        const a = assessment(trace(decodeURIComponent(m[1]!)), decodeURIComponent(m[2]!));
        const patch = r.body.assessment as Record<string, unknown>;
        const target = a as unknown as Record<string, unknown>;
        const defaults: Record<string, unknown> = { assessmentName: "", rationale: "", metadata: {}, valid: true };
        const field: Record<string, string> = { assessmentName: "assessment_name", rationale: "rationale", metadata: "metadata", valid: "valid" };
        for (const p of paths.map((x) => x.trim())) {
          if (p === "feedback" || p === "expectation") target[p] = patch[p];
          else if (p in field) target[field[p]!] = patch[field[p]!] ?? defaults[p];
        }
        a.update_ms = s.now();
        return ok({ assessment: assessmentJson(a) });
      },
    },
    // _get_trace_info_v3
    {
      method: "GET",
      path: /^\/api\/3\.0\/mlflow\/traces\/([^/]+)$/,
      handle: (_r, m) => ok({ trace: { trace_info: traceInfoJson(trace(decodeURIComponent(m[1]!)), o.extraFields) } }),
    },
    // _download_artifact -> LocalArtifactRepository.download_artifacts: validate_path_is_safe, "No such artifact"
    {
      method: "GET",
      path: /^\/api\/2\.0\/mlflow-artifacts\/artifacts\/(.+)$/,
      handle: (_r, m) => {
        const path = decodeURIComponent(m[1]!);
        if (path.split("/").includes("..") || path.startsWith("/")) throw invalid(`Invalid path: ${path}`);
        const text = s.artifacts.get(path);
        if (text === undefined) throw notFound(`No such artifact: '${path}'`);
        return { status: 200, text, contentType: "application/octet-stream" };
      },
    },
  ];
  return { routes, onlineRoutes, experiment, scorerOf, scorerJson, configJson, ok };
}
