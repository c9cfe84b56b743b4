// Scorer values in MLflow's REST JSON (mlflow/protos/service.proto: Scorer, RegisterScorer.Response;
// mlflow/genai/scorers/online/entities.py: OnlineScoringConfig.to_dict) and in Vigil's own JSON.
// MLflow prints int32/int64 proto fields as JSON numbers; Scorer.experiment_id is an int32 there,
// while RegisterScorer.Response.experiment_id and the online config's experiment_id are strings.
import { InvalidStateError } from "@/lib/core";
import type { Scorer } from "./scorer-value";

export interface MlflowScorerJson {
  experiment_id: number;
  scorer_name: string;
  scorer_version: number;
  serialized_scorer: string;
  creation_time: number;
  scorer_id: string;
}

function registered(v: Scorer): asserts v is Scorer & { version: number; scorerId: string; creationTime: number } {
  if (v.version === null || v.scorerId === null || v.creationTime === null) {
    throw new InvalidStateError(`Scorer '${v.name}' is not registered.`);
  }
}

export function toMlflowScorer(v: Scorer): MlflowScorerJson {
  registered(v);
  return {
    experiment_id: Number(v.experimentId),
    scorer_name: v.name,
    scorer_version: v.version,
    serialized_scorer: v.serializedScorer,
    creation_time: v.creationTime,
    scorer_id: v.scorerId,
  };
}

export function toRegisterResponse(v: Scorer) {
  registered(v);
  return {
    version: v.version,
    scorer_id: v.scorerId,
    experiment_id: v.experimentId,
    name: v.name,
    serialized_scorer: v.serializedScorer,
    creation_time: v.creationTime,
  };
}

export interface OnlineConfigJson {
  online_scoring_config_id: string;
  scorer_id: string;
  sample_rate: number;
  experiment_id: string;
  filter_string?: string;
}

export function toOnlineConfig(v: Scorer): OnlineConfigJson {
  registered(v);
  if (!v.onlineScoringConfigId) throw new InvalidStateError(`Scorer '${v.name}' has no online scoring config.`);
  return {
    online_scoring_config_id: v.onlineScoringConfigId,
    scorer_id: v.scorerId,
    sample_rate: v.sampleRate,
    experiment_id: v.experimentId,
    ...(v.filterString !== null ? { filter_string: v.filterString } : {}),
  };
}

/** Vigil's own JSON (/api/v1/scorers): MLflow's fields plus status, runnability and pause. */
export function toVigilScorer(v: Scorer) {
  return {
    experiment_id: v.experimentId,
    name: v.name,
    version: v.version,
    scorer_id: v.scorerId,
    serialized_scorer: v.serializedScorer,
    kind: v.kind,
    runnable: v.runnable,
    ...(v.notRunnableReason !== undefined ? { not_runnable_reason: v.notRunnableReason } : {}),
    sample_rate: v.sampleRate,
    filter_string: v.filterString,
    status: v.status,
    ...(v.pausedReason !== undefined ? { paused_reason: v.pausedReason } : {}),
    ...(v.pausedAt !== undefined ? { paused_at: v.pausedAt } : {}),
    ...(v.pausedBy !== undefined ? { paused_by: v.pausedBy } : {}),
    creation_time: v.creationTime,
  };
}
