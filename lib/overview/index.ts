// The dashboard's own read verbs (what no other domain answers) and the server-action error mapping.
export * from "./action-result";
export * from "./experiment-summaries";
export * from "./experiment-traffic";
export * from "./get-trace-detail";
export * from "./latency-histogram";
export * from "./list-experiment-options";
export * from "./search-trace-page";
export * from "./time-range";
export * from "./trace-query";
export * from "./validate-filter";
