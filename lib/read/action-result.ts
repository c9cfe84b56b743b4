// The one mapping from Vigil's errors to what a dashboard form can show (server actions' transport,
// as lib/http/errors.ts is REST's). VigilError messages are written for users; anything else is
// logged on the server and replaced by a generic sentence.
import { ZodError } from "zod";
import { isVigilError, messageFor, type Actor, type MlflowErrorCode } from "@/lib/core";

export interface ActionError {
  code: MlflowErrorCode;
  message: string;
  /** The input field the error is about, when known, so a form can place it. */
  field?: string;
}

export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: ActionError };

export const GENERIC_ERROR_MESSAGE = "Something went wrong on the server. The details are in the server log.";

/** `actor`: who sees the message; an upstream MLflow's own words reach only an unscoped admin. */
export function toActionError(e: unknown, log: (e: unknown) => void = console.error, actor?: Actor): ActionError {
  if (isVigilError(e)) {
    const field = typeof e.details?.field === "string" ? e.details.field : fieldFromDetails(e.details);
    const message = messageFor(e, actor);
    return field ? { code: e.code, message, field } : { code: e.code, message };
  }
  if (e instanceof ZodError) {
    const issue = e.issues[0];
    const path = issue?.path.map(String) ?? [];
    const where = path.length ? `${path.join(".")}: ` : "";
    const out: ActionError = { code: "INVALID_PARAMETER_VALUE", message: `${where}${issue?.message ?? "invalid input"}` };
    if (path[0]) out.field = path[0];
    return out;
  }
  log(e);
  return { code: "INTERNAL_ERROR", message: GENERIC_ERROR_MESSAGE };
}

// The filter grammar's errors carry {filter|order_by: source, position}: name the field from that.
function fieldFromDetails(details: Record<string, unknown> | undefined): string | undefined {
  if (!details) return undefined;
  if ("filter" in details) return "filter";
  if ("order_by" in details) return "order_by";
  return undefined;
}

/** Runs one verb call and turns its outcome into an ActionResult; never throws. */
export async function runAction<T>(fn: () => T | Promise<T>, log?: (e: unknown) => void, actor?: Actor): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await fn() };
  } catch (e) {
    return { ok: false, error: toActionError(e, log, actor) };
  }
}
