import path from "node:path";
import protobuf from "protobufjs";

// Resolved from the working directory (like db/client's migrations) so bundlers never try to
// inline the .proto files; `npm start`, tests and the bench all run from the repository root.
export const protoDir = () => path.join(process.cwd(), "lib", "ingest", "otlp", "proto");

export interface OtlpTypes {
  request: protobuf.Type;
  response: protobuf.Type;
}

let cached: OtlpTypes | undefined;

/** OpenTelemetry's own message types, parsed from the vendored .proto files on first use. */
export function otlpTypes(): OtlpTypes {
  if (cached) return cached;
  const dir = protoDir();
  const root = new protobuf.Root();
  // Imports in the .proto files are relative to the proto root ("opentelemetry/proto/...").
  root.resolvePath = (_origin, target) => (path.isAbsolute(target) ? target : path.join(dir, target));
  root.loadSync("opentelemetry/proto/collector/trace/v1/trace_service.proto", { keepCase: false });
  root.resolveAll();
  cached = {
    request: root.lookupType("opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest"),
    response: root.lookupType("opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse"),
  };
  return cached;
}
