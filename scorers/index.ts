// The scorers Vigil can run. The registry (built-ins by class name, team scorers by module) lives in
// registry.ts so serialize.ts can use it without an import cycle through this barrel.
export * from "./types";
export * from "./errors";
export * from "./registry";
export * from "./serialize";
export * from "./names";
export * from "./run";
export * from "./evaluate";
export { inputFromTrace, expectationsFromTrace, executionTimeMs, rootSpan, spansOfType, traceInputs, traceOutputs } from "./trace";
export { inputText, outputText } from "./text";
export { callJudge, modelName } from "./judges/client";
export { parseJudgeAnswer, valueTypeFromSchema, schemaFromValueType, YES_NO, type JudgeValueType } from "./judges/parse";
export { findPii, luhnValid } from "./builtin/pii-leak";
export * from "./conversation";
