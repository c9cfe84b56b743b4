// The remote MlflowBackend: a real MLflow tracking server through the typed REST client. MLflow's
// error answers become Vigil's typed errors, so callers handle one hierarchy: a definitive 4xx
// keeps its meaning (not found, invalid, exists), anything that may pass (network, 5xx, 429,
// refused credentials) becomes UpstreamUnavailableError and the work waits.
import { AlreadyExistsError, InvalidParameterError, InvalidStateError, NotFoundError, UpstreamUnavailableError, type VigilError } from "@/lib/core";
import { MlflowApiError, MlflowUnavailableError, TraceNotLoadableError, type MlflowClient } from "@/lib/mlflow/client";
import type { MlflowBackend } from "./types";

const ADMINS_SEE = "an admin sees MLflow's own answer";

/**
 * MLflow's answer as Vigil's typed error. The upstream message (MLflow's words, its REST path) is
 * kept for admins; everyone else gets a public message (lib/core/errors.ts, messageFor), and the
 * original error stays as the cause.
 */
export function toVigilError(e: unknown): unknown {
  if (e instanceof MlflowApiError) {
    // The client's messages already name MLflow, the call and the answer.
    const msg = e.message;
    const details = { upstreamStatus: e.status, upstreamCode: e.errorCode };
    const opts = (what: string) => ({ cause: e, publicMessage: `The MLflow server ${what} (${ADMINS_SEE}).` });
    let err: VigilError;
    if (e.status === 401 || e.status === 403 || e.errorCode === "UNAUTHENTICATED" || e.errorCode === "PERMISSION_DENIED") {
      // Vigil's credentials for MLflow, not the user's: a setup problem that blocks the work.
      err = new UpstreamUnavailableError(
        `${msg} (check MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME/PASSWORD)`,
        details,
        opts("refused Vigil's credentials"),
      );
    } else if (e.errorCode === "RESOURCE_DOES_NOT_EXIST" || e.status === 404) err = new NotFoundError(msg, details, opts("has no such resource"));
    else if (e.errorCode === "RESOURCE_ALREADY_EXISTS") err = new AlreadyExistsError(msg, details, opts("already has it"));
    else if (e.errorCode === "INVALID_STATE" || e.status === 409) err = new InvalidStateError(msg, details, opts("refused it in its current state"));
    else err = new InvalidParameterError(msg, details, opts("refused the request as invalid"));
    return err;
  }
  // Spans not readable yet: the trace waits (never scored without them) and the reason is kept.
  if (e instanceof TraceNotLoadableError) {
    return new UpstreamUnavailableError(
      e.message,
      { traceId: e.traceId, notLoadable: true, count: e.traces.length, reason: e.reason },
      {
        cause: e,
        publicMessage: `The MLflow server cannot give the trace's spans yet (${ADMINS_SEE}).`,
      },
    );
  }
  if (e instanceof MlflowUnavailableError) {
    return new UpstreamUnavailableError(
      `MLflow is unreachable: ${e.message}`,
      { maybeApplied: e.maybeApplied, attempts: e.attempts },
      {
        cause: e,
        publicMessage: "The MLflow server is unreachable; the work waits and is retried.",
      },
    );
  }
  return e;
}

/** Whether an error says a create may have reached MLflow although no answer came back. */
export function maybeApplied(e: unknown): boolean {
  return e instanceof UpstreamUnavailableError && e.details?.maybeApplied === true;
}

export function remoteBackend(client: MlflowClient): MlflowBackend {
  const wrap = async <T>(p: () => Promise<T>): Promise<T> => {
    try {
      return await p();
    } catch (e) {
      throw toVigilError(e);
    }
  };
  return {
    kind: "remote",
    serverVersion: () => wrap(() => client.serverVersion()),
    getExperiment: (id) => wrap(() => client.getExperiment(id)),
    getExperimentByName: (name) => wrap(() => client.getExperimentByName(name)),
    createExperiment: (name, tags) => wrap(() => client.createExperiment(name, tags)),
    searchExperiments: (q) => wrap(() => client.searchExperiments(q)),
    searchTraces: (q) => wrap(() => client.searchTraces(q)),
    getTraceInfo: (id) => wrap(() => client.getTraceInfo(id)),
    getTrace: (id) => wrap(() => client.getTrace(id)),
    batchGetTraces: (ids) => wrap(() => client.batchGetTraces(ids)),
    createAssessment: (a) => wrap(() => client.createAssessment(a)),
    getAssessment: (t, a) => wrap(() => client.getAssessment(t, a)),
    updateAssessment: (t, a, patch, mask) => wrap(() => client.updateAssessment(t, a, patch, mask)),
    registerScorer: (q) => wrap(() => client.registerScorer(q)),
    listScorers: (id) => wrap(() => client.listScorers(id)),
    listScorerVersions: (id, name) => wrap(() => client.listScorerVersions(id, name)),
    getScorer: (id, name, version) => wrap(() => client.getScorer(id, name, version)),
    deleteScorer: (id, name, version) => wrap(() => client.deleteScorer(id, name, version)),
    getOnlineConfigs: (ids) => wrap(() => client.getOnlineConfigs(ids)),
    setOnlineConfig: (q) => wrap(() => client.setOnlineConfig(q)),
  };
}
