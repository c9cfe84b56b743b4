// Builds in-memory TraceData: a minimal one per dev example (evaluate.ts) and richer ones in tests.
import { createHash } from "node:crypto";
import type { FeedbackValue, SpanData, TraceData, TraceState } from "@/lib/mlflow/types";
import { stringifyCompact } from "./text";

export interface SpanSpec {
  name: string;
  type?: string;
  inputs?: unknown;
  outputs?: unknown;
  /** Offsets from the trace start, in ms. */
  startMs?: number;
  endMs?: number;
  error?: string;
  attributes?: Record<string, unknown>;
  children?: SpanSpec[];
}

export interface TraceSpec {
  traceId?: string;
  experimentId?: string;
  /** Epoch ms of the trace start. */
  timestampMs?: number;
  state?: TraceState;
  root: SpanSpec;
  expectations?: Record<string, unknown>;
}

const hex = (seed: string, len: number) => createHash("sha256").update(seed).digest("hex").slice(0, len);
const ns = (ms: number) => (BigInt(Math.round(ms * 1000)) * 1000n).toString();

export function buildTrace(spec: TraceSpec): TraceData {
  const traceId = spec.traceId ?? `tr-${hex(JSON.stringify(spec.root), 32)}`;
  const t0 = spec.timestampMs ?? Date.UTC(2026, 10, 25, 3, 0, 0);
  const spans: SpanData[] = [];
  const walk = (s: SpanSpec, parent: string | null, path: string) => {
    const spanId = hex(`${traceId}/${path}`, 16);
    const attributes: Record<string, unknown> = { ...s.attributes, "mlflow.traceRequestId": traceId };
    if (s.type) attributes["mlflow.spanType"] = s.type;
    if (s.inputs !== undefined) attributes["mlflow.spanInputs"] = s.inputs;
    if (s.outputs !== undefined) attributes["mlflow.spanOutputs"] = s.outputs;
    spans.push({
      trace_id: traceId,
      span_id: spanId,
      parent_span_id: parent,
      name: s.name,
      span_type: s.type ?? null,
      start_time_ns: ns(t0 + (s.startMs ?? 0)),
      end_time_ns: ns(t0 + (s.endMs ?? s.startMs ?? 0)),
      status_code: s.error ? "STATUS_CODE_ERROR" : "STATUS_CODE_OK",
      status_message: s.error ?? "",
      attributes,
      events: s.error ? [{ name: "exception", time_unix_nano: ns(t0 + (s.endMs ?? 0)), attributes: { "exception.message": s.error } }] : [],
    });
    (s.children ?? []).forEach((c, i) => walk(c, spanId, `${path}/${i}`));
  };
  walk(spec.root, null, "0");
  const durationMs = (spec.root.endMs ?? 0) - (spec.root.startMs ?? 0);
  const state: TraceState = spec.state ?? (spec.root.error ? "ERROR" : "OK");
  const now = new Date(t0).toISOString();
  return {
    info: {
      trace_id: traceId,
      trace_location: { type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: spec.experimentId ?? "0" } },
      request_preview: spec.root.inputs === undefined ? undefined : stringifyCompact(spec.root.inputs).slice(0, 1000),
      response_preview: spec.root.outputs === undefined ? undefined : stringifyCompact(spec.root.outputs).slice(0, 1000),
      request_time: now,
      execution_duration: `${(durationMs / 1000).toFixed(3)}s`,
      state,
      trace_metadata: {},
      tags: {},
      assessments: Object.entries(spec.expectations ?? {}).map(([name, value], i) => ({
        assessment_id: `a-${hex(`${traceId}/${name}`, 16)}-${i}`,
        assessment_name: name,
        trace_id: traceId,
        source: { source_type: "HUMAN" as const, source_id: "dev-set" },
        create_time: now,
        last_update_time: now,
        expectation: { value: value as FeedbackValue },
      })),
      timestamp_ms: t0,
      execution_time_ms: durationMs,
      end_time_ms: t0 + durationMs,
      name: spec.root.name,
      request: spec.root.inputs ?? null,
      response: spec.root.outputs ?? null,
    },
    spans,
  };
}
