// Reading what scorers need out of a TraceData, the way MLflow's evaluation harness does:
// inputs/outputs from the root span, expectations from expectation assessments.
import type { SpanData, TraceData } from "@/lib/mlflow/types";
import type { ScorerInput } from "./types";

/** The span without a parent (or whose parent is not in the trace, for partial traces). */
export function rootSpan(trace: TraceData): SpanData | undefined {
  const ids = new Set(trace.spans.map((s) => s.span_id));
  return (
    trace.spans.find((s) => s.parent_span_id === null || s.parent_span_id === "") ??
    trace.spans.find((s) => s.parent_span_id !== null && !ids.has(s.parent_span_id))
  );
}

function firstDefined(attrs: Record<string, unknown> | undefined, keys: string[]): unknown {
  if (!attrs) return undefined;
  for (const k of keys) if (attrs[k] !== undefined && attrs[k] !== null) return attrs[k];
  return undefined;
}

/** Root span inputs (MLflow, then OpenInference attributes), else the trace's decoded request. */
export function traceInputs(trace: TraceData): unknown {
  const root = rootSpan(trace);
  return firstDefined(root?.attributes, ["mlflow.spanInputs", "input.value"]) ?? trace.info.request ?? (trace.info.request_preview || null);
}

/** Root span outputs (MLflow, then OpenInference attributes), else the trace's decoded response. */
export function traceOutputs(trace: TraceData): unknown {
  const root = rootSpan(trace);
  return firstDefined(root?.attributes, ["mlflow.spanOutputs", "output.value"]) ?? trace.info.response ?? (trace.info.response_preview || null);
}

/** Valid expectation assessments on the trace, by name (the last one wins, as MLflow does). */
export function expectationsFromTrace(trace: TraceData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of trace.info.assessments ?? []) {
    if (!a.expectation || a.valid === false) continue;
    let value: unknown = a.expectation.value;
    const sv = a.expectation.serialized_value;
    if (value === undefined && sv) {
      try {
        value = JSON.parse(sv.value);
      } catch {
        value = sv.value;
      }
    }
    out[a.assessment_name] = value;
  }
  return out;
}

/** The scorer input MLflow would build from a trace. */
export function inputFromTrace(trace: TraceData, expectations?: Record<string, unknown>): ScorerInput {
  return {
    inputs: traceInputs(trace),
    outputs: traceOutputs(trace),
    expectations: expectations ?? expectationsFromTrace(trace),
    trace,
  };
}

/** Parses a protobuf Duration string such as "1.840s" into milliseconds. */
export function durationToMs(duration: string | undefined): number | null {
  if (!duration) return null;
  const m = /^(-?\d+(?:\.\d+)?)s$/.exec(duration.trim());
  return m ? Math.round(Number(m[1]) * 1000 * 1000) / 1000 : null;
}

/** Trace execution time: the derived field, the proto duration, or the root span's own times. */
export function executionTimeMs(trace: TraceData): number | null {
  if (typeof trace.info.execution_time_ms === "number") return trace.info.execution_time_ms;
  const fromDuration = durationToMs(trace.info.execution_duration);
  if (fromDuration !== null) return fromDuration;
  const root = rootSpan(trace);
  if (root?.end_time_ns) {
    return Number((BigInt(root.end_time_ns) - BigInt(root.start_time_ns)) / 1000n) / 1000;
  }
  return null;
}

/** Spans of one MLflow span type (LLM, RETRIEVER, TOOL, ...), case-insensitively. */
export function spansOfType(trace: TraceData, type: string): SpanData[] {
  const want = type.toUpperCase();
  return trace.spans.filter((s) => (s.span_type ?? String(s.attributes["mlflow.spanType"] ?? "")).toUpperCase() === want);
}

export const isErrorSpan = (s: SpanData): boolean => s.status_code === "STATUS_CODE_ERROR";
