export * from "./create-assess-job";
export * from "./create-backfill-job";
export * from "./get-job";
export * from "./list-jobs";
export * from "./cancel-job";
export * from "./get-job-summary";
export { type JobJson } from "./job-json";
export { jobStep, finishDrainedJobs } from "./job-step";
