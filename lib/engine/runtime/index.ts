export * from "./get-scorer-funnel";
export * from "./get-scorer-runtime";
export * from "./set-scorer-budget";
export * from "./resume-account-paused-scorer";
export { runtimeStatus, runtimeStatuses, type RuntimeStatus } from "./runtime-status";
