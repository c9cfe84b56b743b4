import Link from "next/link";
import { AttentionSection } from "@/components/attention/attention-section";
import { getExperimentSummaries } from "@/lib/read";
import { scorerActions } from "@/app/experiments/[id]/scorers/action-set";
import { getRequestCtx } from "@/lib/runtime/request-ctx";
import { listRemoteExperiments, remoteStatusOf } from "@/lib/remote/status";
import { formatAgo, formatCount, formatMs, formatPercent } from "@/components/format";
import { NewExperimentForm } from "@/components/new-experiment-form";
import { createExperimentAction } from "./actions";

export const dynamic = "force-dynamic";

export default async function HomePage({ searchParams }: { searchParams: Promise<{ sort?: string }> }) {
  const ctx = await getRequestCtx();
  const { sort } = await searchParams;
  const summaries = getExperimentSummaries({ ctx, input: {} });
  const now = ctx.now();
  // Remote mode: linked experiments' traces are on MLflow, so they are listed apart, not as quiet.
  const remote = remoteStatusOf(ctx.db, ctx.config);
  const linked = remote.mode === "remote" ? listRemoteExperiments({ ctx, input: {} }) : [];
  const withTraffic = summaries.filter((s) => s.traceCount > 0);
  // In remote mode experiments come from MLflow; local ones without traces are not waiting for any.
  const quiet = remote.mode === "remote" ? [] : summaries.filter((s) => s.traceCount === 0);
  return (
    <>
      <AttentionSection ctx={ctx} sort={sort} actions={scorerActions} />
      <h2>Experiments</h2>
      {remote.mode === "embedded" && (ctx.actor.role === "admin" || ctx.actor.role === "operator") && <NewExperimentForm act={createExperimentAction} />}
      {linked.length > 0 && (
        <>
          <p className="sub">
            Monitored on MLflow at <code>{remote.trackingUri}</code> (<Link href="/mlflow">status and who scores</Link>).
          </p>
          <ul aria-label="Experiments on MLflow">
            {linked.map((l) => (
              <li key={l.experiment_id}>
                <Link href={`/experiments/${l.experiment_id}`}>{l.name}</Link> <span className="muted">#{l.experiment_id}</span>{" "}
                <span className="muted small">
                  · scored by {l.scored_by === "vigil" ? "Vigil" : "MLflow"}
                  {l.pending_online > 0 ? ` · ${formatCount(l.pending_online)} queued` : ""}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
      {(remote.mode === "embedded" || withTraffic.length > 0) && (
        <p className="sub">Every experiment sending traces to Vigil, with its last 24 hours of traffic.</p>
      )}
      {remote.mode === "remote" && linked.length === 0 && (
        <div className="empty" role="status">
          No MLflow experiments linked yet. Vigil links the experiments of <code>{remote.trackingUri}</code> within a few seconds of reaching it (
          <Link href="/mlflow">connection status</Link>).
        </div>
      )}
      {withTraffic.length === 0 ? (
        remote.mode === "remote" ? null : (
          <div className="empty">
            No traces yet. Point an OpenTelemetry exporter at <code>/v1/traces</code> with the header <code>x-mlflow-experiment-id</code>, or use Vigil as an
            MLflow tracking URI.
          </div>
        )
      ) : (
        <div className="cards">
          {withTraffic.map((s) => (
            <section className="card" key={s.experimentId} aria-label={`Experiment ${s.name}`}>
              <h3>
                <Link href={`/experiments/${s.experimentId}`}>{s.name}</Link> <span className="muted">#{s.experimentId}</span>
              </h3>
              <dl className="stats">
                <div>
                  <dt>Traces (24 h)</dt>
                  <dd>{formatCount(s.traces24h)}</dd>
                </div>
                <div>
                  <dt>Errors (24 h)</dt>
                  <dd className={s.errors24h ? "bad" : undefined}>{formatPercent(s.errors24h, s.traces24h)}</dd>
                </div>
                <div>
                  <dt>p95 latency</dt>
                  <dd>{formatMs(s.p95LatencyMs24h)}</dd>
                </div>
                <div>
                  <dt>All traces</dt>
                  <dd>{formatCount(s.traceCount)}</dd>
                </div>
              </dl>
              <p className="muted" style={{ margin: "8px 0 0" }}>
                Last trace {formatAgo(s.lastTraceAt, now)}
              </p>
            </section>
          ))}
        </div>
      )}
      {quiet.length > 0 && (
        <>
          <h2>Waiting for traces</h2>
          <ul className="muted" aria-label="Experiments without traces">
            {quiet.map((s) => (
              <li key={s.experimentId}>
                <Link href={`/experiments/${s.experimentId}`}>{s.name}</Link> #{s.experimentId}
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
