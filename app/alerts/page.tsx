import type { Metadata } from "next";
import { AlertList } from "@/components/alerts/alert-list";
import { ActButton, SilenceForm } from "@/components/alerts/alert-buttons";
import { formatAgo, formatDateTime } from "@/components/format";
import { getAlertsPage } from "@/lib/alerts";
import { getRequestCtx } from "@/lib/runtime/request-ctx";
import { firstParam, type SearchParams } from "@/app/_lib/page";
import { ChannelForm } from "@/components/alerts/channel-form";
import { cancelSilenceAction, createChannelAction, deleteChannelAction, silenceAction, testChannelAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Alerts" };

const rank = { viewer: 1, operator: 2, admin: 3, ingest: 0 } as const;

export default async function AlertsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const ctx = await getRequestCtx();
  const highlight = firstParam(await searchParams, "alert");
  const page = getAlertsPage({ ctx, input: {} });
  const now = ctx.now();
  const operator = rank[ctx.actor.role] >= 2;
  const admin = rank[ctx.actor.role] >= 3;
  return (
    <>
      <h1>Alerts</h1>
      <p className="muted small">
        Rules are evaluated every minute on the rollups. A quality drop fires only when it is significant, large enough, and over enough assessments.
      </p>

      <h2>
        Firing <span className="muted small">({page.open.length})</span>
      </h2>
      {page.open.length === 0 ? (
        <div className="empty">Nothing is firing.</div>
      ) : (
        <AlertList alerts={page.open} now={now} canAck={operator} label="Firing alerts" highlight={highlight} />
      )}

      <div className="grid-2" style={{ marginTop: 16 }}>
        <section aria-label="Silences">
          <h2 style={{ marginTop: 0 }}>Silences</h2>
          <SilenceForm scorers={page.targets} act={silenceAction} disabled={!operator} />
          {page.silences.length === 0 ? (
            <div className="empty small">No active silences.</div>
          ) : (
            <ul className="plain-list">
              {page.silences.map((s) => (
                <li key={s.silence_id} className="panel" style={{ marginBottom: 8 }} data-silence={s.silence_id}>
                  <strong>{s.scorer ?? "rule"}</strong>{" "}
                  <span className="muted small">
                    {s.experiment_name} · until {formatDateTime(s.ends_at)} · by {s.created_by}
                  </span>
                  <div className="small">Reason: {s.reason}</div>
                  <ActButton label="End silence" act={cancelSilenceAction.bind(null, s.silence_id)} disabled={!operator} />
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-label="Channels">
          <h2 style={{ marginTop: 0 }}>Channels</h2>
          {page.channels.length === 0 ? (
            <div className="empty small">No channels yet{admin ? ": add one below" : " (an admin adds them)"}.</div>
          ) : (
            <table className="data" aria-label="Alert channels">
              <thead>
                <tr>
                  <th>Channel</th>
                  <th>Last delivery</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {page.channels.map((c) => (
                  <tr key={c.channel_id}>
                    <td>
                      <strong>{c.name}</strong> <span className="chip">{c.kind}</span>
                      <div className="small muted mono">{c.url_hint}</div>
                    </td>
                    <td className="small">
                      {c.last_delivery ? (
                        <>
                          {c.last_delivery.ok ? "ok" : "failed"} {c.last_delivery.http_status ?? ""} · {formatAgo(c.last_delivery.at, now)}
                          {c.last_delivery.error && <div className="muted">{c.last_delivery.error}</div>}
                        </>
                      ) : (
                        "never"
                      )}
                    </td>
                    <td>
                      <ActButton
                        label="Send test"
                        act={testChannelAction.bind(null, c.channel_id)}
                        disabled={!admin}
                        title={admin ? undefined : "Needs the admin role."}
                        reportDelivery
                      />
                      {admin && <ActButton label="Delete" className="btn small danger" act={deleteChannelAction.bind(null, c.channel_id)} />}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {admin && <ChannelForm experiments={page.experiments} act={createChannelAction} />}
        </section>
      </div>

      <h2>History</h2>
      {page.history.length === 0 ? (
        <div className="empty">No resolved alerts yet.</div>
      ) : (
        <AlertList alerts={page.history} now={now} canAck={false} label="Alert history" highlight={highlight} />
      )}
    </>
  );
}
