// Authorization above the backend port: one wrapper checks roles and experiment scope for both
// backends before (or, for calls that name only a trace, right after) the store is asked, so a
// remote MLflow's traces are guarded exactly like Vigil's own. The embedded verbs check again;
// that is harmless and keeps each verb safe on its own.
import { BEFORE_LOOKUP, requireRole, type Actor } from "@/lib/core";
import { ROLE_FOR_ACTION } from "@/lib/monitoring/lifecycle";
import type { TraceInfoV3 } from "@/lib/mlflow/types";
import type { MlflowBackend } from "./types";

/**
 * The local experiment an id of the store names: the same id for Vigil's own store, the linked
 * experiment for a remote MLflow; null for one Vigil does not monitor (a global resource then:
 * unscoped identities only).
 */
export type LocalExperimentOf = (storeExperimentId: string) => number | null;

export function authorizedBackend(inner: MlflowBackend, actor: Actor, localOf: LocalExperimentOf): MlflowBackend {
  const check = (role: "viewer" | "operator" | "admin", storeExperimentId: string | undefined) => {
    const local = storeExperimentId === undefined ? null : localOf(storeExperimentId);
    requireRole(actor, role, local ?? undefined);
  };
  /** The trace's experiment, read before a write so nothing is written for a refused identity. */
  const traceGate = async (role: "viewer" | "operator", traceId: string) => {
    requireRole(actor, role, BEFORE_LOOKUP);
    // An unscoped identity has passed already; the engine's writes cost no extra round trip.
    if (actor.experimentId == null) return;
    check(role, (await inner.getTraceInfo(traceId)).trace_location.mlflow_experiment?.experiment_id);
  };

  /** Reads that name no experiment: the answer says which, and is checked before it is handed out. */
  const readThen = async <T>(read: () => Promise<T>, experimentsOf: (r: T) => (string | undefined)[]): Promise<T> => {
    requireRole(actor, "viewer", BEFORE_LOOKUP);
    const r = await read();
    for (const id of experimentsOf(r)) check("viewer", id);
    return r;
  };
  const traceExp = (info: TraceInfoV3) => info.trace_location.mlflow_experiment?.experiment_id;

  return {
    kind: inner.kind,
    serverVersion: () => inner.serverVersion(),
    async getExperiment(id) {
      check("viewer", id);
      return inner.getExperiment(id);
    },
    getExperimentByName: (name) =>
      readThen(
        () => inner.getExperimentByName(name),
        (e) => (e ? [e.experiment_id] : []),
      ),
    async createExperiment(name, tags) {
      check("operator", undefined);
      return inner.createExperiment(name, tags);
    },
    async searchExperiments(q) {
      requireRole(actor, "viewer", BEFORE_LOOKUP);
      const r = await inner.searchExperiments(q);
      // A scoped identity sees its own experiment only, as searchExperiments answers it.
      const experiments = actor.experimentId == null ? r.experiments : r.experiments.filter((e) => localOf(e.experiment_id) === actor.experimentId);
      return { ...r, experiments };
    },

    async searchTraces(q) {
      for (const id of q.experimentIds) check("viewer", id);
      return inner.searchTraces(q);
    },
    getTraceInfo: (traceId) =>
      readThen(
        () => inner.getTraceInfo(traceId),
        (info) => [traceExp(info)],
      ),
    getTrace: (traceId) =>
      readThen(
        () => inner.getTrace(traceId),
        (t) => [traceExp(t.info)],
      ),
    batchGetTraces: (traceIds) =>
      readThen(
        () => inner.batchGetTraces(traceIds),
        (ts) => ts.map((t) => traceExp(t.info)),
      ),

    async createAssessment(a) {
      await traceGate("operator", a.trace_id);
      return inner.createAssessment(a);
    },
    async getAssessment(traceId, assessmentId) {
      await traceGate("viewer", traceId);
      return inner.getAssessment(traceId, assessmentId);
    },
    async updateAssessment(traceId, assessmentId, patch, mask) {
      await traceGate("operator", traceId);
      return inner.updateAssessment(traceId, assessmentId, patch, mask);
    },

    async registerScorer(q) {
      check(ROLE_FOR_ACTION.register, q.experimentId);
      return inner.registerScorer(q);
    },
    async listScorers(experimentId) {
      check("viewer", experimentId);
      return inner.listScorers(experimentId);
    },
    async listScorerVersions(experimentId, name) {
      check("viewer", experimentId);
      return inner.listScorerVersions(experimentId, name);
    },
    async getScorer(experimentId, name, version) {
      check("viewer", experimentId);
      return inner.getScorer(experimentId, name, version);
    },
    async deleteScorer(experimentId, name, version) {
      check(ROLE_FOR_ACTION.delete, experimentId);
      return inner.deleteScorer(experimentId, name, version);
    },
    getOnlineConfigs: (scorerIds) =>
      readThen(
        () => inner.getOnlineConfigs(scorerIds),
        (cs) => cs.map((c) => c.experiment_id),
      ),
    async setOnlineConfig(q) {
      // The entry role of a sampling change; Vigil's own verb then asks more for larger changes.
      check("operator", q.experimentId);
      return inner.setOnlineConfig(q);
    },
  };
}
