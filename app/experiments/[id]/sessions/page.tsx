import type { Metadata } from "next";
import Link from "next/link";
import { formatDateTime } from "@/components/format";
import { listSessions } from "@/lib/sessions";
import { getRequestCtx } from "@/lib/runtime/request-ctx";
import { firstParam, orNotFound, type SearchParams } from "@/app/_lib/page";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sessions" };

export default async function SessionsPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const { id } = await params;
  const sp = await searchParams;
  const before = firstParam(sp, "before");
  const all = firstParam(sp, "all") === "1";
  const ctx = await getRequestCtx();
  const input = { experimentId: id, minTurns: all ? 1 : 2, before: before && /^\d+$/.test(before) ? before : undefined };
  const page = orNotFound(() => listSessions({ ctx, input }));
  const here = `/experiments/${id}/sessions`;
  const toggle = all ? <Link href={here}>Only conversations of two turns or more</Link> : <Link href={`${here}?all=1`}>Include one-turn sessions</Link>;
  if (page.sessions.length === 0) {
    return (
      <div className="empty">
        <h3>No conversations yet</h3>
        <p>
          Traces that carry the metadata <span className="mono">mlflow.trace.session</span> are grouped here, one row per conversation; session scorers judge
          each one whole. {!all && toggle}
        </p>
      </div>
    );
  }
  return (
    <>
      <p className="sub">
        Conversations: traces sharing <span className="mono">mlflow.trace.session</span>. A conversation is scored once no turn has joined it for the completion
        buffer, and again when a late turn joins. {toggle}
      </p>
      <div className="table-wrap">
        <table className="data" aria-label="Sessions">
          <thead>
            <tr>
              <th>Last turn</th>
              <th>Session</th>
              <th className="num">Turns</th>
              <th>Scoring</th>
              <th className="num">Verdicts</th>
            </tr>
          </thead>
          <tbody>
            {page.sessions.map((s) => (
              <tr key={s.sessionId}>
                <td className="small" style={{ whiteSpace: "nowrap" }}>
                  {formatDateTime(s.lastTimeMs, { seconds: true })}
                </td>
                <td>
                  <Link href={`${here}/${encodeURIComponent(s.sessionId)}`} className="mono" title={s.sessionId}>
                    {s.sessionId.length > 40 ? `${s.sessionId.slice(0, 40)}…` : s.sessionId}
                  </Link>
                </td>
                <td className="num">{s.turns}</td>
                <td>
                  {s.skipReason ? (
                    <span className="chip warn">not scored: {s.skipReason.replaceAll("_", " ")}</span>
                  ) : s.pending ? (
                    <span className="chip">waiting</span>
                  ) : (
                    <span className="chip ok">up to date</span>
                  )}
                </td>
                <td className="num">
                  {s.assessments}
                  {s.superseded > 0 && <span className="muted small"> (+{s.superseded} superseded)</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {page.next !== null && (
        <nav className="pager" aria-label="Pages">
          <Link href={`${here}?${new URLSearchParams({ before: String(page.next), ...(all ? { all: "1" } : {}) })}`}>Older conversations</Link>
        </nav>
      )}
    </>
  );
}
