import { ZodError } from "zod";
import { isConfigError, isVigilError, messageFor, type Actor, type MlflowErrorCode } from "@/lib/core";

export interface MlflowErrorBody {
  error_code: MlflowErrorCode;
  message: string;
}

/**
 * The one mapping from Vigil's errors to MLflow's REST error body. Internal detail never leaks;
 * an upstream MLflow's own message reaches only an unscoped admin (`actor`, once known).
 */
export function toMlflowError(e: unknown, actor?: Actor): { status: number; body: MlflowErrorBody } {
  if (isVigilError(e)) return { status: e.status, body: { error_code: e.code, message: messageFor(e, actor) } };
  if (e instanceof ZodError) {
    const i = e.issues[0];
    const where = i && i.path.length ? `'${i.path.join(".")}'` : "request";
    return {
      status: 400,
      body: { error_code: "INVALID_PARAMETER_VALUE", message: `Invalid value for ${where}: ${i?.message ?? "invalid"}` },
    };
  }
  if (isConfigError(e)) return { status: 500, body: { error_code: "INTERNAL_ERROR", message: "Server misconfigured" } };
  return { status: 500, body: { error_code: "INTERNAL_ERROR", message: "Internal error; see the server log" } };
}
