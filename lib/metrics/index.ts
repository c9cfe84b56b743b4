export * from "./compare-windows";
export * from "./get-trend";
export * from "./list-trend-scorers";
export * from "./process-metrics-queue";
export * from "./rebuild-rollups";
export { HISTOGRAM_EDGES, HISTOGRAM_BINS, NO_VERSION } from "./point-sql";
export type { Bucket, Summary, MeanSummary, RateSummary } from "./rollup-math";
export * from "./stats";
