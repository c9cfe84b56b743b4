export * from "./experiment-summaries";
