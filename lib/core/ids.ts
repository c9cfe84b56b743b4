import { randomBytes } from "node:crypto";

export const newHex = (bytes = 16) => randomBytes(bytes).toString("hex");
export const newId = (prefix: string) => `${prefix}${newHex()}`;
/** MLflow's trace id for an OpenTelemetry trace id (32 hex). */
export const traceIdFromOtel = (hex: string) => `tr-${hex.toLowerCase()}`;
