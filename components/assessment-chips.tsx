import type { Assessment } from "@/lib/mlflow/types";
import Link from "next/link";
import { assessmentFilter, assessmentTone, assessmentValueText } from "./assessment-value";

/** A trace's feedback at a glance: one chip per assessment, coloured by verdict. */
/** `hrefFor`: where a chip leads (the traces with the same verdict); plain chips without it. */
export function AssessmentChips({ assessments, hrefFor }: { assessments: Assessment[]; hrefFor?: (filter: string) => string }) {
  // Failures and errors first: in a narrow column, the chips that are cut off should be the good news.
  const rank = { bad: 0, warn: 1, "": 2, ok: 3 } as const;
  const feedback = assessments.filter((a) => a.feedback && a.valid !== false).sort((a, b) => rank[assessmentTone(a)] - rank[assessmentTone(b)]);
  if (feedback.length === 0) return <span className="muted">—</span>;
  return (
    <span style={{ display: "inline-flex", gap: 4, flexWrap: "wrap" }}>
      {feedback.slice(0, 4).map((a) => {
        const filter = hrefFor ? assessmentFilter(a) : null;
        const text = `${a.assessment_name}: ${assessmentValueText(a)}`;
        return filter ? (
          <Link key={a.assessment_id} href={hrefFor!(filter)} className={`chip chip-link ${assessmentTone(a)}`} title={`Show traces where ${text}`}>
            {text}
          </Link>
        ) : (
          <span key={a.assessment_id} className={`chip ${assessmentTone(a)}`} title={a.rationale ?? undefined}>
            {text}
          </span>
        );
      })}
      {feedback.length > 4 && <span className="chip">+{feedback.length - 4}</span>}
    </span>
  );
}
