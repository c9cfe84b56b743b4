import { InvalidParameterError, NotFoundError, requireIngest, type VerbArgs } from "@/lib/core";
import { storeSpans, validateSpan, type IncomingSpan } from "@/lib/ingest";
import { parseTraceData, REQUEST_ID_ATTRIBUTE, TraceDataError } from "@/lib/mlflow/trace-data";
import { parseTraceArtifactPath } from "./trace-artifact-path";
import { requireTraceRow } from "./trace-row";

export interface UploadTraceDataInput {
  /** The artifact path's segments after /mlflow-artifacts/artifacts/. */
  path: string[];
  body: Buffer;
}

const OTEL_TRACE_ID = /^tr-([0-9a-f]{32})$/;

/**
 * PUT of a trace's traces.json through MLflow's artifact proxy (how MLflow's TypeScript SDK and
 * Python clients without /v1/traces log spans): the spans land in the same store as OTLP spans.
 * All or nothing: one bad span refuses the upload and nothing is stored.
 */
export async function uploadTraceData({ ctx, input }: VerbArgs<UploadTraceDataInput>): Promise<Record<string, never>> {
  const { experimentId, traceId } = parseTraceArtifactPath(input.path);
  requireIngest(ctx.actor, experimentId);
  let row;
  try {
    row = requireTraceRow(ctx.db, traceId);
  } catch (e) {
    if (e instanceof NotFoundError) throw new NotFoundError(`Trace with ID '${traceId}' not found: start it (StartTraceV3) before uploading its trace data.`);
    throw e;
  }
  if (row.experimentId !== experimentId) {
    throw new InvalidParameterError(`Trace '${traceId}' belongs to experiment ${row.experimentId}, not ${experimentId}.`);
  }
  const hex = OTEL_TRACE_ID.exec(traceId)?.[1];
  if (!hex) throw new InvalidParameterError(`Spans can be stored only for trace ids of the form tr-<32 hex digits>; got '${traceId}'.`);

  let parsed;
  try {
    parsed = parseTraceData(input.body.toString("utf8"));
  } catch (e) {
    if (e instanceof TraceDataError) throw new InvalidParameterError(`Invalid ${"traces.json"}: ${e.message}.`);
    throw e;
  }
  const spans = parsed.map((s, i): IncomingSpan => {
    // The file's own trace_id bytes are not trusted (MLflow's TypeScript SDK encodes the "tr-"
    // id as if it were hex); the request id attribute and the path name the trace, as MLflow's reader uses.
    const owner = s.attributes[REQUEST_ID_ATTRIBUTE];
    if (owner === undefined || owner === null || owner === "") {
      throw new InvalidParameterError(`Invalid traces.json: spans[${i}] lacks the ${REQUEST_ID_ATTRIBUTE} attribute.`);
    }
    if (owner !== traceId)
      throw new InvalidParameterError(`Invalid traces.json: spans[${i}] belongs to trace '${String(owner).slice(0, 80)}', not '${traceId}'.`);
    const span: IncomingSpan = {
      traceIdHex: hex,
      spanIdHex: s.spanIdHex,
      parentSpanIdHex: s.parentSpanIdHex,
      name: s.name,
      kind: 0,
      startTimeNs: s.startTimeNs,
      endTimeNs: s.endTimeNs,
      statusCode: s.statusCode,
      statusMessage: s.statusMessage,
      attributes: s.attributes,
      events: s.events,
    };
    const reason = validateSpan(span);
    if (reason) throw new InvalidParameterError(`Invalid traces.json: spans[${i}]: ${reason}.`);
    return span;
  });
  if (spans.length) {
    const stored = await storeSpans({ ctx, input: { experimentId, spans } });
    // Validated above; a rejection here means the trace moved experiments meanwhile (one transaction: nothing stored).
    if (stored.rejected.length) throw new InvalidParameterError(`Trace data refused: ${stored.rejected[0]!.reason}.`);
  }
  return {};
}
