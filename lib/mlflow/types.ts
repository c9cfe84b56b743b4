// MLflow protocol shapes as they travel in JSON (proto field names, snake_case).

export type TraceState = "STATE_UNSPECIFIED" | "OK" | "ERROR" | "IN_PROGRESS";

export interface TraceLocation {
  type: "MLFLOW_EXPERIMENT" | "INFERENCE_TABLE";
  mlflow_experiment?: { experiment_id: string };
}

export type AssessmentSourceType = "SOURCE_TYPE_UNSPECIFIED" | "HUMAN" | "LLM_JUDGE" | "CODE";

export type FeedbackValue = number | boolean | string | null | FeedbackValue[] | { [k: string]: FeedbackValue };

export interface AssessmentError {
  error_code: string;
  error_message?: string;
  stack_trace?: string;
}

export interface Assessment {
  assessment_id: string;
  assessment_name: string;
  trace_id: string;
  span_id?: string;
  source: { source_type: AssessmentSourceType; source_id: string };
  create_time: string; // RFC 3339
  last_update_time: string;
  feedback?: { value?: FeedbackValue; error?: AssessmentError };
  expectation?: { value?: FeedbackValue; serialized_value?: { serialization_format: string; value: string } };
  rationale?: string;
  metadata?: Record<string, string>;
  overrides?: string;
  valid?: boolean;
}

export interface TraceInfoV3 {
  trace_id: string;
  client_request_id?: string;
  trace_location: TraceLocation;
  request_preview?: string;
  response_preview?: string;
  request_time: string; // RFC 3339
  execution_duration?: string; // protobuf Duration, e.g. "1.840s"
  state: TraceState;
  trace_metadata: Record<string, string>;
  tags: Record<string, string>;
  assessments: Assessment[];
}

/** A span as Vigil holds it in memory (decoded attributes, ms times). */
export interface SpanData {
  trace_id: string; // tr-...
  span_id: string; // 16 hex
  parent_span_id: string | null;
  name: string;
  span_type: string | null; // e.g. LLM, RETRIEVER, TOOL, CHAIN, AGENT
  start_time_ns: string;
  end_time_ns: string | null;
  status_code: "STATUS_CODE_UNSET" | "STATUS_CODE_OK" | "STATUS_CODE_ERROR";
  status_message: string;
  attributes: Record<string, unknown>; // JSON-decoded values (mlflow.* attributes are decoded)
  events: { name: string; time_unix_nano: string; attributes: Record<string, unknown> }[];
}

/** A trace with its spans and assessments: what scorers and the in-memory filter evaluator see. */
export interface TraceData {
  info: TraceInfoV3 & {
    /** Derived conveniences (ms). */
    timestamp_ms: number;
    execution_time_ms: number | null;
    end_time_ms: number | null;
    name: string | null;
    request: unknown; // root span inputs, decoded
    response: unknown; // root span outputs, decoded
  };
  spans: SpanData[];
}
