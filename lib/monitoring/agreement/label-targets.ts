import type { Assessment } from "@/lib/mlflow/types";
import { ratingOf } from "./values";

export interface LabelTargetValue {
  name: string;
  valueType: "yesno" | "numeric" | "text";
  labelled: string | null;
}

/**
 * What the trace page offers to label: each scorer that scored this trace (not people), with the
 * value type its answer has, and the newest human label already given. Pure.
 */
export function labelTargets(assessments: readonly Assessment[], registered: ReadonlySet<string>): LabelTargetValue[] {
  const out = new Map<string, LabelTargetValue>();
  const valid = assessments.filter((a) => a.feedback && a.valid !== false);
  for (const a of valid) {
    if (a.source.source_type === "HUMAN" || !registered.has(a.assessment_name) || out.has(a.assessment_name)) continue;
    const r = ratingOf(a.feedback!.value);
    if (!r) continue;
    const valueType = r.kind === "numeric" ? "numeric" : r.key === "yes" || r.key === "no" || r.key === "unknown" ? "yesno" : "text";
    out.set(a.assessment_name, { name: a.assessment_name, valueType, labelled: null });
  }
  const humans = valid.filter((a) => a.source.source_type === "HUMAN").sort((x, y) => (x.create_time < y.create_time ? 1 : -1));
  for (const t of out.values()) {
    const h = humans.find((a) => a.assessment_name === t.name);
    if (h) t.labelled = String(h.feedback!.value);
  }
  return [...out.values()].sort((a, b) => a.name.localeCompare(b.name));
}
