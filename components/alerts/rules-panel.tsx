// The scorer page's alert rules: each rule watching this scorer, its state for this scorer, and
// what it would take to fire. Admins turn rules on and off here; thresholds are edited over REST
// or in scorers.config.ts (docs/alerts.md).
import { formatDuration, type AlertRuleJson } from "@/lib/alerts";
import { setRuleEnabledAction } from "@/app/alerts/actions";
import { ActButton } from "./alert-buttons";

function describeParams(r: AlertRuleJson): string {
  const p = r.params as Record<string, number | string>;
  const d = (k: string) => formatDuration(Number(p[k]));
  switch (r.kind) {
    case "quality_drop":
      return `${p.metric === "auto" ? "mean or pass rate" : p.metric} over ${d("window")} vs ${d("baseline")} before; drop ≥ ${p.min_effect}, p < ${p.alpha}, n ≥ ${p.min_count}`;
    case "error_rate":
      return `error rate above ${Number(p.max_rate) * 100}% at ${Number(p.confidence) * 100}% confidence over ${d("window")}, n ≥ ${p.min_count}`;
    case "budget":
      return `judge spend at ${p.percent}% of the daily budget`;
    case "scorer_paused":
      return "paused by the engine (account error or budget spent)";
    case "lag":
      return `backlog over ${p.max_backlog} or oldest waiting over ${d("max_lag")}`;
    case "no_traffic":
      return `no trace for ${d("period")}`;
  }
}

const stateTone = (s: string) => (s === "FIRING" ? "bad" : s === "PENDING" ? "warn" : s === "OK" || s === "RESOLVED" ? "ok" : "");

export function RulesPanel({ rules, scorer, canEdit }: { rules: AlertRuleJson[]; scorer: string; canEdit: boolean }) {
  if (rules.length === 0) return <div className="empty">No alert rules watch this scorer.</div>;
  return (
    <div className="table-wrap">
      <table className="data" aria-label="Alert rules">
        <thead>
          <tr>
            <th>Rule</th>
            <th>State</th>
            <th className="hide-sm">Fires when</th>
            <th>For</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rules.map((r) => {
            const s = r.series.find((x) => x.series_key === scorer) ?? r.series.find((x) => x.series_key === "");
            return (
              <tr key={r.rule_id} data-rule={r.name}>
                <td>
                  <strong>{r.name}</strong> <span className="chip">{r.severity}</span>
                  {r.scorer === null && <div className="small muted">every scorer</div>}
                </td>
                <td>
                  {!r.enabled ? (
                    <span className="chip">off</span>
                  ) : (
                    <span className={`chip ${stateTone(s?.state ?? "")}`} title={s?.summary ?? undefined}>
                      {s?.state ?? "not evaluated yet"}
                    </span>
                  )}
                  {s?.summary && <div className="small muted">{s.summary}</div>}
                </td>
                <td className="hide-sm small">{describeParams(r)}</td>
                <td className="small">{r.for}</td>
                <td>
                  <ActButton
                    label={r.enabled ? "Turn off" : "Turn on"}
                    act={setRuleEnabledAction.bind(null, r.rule_id, !r.enabled)}
                    disabled={!canEdit}
                    title={canEdit ? undefined : "Editing rules needs the admin role."}
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
