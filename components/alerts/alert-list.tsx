// Incidents as a table: severity, what fired and why, when, and the on-call's actions.
import Link from "next/link";
import { formatAgo, formatDateTime } from "@/components/format";
import type { AlertJson } from "@/lib/alerts/list-alerts";
import { ackAlertAction } from "@/app/alerts/actions";
import { ActButton } from "./alert-buttons";

const tone = (a: AlertJson) => (a.state === "RESOLVED" ? "ok" : a.severity === "critical" ? "bad" : a.severity === "warning" ? "warn" : "");

export function AlertList({ alerts, now, canAck, label, highlight }: { alerts: AlertJson[]; now: number; canAck: boolean; label: string; highlight?: string }) {
  return (
    <div className="table-wrap">
      <table className="data" aria-label={label}>
        <thead>
          <tr>
            <th>State</th>
            <th>Alert</th>
            <th className="hide-sm">Why</th>
            <th>Fired</th>
            <th>Acknowledged</th>
          </tr>
        </thead>
        <tbody>
          {alerts.map((a) => (
            <tr key={a.alert_id} data-alert={a.alert_id} className={a.alert_id === highlight ? "highlight" : undefined}>
              <td>
                <span className={`chip ${tone(a)}`}>{a.state === "FIRING" ? `${a.severity}` : "resolved"}</span>
                {a.silenced && <span className="chip"> silenced</span>}
              </td>
              <td>
                <Link href={a.path}>
                  <strong>{a.rule_name}</strong>
                </Link>
                <div className="small muted">
                  {a.experiment_name}
                  {a.scorer ? ` · ${a.scorer}` : ""}
                </div>
              </td>
              <td className="hide-sm small">{a.summary}</td>
              <td className="small" style={{ whiteSpace: "nowrap" }} title={formatDateTime(a.fired_at, { seconds: true })}>
                {formatAgo(a.fired_at, now)}
                {a.resolved_at !== null && <div className="muted">resolved {formatAgo(a.resolved_at, now)}</div>}
              </td>
              <td className="small">
                {a.acked_at !== null ? (
                  <>
                    by {a.acked_by} · {formatAgo(a.acked_at, now)}
                  </>
                ) : a.state === "FIRING" ? (
                  <ActButton
                    label="Acknowledge"
                    className="btn small primary"
                    act={ackAlertAction.bind(null, a.alert_id)}
                    disabled={!canAck}
                    title={canAck ? undefined : "Acknowledging needs the operator role."}
                  />
                ) : (
                  "—"
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
