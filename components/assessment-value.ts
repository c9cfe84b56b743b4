// How an assessment's value reads and which colour it gets; pure so it is unit-tested.
import type { Assessment, FeedbackValue } from "@/lib/mlflow/types";

export function feedbackValueText(v: FeedbackValue | undefined): string {
  if (v === undefined) return "—";
  if (typeof v === "string") return v;
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : v.toFixed(3);
  return JSON.stringify(v);
}

export function assessmentValueText(a: Assessment): string {
  if (a.feedback?.error) return `error: ${a.feedback.error.error_code}`;
  if (a.feedback) return feedbackValueText(a.feedback.value);
  if (a.expectation?.serialized_value) return a.expectation.serialized_value.value;
  return feedbackValueText(a.expectation?.value);
}

/** "ok" for a passing verdict, "bad" for failing or errored, "" when the value has no polarity. */
export function assessmentTone(a: Assessment): "ok" | "bad" | "warn" | "" {
  if (a.feedback?.error) return "warn";
  const v = a.feedback?.value;
  if (v === "yes" || v === true) return "ok";
  if (v === "no" || v === false) return "bad";
  return "";
}

/** The Traces filter for "traces with this verdict" (feedback.`name` = 'value'); null when it cannot be said. */
export function assessmentFilter(a: Assessment): string | null {
  if (!a.feedback || a.feedback.error) return null;
  const v = a.feedback.value;
  const text = typeof v === "string" ? v : typeof v === "boolean" || typeof v === "number" ? String(v) : null;
  if (text === null || text.includes("'") || a.assessment_name.includes("`")) return null;
  return `feedback.\`${a.assessment_name}\` = '${text}'`;
}
