// The embedded MlflowBackend: Vigil's own store, through the same lib verbs its REST routes call
// (so roles, validation and errors are exactly those an MLflow client of Vigil meets).
import type { Ctx } from "@/lib/core";
import { createAssessment, getAssessment, updateAssessment, type CreateAssessmentInput } from "@/lib/assessments";
import { createExperiment, getExperiment, getExperimentByName, searchExperiments } from "@/lib/experiments";
import type { ExperimentJson } from "@/lib/experiments/experiment-json";
import { loadTraceData } from "@/lib/mlflow/convert";
import { MLFLOW_COMPAT_VERSION } from "@/lib/mlflow/version";
import {
  deleteScorer,
  getOnlineConfigs,
  getScorer,
  listScorers,
  listScorerVersions,
  registerScorer,
  setOnlineConfig,
  toMlflowScorer,
  toOnlineConfig,
} from "@/lib/monitoring";
import { NotFoundError } from "@/lib/core";
import { batchGetTraces, getTraceInfo, searchTraces } from "@/lib/traces";
import type { MlflowBackend, RemoteExperiment, RemoteScorer } from "./types";

const experiment = (e: ExperimentJson): RemoteExperiment => ({
  experiment_id: e.experiment_id,
  name: e.name,
  lifecycle_stage: e.lifecycle_stage,
  tags: Object.fromEntries(e.tags.map((t) => [t.key, t.value])),
  creation_time: e.creation_time,
  last_update_time: e.last_update_time,
});

const scorer = (s: Parameters<typeof toMlflowScorer>[0]): RemoteScorer => {
  const j = toMlflowScorer(s);
  return { ...j, experiment_id: String(j.experiment_id) };
};

/** Runs a synchronous verb as a promise, so a thrown error becomes a rejection like remote's. */
const call = <T>(f: () => T): Promise<T> => new Promise((resolve) => resolve(f()));

export function embeddedBackend(ctx: Ctx): MlflowBackend {
  const args = <I>(input: I) => ({ ctx, input });
  return {
    kind: "embedded",
    // Vigil's own store answers what Vigil's GET /version does.
    serverVersion: async () => MLFLOW_COMPAT_VERSION,
    getExperiment: (id) => call(() => experiment(getExperiment(args({ experiment_id: id })).experiment)),
    getExperimentByName: (name) =>
      call(() => {
        try {
          return experiment(getExperimentByName(args({ experiment_name: name })).experiment);
        } catch (e) {
          if (e instanceof NotFoundError) return null;
          throw e;
        }
      }),
    createExperiment: (name, tags = {}) =>
      call(() => createExperiment(args({ name, tags: Object.entries(tags).map(([key, value]) => ({ key, value })) })).experiment_id),
    searchExperiments: (q = {}) =>
      call(() => {
        const r = searchExperiments(args({ filter: q.filter, max_results: q.maxResults, page_token: q.pageToken }));
        return { experiments: r.experiments.map(experiment), nextPageToken: r.next_page_token || undefined };
      }),

    searchTraces: (q) =>
      call(() => {
        const r = searchTraces(
          args({
            locations: q.experimentIds.map((id) => ({ type: "MLFLOW_EXPERIMENT" as const, mlflow_experiment: { experiment_id: id } })),
            filter: q.filter,
            order_by: q.orderBy,
            max_results: q.maxResults,
            page_token: q.pageToken,
          }),
        );
        return { traces: r.traces, nextPageToken: r.next_page_token || undefined };
      }),
    getTraceInfo: (id) => call(() => getTraceInfo(args({ trace_id: id })).trace.trace_info),
    getTrace: (id) =>
      call(() => {
        // getTraceInfo makes the role check the trace's experiment calls for.
        const info = getTraceInfo(args({ trace_id: id })).trace.trace_info;
        return loadTraceData(ctx.db, info.trace_id);
      }),
    batchGetTraces: (ids) =>
      call(() => {
        const found = new Set(batchGetTraces(args({ trace_ids: ids })).traces.map((t) => t.trace_info.trace_id));
        return ids.filter((id) => found.has(id)).map((id) => loadTraceData(ctx.db, id));
      }),

    createAssessment: (a) => call(() => createAssessment(args({ trace_id: a.trace_id, assessment: a as CreateAssessmentInput["assessment"] })).assessment),
    getAssessment: (traceId, assessmentId) => call(() => getAssessment(args({ trace_id: traceId, assessment_id: assessmentId })).assessment),
    updateAssessment: (traceId, assessmentId, patch, updateMask) =>
      call(() => updateAssessment(args({ trace_id: traceId, assessment_id: assessmentId, assessment: patch, update_mask: updateMask.join(",") })).assessment),

    registerScorer: (q) => call(() => scorer(registerScorer(args({ experiment_id: q.experimentId, name: q.name, serialized_scorer: q.serializedScorer })))),
    listScorers: (experimentId) => call(() => listScorers(args({ experiment_id: experimentId })).map(scorer)),
    listScorerVersions: (experimentId, name) => call(() => listScorerVersions(args({ experiment_id: experimentId, name })).map(scorer)),
    getScorer: (experimentId, name, version) => call(() => scorer(getScorer(args({ experiment_id: experimentId, name, version })))),
    deleteScorer: (experimentId, name, version) =>
      call(() => {
        deleteScorer(args({ experiment_id: experimentId, name, version }));
      }),
    getOnlineConfigs: (scorerIds) => call(() => getOnlineConfigs(args({ scorer_ids: scorerIds }))),
    setOnlineConfig: (q) =>
      call(() =>
        toOnlineConfig(
          setOnlineConfig(args({ experiment_id: q.experimentId, name: q.name, sample_rate: q.sampleRate, filter_string: q.filterString ?? undefined })),
        ),
      ),
  };
}
