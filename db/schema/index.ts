export * from "./experiments";
export * from "./traces";
export * from "./assessments";
export * from "./scorers";
export * from "./engine";
export * from "./auth";
export * from "./archive";
export * from "./metrics";
