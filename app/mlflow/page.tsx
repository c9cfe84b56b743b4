import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { formatAgo, formatCount, formatDateTime } from "@/components/format";
import { RemoteAutoRefresh } from "@/components/remote-auto-refresh";
import { ScoredByForm } from "@/components/remote-scored-by";
import { checkpointOf, remotePill, SCORED_BY_LABEL } from "@/components/remote-status";
import { getRemoteStatus, listRemoteExperiments, type RemoteStatus } from "@/lib/remote/status";
import { getRequestCtx } from "@/lib/runtime/request-ctx";
import { setScoredByAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "MLflow" };

/** A relative time with the absolute one in its title (the dashboard shows UTC everywhere). */
function When({ at, now }: { at: number | null; now: number }) {
  if (!at) return <span className="muted">never</span>;
  return (
    <time dateTime={new Date(at).toISOString()} title={formatDateTime(at, { seconds: true })}>
      {formatAgo(at, now)}
    </time>
  );
}

export default async function MlflowPage() {
  const ctx = await getRequestCtx();
  const status = getRemoteStatus({ ctx, input: {} });
  if (status.mode === "embedded") {
    const h = await headers();
    const origin = `${h.get("x-forwarded-proto") ?? "http"}://${h.get("host") ?? `${ctx.config.HOST}:${ctx.config.PORT}`}`;
    return <Embedded origin={origin} />;
  }
  const experiments = listRemoteExperiments({ ctx, input: {} });
  const isAdmin = ctx.actor.role === "admin";
  const now = ctx.now();
  return (
    <>
      <RemoteAutoRefresh everyMs={10_000} />
      <h1>MLflow</h1>
      <p className="sub">
        Vigil monitors the experiments of this MLflow tracking server. Traces stay in MLflow: Vigil reads them by search, scores the sampled ones and writes
        each assessment back onto its trace.
      </p>
      <Connection status={status} now={now} scoredBySetting={ctx.config.VIGIL_REMOTE_SCORED_BY} />

      <h2>Linked experiments</h2>
      {experiments.length === 0 ? (
        <div className="empty" role="status">
          No experiments linked yet: the worker links them within a few seconds of reaching MLflow.
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data remote-links" aria-label="Linked experiments">
            <thead>
              <tr>
                <th>Experiment</th>
                <th>MLflow experiment id</th>
                <th>Who scores</th>
                <th title="Started scorers, by who runs them online">Scorers run by</th>
                <th title="Every trace before this time has its sampled assessments written to MLflow">Checkpoint</th>
                <th className="num" title="Sampled pairs waiting to be scored and written: online scoring / jobs">
                  Queued pairs (online / jobs)
                </th>
                <th>Last scan</th>
              </tr>
            </thead>
            <tbody>
              {experiments.map((e) => {
                const checkpoint = checkpointOf(e);
                return (
                  <tr key={e.experiment_id} data-experiment-id={e.experiment_id}>
                    <td>
                      <Link href={`/experiments/${e.experiment_id}`}>{e.name}</Link>
                      {e.last_error && (
                        <div className="bad small" role="status" title={e.last_error_at ? new Date(e.last_error_at).toISOString() : undefined}>
                          MLflow refused: {e.last_error}
                        </div>
                      )}
                      {e.unloadable_traces > 0 && (
                        <div
                          className="bad small"
                          role="status"
                          data-col="unloadable"
                          title={e.unloadable_at ? new Date(e.unloadable_at).toISOString() : undefined}
                        >
                          Waiting on {formatCount(e.unloadable_traces)} trace{e.unloadable_traces === 1 ? "" : "s"} whose spans cannot be read yet:{" "}
                          {e.unloadable_reason}
                        </div>
                      )}
                    </td>
                    <td className="mono" data-col="remote-id">
                      {e.remote_experiment_id}
                    </td>
                    <td data-scored-by={e.scored_by}>
                      {isAdmin ? (
                        <ScoredByForm experimentId={e.experiment_id} name={e.name} initial={e.scored_by} action={setScoredByAction} />
                      ) : (
                        SCORED_BY_LABEL[e.scored_by]
                      )}
                    </td>
                    <td className="small">
                      {e.vigil_runs.length === 0 && e.mlflow_runs.length === 0 ? (
                        <span className="muted">no scorer started</span>
                      ) : (
                        <>
                          {e.vigil_runs.length > 0 && <div>Vigil: {e.vigil_runs.join(", ")}</div>}
                          {e.mlflow_runs.length > 0 && <div>MLflow: {e.mlflow_runs.join(", ")}</div>}
                        </>
                      )}
                    </td>
                    <td>
                      {checkpoint === null ? (
                        <span className="muted" title="MLflow's own online scoring runs this experiment">
                          MLflow&apos;s own
                        </span>
                      ) : (
                        <When at={checkpoint} now={now} />
                      )}
                    </td>
                    <td className="num" data-col="queued">
                      {formatCount(e.pending_online)} / {formatCount(e.pending_jobs)}
                    </td>
                    <td>
                      <When at={e.last_scan_at} now={now} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <p className="muted small">
        Who scores: <strong>Vigil</strong> reads new traces and scores them, and sets every scorer&apos;s rate on MLflow to 0 so nothing is scored twice;{" "}
        <strong>MLflow</strong> runs its own online scoring of the judges it can run, with the rates set here, and Vigil only shows and manages those; Vigil
        keeps scoring the ones MLflow cannot run (TypeScript and code scorers).
        {!isAdmin && " Changing it needs the admin role."}
      </p>
    </>
  );
}

function Connection({ status, now, scoredBySetting }: { status: RemoteStatus; now: number; scoredBySetting: string }) {
  const pill = remotePill(status)!;
  return (
    <section className="panel" aria-label="Connection">
      <dl className="kv">
        <dt>Tracking URI</dt>
        <dd className="mono">{status.trackingUri}</dd>
        <dt>Status</dt>
        <dd>
          <span className={`chip ${pill.tone}`} data-reachable={String(status.reachable)}>
            <span className="dot" aria-hidden />
            {pill.label.replace("MLflow · ", "")}
          </span>
        </dd>
        <dt>Last answered</dt>
        <dd>
          <When at={status.lastOkAt} now={now} />
          {status.lastOkAt && <span className="muted small"> · {formatDateTime(status.lastOkAt, { seconds: true })}</span>}
        </dd>
        <dt>Last error</dt>
        <dd>
          {status.lastErrorAt ? (
            <>
              <When at={status.lastErrorAt} now={now} />
              <span className="muted small"> · {formatDateTime(status.lastErrorAt, { seconds: true })}</span>
              {status.lastError && <div className={status.reachable === false ? "bad" : "muted"}>{status.lastError}</div>}
            </>
          ) : (
            <span className="muted">none</span>
          )}
        </dd>
        <dt>Server version</dt>
        <dd data-col="server-version">
          {status.serverVersion ?? <span className="muted">{status.serverNote ? "no GET /version" : "not asked yet"}</span>}
          {status.serverNote && <div className="muted small">{status.serverNote}</div>}
        </dd>
        <dt>New experiments</dt>
        <dd>
          {scoredBySetting === "auto"
            ? "Scored by MLflow when it already samples them with a scorer, otherwise by Vigil (VIGIL_REMOTE_SCORED_BY=auto)"
            : `Scored by ${scoredBySetting === "vigil" ? "Vigil" : "MLflow"} (VIGIL_REMOTE_SCORED_BY)`}
        </dd>
      </dl>
    </section>
  );
}

function Embedded({ origin }: { origin: string }) {
  return (
    <>
      <h1>MLflow</h1>
      <p className="sub">Vigil is its own MLflow-compatible tracking store: traces, assessments and scorers live in its database.</p>
      <div className="grid-2">
        <section className="panel" aria-label="Use Vigil as a tracking server">
          <h3>Send traces here</h3>
          <p className="small">Point an MLflow client at Vigil as its tracking URI:</p>
          <pre className="json">{`export MLFLOW_TRACKING_URI=${origin}`}</pre>
          <p className="small muted">
            Or export OpenTelemetry traces to <code>{origin}/v1/traces</code> with the header <code>x-mlflow-experiment-id</code>.
          </p>
        </section>
        <section className="panel" aria-label="Monitor a remote MLflow">
          <h3>Monitor an existing MLflow server</h3>
          <p className="small">
            Start Vigil with the tracking server&apos;s URI and credentials (a token, or a username and password). Traces then stay in MLflow; Vigil scores them
            and writes the assessments back.
          </p>
          <pre className="json">{`MLFLOW_TRACKING_URI=https://mlflow.example.com
MLFLOW_TRACKING_TOKEN=<token>
# or MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD
npm start`}</pre>
          <p className="small muted">
            Optional: <code>VIGIL_REMOTE_EXPERIMENTS</code> (comma-separated names; default every active experiment) and <code>VIGIL_REMOTE_SCORED_BY</code> (
            <code>auto</code>, <code>vigil</code> or <code>mlflow</code>: who scores a newly linked experiment).
          </p>
        </section>
      </div>
    </>
  );
}
