// Registered scorers: MLflow's lifecycle (register, start, update, stop, delete, get, list,
// versions), Vigil's pause/resume, the MLflow REST shapes, and config as code.
export * from "./lifecycle";
export * from "./scorer-value";
export * from "./mlflow-json";
export * from "./register-scorer";
export * from "./start-scorer";
export * from "./update-scorer";
export * from "./stop-scorer";
export * from "./pause-scorer";
export * from "./resume-scorer";
export * from "./delete-scorer";
export * from "./list-scorers";
export * from "./get-scorer";
export * from "./list-scorer-versions";
export * from "./get-online-configs";
export * from "./set-online-config";
export * from "./scorer";
export * from "./config-as-code";
export * from "./apply-plan";
export * from "./shadow-store";
export * from "./register-shadow";
export * from "./promote-shadow";
export * from "./discard-shadow";
export * from "./list-shadows";
export * from "./agreement";
