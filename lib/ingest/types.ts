/** A span as it arrives, already decoded from OTLP (protobuf or JSON) or built by Vigil itself. */
export interface IncomingSpan {
  traceIdHex: string; // 32 lowercase hex
  spanIdHex: string; // 16 lowercase hex
  parentSpanIdHex: string | null;
  name: string;
  kind: number;
  startTimeNs: string; // decimal string
  endTimeNs: string | null; // null while the span is open
  statusCode: "STATUS_CODE_UNSET" | "STATUS_CODE_OK" | "STATUS_CODE_ERROR";
  statusMessage: string;
  /** Attribute values as sent (MLflow's mlflow.* values are JSON-encoded strings). */
  attributes: Record<string, unknown>;
  events: { name: string; time_unix_nano: string; attributes: Record<string, unknown> }[];
  resourceAttributes?: Record<string, unknown>;
}

export interface RejectedSpan {
  traceId: string;
  spanId: string;
  reason: string;
}

export interface StoreSpansResult {
  acceptedSpans: number;
  rejected: RejectedSpan[];
  traceIds: string[];
}
