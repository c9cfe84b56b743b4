// The MLflow-REST store (remote mode) and what the dashboard reads about it.
export * from "./status";
export * from "./backend-for";
export * from "./remote-ctx";
export * from "./links";
export * from "./linked";
export * from "./link-experiments";
export * from "./set-experiment-scoring";
export * from "./sync-scorers";
export * from "./upkeep";
export * from "./remote-store";
export * from "./markers";
export * from "./mlflow-runnable";
export * from "./server-version";
