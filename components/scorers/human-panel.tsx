// A judge measured against people: per version, how often it agrees with HUMAN labels, kappa,
// the confusion matrix, agreement by day; how many labels MLflow's align() still needs; and the
// "needs labels" queue (disagreements with the shadow first, then the least certain verdicts).
import Link from "next/link";
import type { candidateJson, humanAgreementJson } from "@/lib/monitoring/agreement/json";
import { kappaText, kappaWord, pct, ratingText } from "./agreement-format";
import { ConfusionTable } from "./confusion-table";

const REASON: Record<string, string> = { disagrees_with_shadow: "disagrees with the shadow", uncertain: "judge unsure", unlabelled: "not labelled yet" };

export function HumanPanel({
  experimentId,
  name,
  human,
  queue,
}: {
  experimentId: string;
  name: string;
  human: ReturnType<typeof humanAgreementJson>;
  queue: ReturnType<typeof candidateJson>[];
}) {
  return (
    <section aria-label="Agreement with people" className="panel">
      <h2 style={{ marginTop: 0 }}>Agreement with people</h2>
      <p className="small">
        {human.labelled_traces.toLocaleString("en-US")} labelled trace{human.labelled_traces === 1 ? "" : "s"} (HUMAN feedback named <code>{name}</code>).{" "}
        {human.missing_for_align > 0
          ? `MLflow's align() needs ${human.align_minimum} on traces the live version scored: ${human.missing_for_align} more to go.`
          : `Enough for MLflow's align() (at least ${human.align_minimum}).`}
      </p>
      {human.versions
        .filter((v) => v.labelled > 0)
        .map((v) => (
          <section key={v.version} aria-label={`v${v.version} against people`}>
            <h3>
              v{v.version} <span className="chip">{v.role}</span> · {v.labelled} labelled
            </h3>
            <p className="small">
              Agreement {pct(v.agreement.type === "numeric" ? v.agreement.exact_agreement : v.agreement.type === "categorical" ? v.agreement.agreement : null)}{" "}
              · {kappaText(v.agreement)}{" "}
              {v.agreement.type === "categorical" && !v.agreement.degenerate && <span className="muted">{kappaWord(v.agreement.kappa)}</span>}
            </p>
            {v.agreement.type === "categorical" && (
              <ConfusionTable matrix={v.agreement.confusion_matrix} rowLabel="judge" colLabel="people" caption={`v${v.version} against people`} />
            )}
            {v.over_time.length > 1 && (
              <p className="small muted">
                By day: {v.over_time.map((d) => `${new Date(d.day).toISOString().slice(5, 10)} ${pct(d.agreement)} (${d.n})`).join(" · ")}
              </p>
            )}
          </section>
        ))}
      <h3>Needs labels</h3>
      {queue.length === 0 ? (
        <p className="small muted">Nothing waiting: every scored trace is labelled.</p>
      ) : (
        <ul className="plain-list small" aria-label="Needs labels">
          {queue.map((q) => (
            <li key={q.trace_id}>
              <Link className="mono" href={`/experiments/${experimentId}/traces/${encodeURIComponent(q.trace_id)}?label=${encodeURIComponent(name)}`}>
                {q.trace_id.slice(0, 15)}…
              </Link>{" "}
              judge <strong>{ratingText(q.live)}</strong>
              {q.shadow !== null && (
                <>
                  {" "}
                  · shadow <strong>{ratingText(q.shadow)}</strong>
                </>
              )}{" "}
              <span className="muted">({REASON[q.reason]})</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
