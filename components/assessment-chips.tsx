import type { Assessment } from "@/lib/mlflow/types";
import Link from "next/link";
import { assessmentFilter, assessmentTone, assessmentValueText } from "./assessment-value";

/** Chips shown before the rest fold into "+N": two keep a traces-list row on one line. */
const SHOWN = 2;

/** A trace's feedback at a glance, on one line: one chip per assessment, coloured by verdict. */
/** `hrefFor`: where a chip leads (the traces with the same verdict); plain chips without it. */
export function AssessmentChips({ assessments, hrefFor }: { assessments: Assessment[]; hrefFor?: (filter: string) => string }) {
  // Failures and errors first: the chips folded into "+N" should be the good news.
  const rank = { bad: 0, warn: 1, "": 2, ok: 3 } as const;
  const feedback = assessments.filter((a) => a.feedback && a.valid !== false).sort((a, b) => rank[assessmentTone(a)] - rank[assessmentTone(b)]);
  if (feedback.length === 0) return <span className="muted">—</span>;
  const textOf = (a: Assessment) => `${a.assessment_name}: ${assessmentValueText(a)}`;
  const rest = feedback.slice(SHOWN);
  return (
    <span className="chip-row">
      {feedback.slice(0, SHOWN).map((a) => {
        const filter = hrefFor ? assessmentFilter(a) : null;
        const text = textOf(a);
        return filter ? (
          <Link key={a.assessment_id} href={hrefFor!(filter)} className={`chip chip-link ${assessmentTone(a)}`} title={`Show traces where ${text}`}>
            {text}
          </Link>
        ) : (
          <span key={a.assessment_id} className={`chip ${assessmentTone(a)}`} title={a.rationale ?? text}>
            {text}
          </span>
        );
      })}
      {rest.length > 0 && (
        <span className="chip chip-more" title={rest.map(textOf).join("\n")}>
          +{rest.length}
        </span>
      )}
    </span>
  );
}
