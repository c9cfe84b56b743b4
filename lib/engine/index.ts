// The monitoring engine: continuous scoring, assess and backfill jobs, and what the dashboard
// reads about them (job progress, a scorer's funnel, status, spend and lag).
export * from "./jobs";
export * from "./runtime";
// The worker loop (lib/engine/worker.ts) is imported by scripts/worker.ts directly: it starts a
// scoring thread, which has no place in the dashboard's bundle.
export { completeQuietTraces } from "./complete-quiet-traces";
export { sampleTrace, selectScorers, groupByFilter, hashUnit, samplingOrder } from "./sampling";
export { ERROR_CODES } from "./retry-policy";
export { SOURCE_RUN_ID_KEY, JUDGE_COST_KEY } from "./outcomes";
