// The typed MLflow REST client (remote mode): experiments, traces, assessments, scorers.
export { MlflowClient, TraceNotLoadableError, MAX_SEARCH_RESULTS, BATCH_GET_CHUNK, fieldMaskJson, type AssessmentCreate, type TraceSearch } from "./client";
export { MlflowApiError, MlflowInvalidResponseError, MlflowUnavailableError, isNotFound } from "./errors";
export type { MlflowClientOptions } from "./http";
export type { RemoteExperiment, RemoteOnlineConfig, RemoteScorer } from "./schemas";
export { traceDataFromJson, TraceJsonError } from "./trace-json";
export { backoffDelayMs, decideAttempt, parseRetryAfter, type Effect } from "./retry-policy";
