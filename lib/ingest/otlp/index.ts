export type { DecodedOtlp, OtlpFormat } from "./common";
export { decodeOtlpRequest, otlpFormatOf } from "./decode";
export { otlpTypes } from "./proto-root";
export { decodeExportResponse, encodeExportResponse, rejectionMessage } from "./response";
