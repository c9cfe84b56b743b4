import type { Metadata } from "next";
import Link from "next/link";
import { feedbackValueText } from "@/components/assessment-value";
import { formatDateTime } from "@/components/format";
import { StateChip } from "@/components/state-chip";
import { getSession, type SessionVerdict } from "@/lib/sessions";
import { getRequestCtx } from "@/lib/runtime/request-ctx";
import { orNotFoundAsync } from "@/app/_lib/page";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ sessionId: string }> }): Promise<Metadata> {
  const { sessionId } = await params;
  return { title: `Session ${decodeURIComponent(sessionId).slice(0, 24)}` };
}

const tone = (v: SessionVerdict) =>
  v.error
    ? "warn"
    : v.value === "yes" || v.value === true || v.value === "none"
      ? "ok"
      : v.value === "no" || v.value === false || v.value === "unresolved"
        ? "bad"
        : "";

export default async function SessionPage({ params }: { params: Promise<{ id: string; sessionId: string }> }) {
  const { id, sessionId } = await params;
  const ctx = await getRequestCtx();
  const s = await orNotFoundAsync(() => getSession({ ctx, input: { experimentId: id, sessionId: decodeURIComponent(sessionId) } }));
  const traces = `/experiments/${id}/traces`;
  const current = s.verdicts.filter((v) => v.valid);
  return (
    <>
      <div className="crumbs">
        <Link href={`/experiments/${id}/sessions`}>Sessions</Link> / <span className="mono">{s.sessionId.slice(0, 80)}</span>
      </div>
      <dl className="kpis">
        <div className="kpi">
          <dt>Turns</dt>
          <dd>{s.totalTurns}</dd>
        </div>
        <div className="kpi">
          <dt>Verdicts</dt>
          <dd>{current.length}</dd>
        </div>
        <div className="kpi">
          <dt>Superseded</dt>
          <dd>{s.verdicts.length - current.length}</dd>
        </div>
        <div className="kpi">
          <dt>Scoring</dt>
          <dd style={{ fontSize: 15 }}>
            {s.skipReason ? `not scored (${s.skipReason.replaceAll("_", " ")})` : s.pending ? "waiting to be scored" : "up to date"}
          </dd>
        </div>
      </dl>

      <h2>Assessments</h2>
      {s.verdicts.length === 0 ? (
        <div className="empty">No session scorer has judged this conversation yet.</div>
      ) : (
        <div>
          {s.verdicts.map((v) => (
            <article
              key={v.assessmentId}
              className={v.valid ? "assessment" : "assessment superseded"}
              aria-label={`Session assessment ${v.name}${v.valid ? "" : " (superseded)"}`}
            >
              <div className="head">
                <strong>{v.name}</strong>
                <span className={`chip ${tone(v)}`}>{v.error ? "error" : feedbackValueText(v.value ?? undefined)}</span>
                {v.valid ? <span className="chip ok">counts</span> : <span className="chip warn">superseded</span>}
                <span className="muted small">
                  judged {v.turns} turn{v.turns === 1 ? "" : "s"}
                </span>
                {v.jobId && (
                  <span className="muted small">
                    job <span className="mono">{v.jobId}</span>
                  </span>
                )}
                <span className="muted small" style={{ marginLeft: "auto" }}>
                  {formatDateTime(v.createTime)}
                </span>
              </div>
              {v.rationale && <p style={{ margin: "6px 0 0", whiteSpace: "pre-wrap" }}>{v.rationale}</p>}
              <p className="muted small" style={{ margin: "4px 0 0" }}>
                Logged on{" "}
                <Link href={`${traces}/${encodeURIComponent(v.traceId)}`} className="mono">
                  {v.traceId.slice(0, 11)}…
                </Link>
                {v.overrides && (
                  <>
                    {" "}
                    · overrides <span className="mono">{v.overrides}</span>
                  </>
                )}
              </p>
            </article>
          ))}
        </div>
      )}

      <h2>Turns</h2>
      {s.totalTurns > s.turns.length && (
        <p className="muted small">
          The latest {s.turns.length} of {s.totalTurns} turns.
        </p>
      )}
      <ol className="turns" aria-label="Turns" style={{ paddingLeft: 20 }}>
        {s.turns.map((t) => (
          <li key={t.traceId} style={{ marginBottom: 12 }}>
            <div className="small muted">
              {formatDateTime(t.requestTime, { seconds: true })} ·{" "}
              <Link href={`${traces}/${encodeURIComponent(t.traceId)}`} className="mono">
                {t.traceId.slice(0, 11)}…
              </Link>{" "}
              <StateChip state={t.state} />
            </div>
            <div>
              <strong>User:</strong> {t.requestPreview ?? "—"}
            </div>
            <div>
              <strong>Assistant:</strong> {t.responsePreview ?? "—"}
            </div>
          </li>
        ))}
      </ol>
    </>
  );
}
