// The monitoring engine: continuous scoring, assess and backfill jobs, and what the dashboard
// reads about them (job progress, a scorer's funnel, status, spend and lag).
export * from "./jobs";
export * from "./runtime";
export { runWorker, pass, type PassResult, type WorkerOptions } from "./worker";
export { makeEngineCtx, type EngineCtx } from "./engine-context";
export { completeQuietTraces } from "./complete-quiet-traces";
export { sampleTrace, selectScorers, groupByFilter, hashUnit, samplingOrder } from "./sampling";
export { ERROR_CODES } from "./retry-policy";
export { SOURCE_RUN_ID_KEY, JUDGE_COST_KEY } from "./outcomes";
