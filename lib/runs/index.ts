// MLflow runs, the part mlflow.genai.evaluate uses (create, update, get, log-batch and friends, log-inputs).
export * from "./run-json";
export * from "./create-run";
export * from "./get-run";
export * from "./update-run";
export * from "./log-batch";
export * from "./log-inputs";
export * from "./delete-run-tag";
