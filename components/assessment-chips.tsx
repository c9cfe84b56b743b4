import type { Assessment } from "@/lib/mlflow/types";
import { assessmentTone, assessmentValueText } from "./assessment-value";

/** A trace's feedback at a glance: one chip per assessment, coloured by verdict. */
export function AssessmentChips({ assessments }: { assessments: Assessment[] }) {
  // Failures and errors first: in a narrow column, the chips that are cut off should be the good news.
  const rank = { bad: 0, warn: 1, "": 2, ok: 3 } as const;
  const feedback = assessments.filter((a) => a.feedback && a.valid !== false).sort((a, b) => rank[assessmentTone(a)] - rank[assessmentTone(b)]);
  if (feedback.length === 0) return <span className="muted">—</span>;
  return (
    <span style={{ display: "inline-flex", gap: 4, flexWrap: "wrap" }}>
      {feedback.slice(0, 4).map((a) => (
        <span key={a.assessment_id} className={`chip ${assessmentTone(a)}`} title={a.rationale ?? undefined}>
          {a.assessment_name}: {assessmentValueText(a)}
        </span>
      ))}
      {feedback.length > 4 && <span className="chip">+{feedback.length - 4}</span>}
    </span>
  );
}
