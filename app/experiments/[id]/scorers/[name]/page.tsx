import type { Metadata } from "next";
import Link from "next/link";
import { assessmentTone, assessmentValueText } from "@/components/assessment-value";
import { Funnel } from "@/components/charts/funnel";
import { prepareFunnel } from "@/components/charts/prepare-funnel";
import { prepareTrend } from "@/components/charts/prepare-trend";
import { TrendChart } from "@/components/charts/trend-chart";
import { RulesPanel } from "@/components/alerts/rules-panel";
import { formatCount, formatDateTime, formatUsd } from "@/components/format";
import { alertMarkFor, listAlertRules } from "@/lib/alerts";
import { Hydrate } from "@/components/hydrate";
import { RangeLinks } from "@/components/range-links";
import { BudgetEditor } from "@/components/scorers/budget-editor";
import { SamplingEditor } from "@/components/scorers/sampling-editor";
import { ScorerHeader } from "@/components/scorers/scorer-header";
import { listAuditEntries } from "@/lib/audit";
import { getScorerFunnel } from "@/lib/engine/runtime";
import { getTrend } from "@/lib/metrics";
import { getScorer, listScorerVersions } from "@/lib/monitoring";
import { ScorerAgreement } from "@/components/scorers/scorer-agreement";
import {
  diffSerializedScorers,
  diffValues,
  getScorerOverview,
  listScoredAssessments,
  parseTimeRange,
  rangeWindow,
  RANGE_SPEC,
  getScorerCost,
  scorerJobOutcomes,
  scorerPermissions,
  COST_DAYS,
  type ScorerCost,
} from "@/lib/read";
import { countOf } from "@/lib/core/plural";
import { getRequestCtx } from "@/lib/runtime/request-ctx";
import { firstParam, orNotFound, type SearchParams } from "@/app/_lib/page";
import { scorerActions } from "../action-set";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }): Promise<Metadata> {
  return { title: `Scorer ${decodeURIComponent((await params).name)}` };
}

const RANGES = ["24h", "7d", "30d", "90d"] as const;

// Audit values can be whole JSON documents; the version history shows definitions in full.
const short = (v: string | null) => (v !== null && v.length > 120 ? `${v.slice(0, 117)}…` : v);

export default async function ScorerPage({ params, searchParams }: { params: Promise<{ id: string; name: string }>; searchParams: Promise<SearchParams> }) {
  const { id, name: rawName } = await params;
  const name = decodeURIComponent(rawName);
  const sp = await searchParams;
  const range = parseTimeRange(firstParam(sp, "range"), "7d") as (typeof RANGES)[number];
  const ctx = await getRequestCtx();
  const scorer = orNotFound(() => getScorer({ ctx, input: { experiment_id: id, name } }));
  const overview = getScorerOverview({ ctx, input: { experimentId: id } });
  const versions = listScorerVersions({ ctx, input: { experiment_id: id, name } });
  const now = ctx.now();
  const { from, to } = rangeWindow(range, now);
  // Daily buckets from 7 days on: hours over a week are too many points to read and too few scores each.
  const bucket = range === "24h" ? "hour" : "day";
  const trend = prepareTrend(getTrend({ ctx, input: { experimentId: id, scorer: name, start: from, end: to, bucket } }), { start: from, end: to, now });
  const funnel = prepareFunnel(
    getScorerFunnel({ ctx, input: { experimentId: id, scorerName: name, start: from, end: to } }),
    scorerJobOutcomes(ctx, Number(id), name, from, to),
  );
  const recent = listScoredAssessments({ ctx, input: { experimentId: id, name, limit: 20 } });
  const audit = scorer.scorerId
    ? listAuditEntries({ ctx, input: { experiment_id: id, entity_type: "scorer", entity_id: scorer.scorerId, max_results: 50 } }).entries
    : [];
  const can = scorerPermissions(ctx.actor);
  const here = `/experiments/${id}/scorers/${encodeURIComponent(name)}`;
  // An alert's link lands here with ?alert=: its window is marked on the chart.
  const mark = alertMarkFor({ ctx, input: { alert_id: firstParam(sp, "alert"), experiment_id: id, scorer: name } });
  const isJudge = scorer.kind === "instructions" || overview.rows.find((r) => r.scorer.name === name)?.runtime.kind === "judge";
  const cost = isJudge ? getScorerCost(ctx, Number(id), name) : null;
  const rules = listAlertRules({ ctx, input: { experiment_id: id, scorer: name } }).rules;

  return (
    <Hydrate entries={[{ key: ["scorers", id], data: overview, at: overview.at }]}>
      <div className="crumbs">
        <Link href={`/experiments/${id}`}>Overview</Link> / <Link href={`/experiments/${id}/scorers`}>Scorers</Link> / {name}
      </div>
      <ScorerHeader experimentId={id} name={name} initial={overview} actions={scorerActions} can={can} versionCount={versions.length} />
      {!scorer.runnable && <div className="alert bad">{scorer.notRunnableReason}</div>}

      <div className="section-head">
        <h2>
          {trend.metric === "mean" ? "Mean score" : "Pass rate"} · {RANGE_SPEC[range].label.toLowerCase()}
        </h2>
        <RangeLinks label="Time range" values={RANGES} current={range} hrefFor={(v) => (v === "7d" ? here : `${here}?range=${v}`)} />
      </div>
      <section className="chart-box" aria-label="Trend">
        <TrendChart data={trend} mark={mark ?? undefined} emptyText="No scores in this range yet (trends update within a minute of scoring)." />
        <p className="muted small" style={{ margin: "4px 4px 8px" }}>
          {trend.total.toLocaleString("en-US")} assessments, {trend.errors.toLocaleString("en-US")} errors, per {bucket}; shaded: 95% interval (
          {trend.metric === "pass_rate" ? "Wilson" : "normal"}). A new version starts a new line.
        </p>
      </section>

      <div className="grid-2" style={{ marginTop: 16 }}>
        <section aria-label="Funnel">
          <h2 style={{ marginTop: 0 }}>Funnel</h2>
          <Funnel data={funnel} jobsHref={`/experiments/${id}/jobs`} />
        </section>
        <section aria-label="Sampling settings">
          <h2 style={{ marginTop: 0 }}>Settings</h2>
          <SamplingEditor experimentId={id} name={name} initial={overview} actions={scorerActions} can={can} costModel={cost ?? undefined} />
          {isJudge && <BudgetEditor experimentId={id} name={name} initial={overview} actions={scorerActions} can={can} />}
        </section>
      </div>

      {cost && <CostPanel cost={cost} />}

      <ScorerAgreement experimentId={id} name={name} live={scorer} />

      <section aria-label="Alert rules">
        <h2>Alert rules</h2>
        <RulesPanel rules={rules} scorer={name} canEdit={ctx.actor.role === "admin"} />
      </section>

      <h2>Recent assessments</h2>
      {recent.length === 0 ? (
        <div className="empty">No assessments yet. Start the scorer, or run a backfill from the Jobs page.</div>
      ) : (
        <div className="table-wrap">
          <table className="data" aria-label="Recent assessments">
            <thead>
              <tr>
                <th>Scored</th>
                <th>Trace</th>
                <th>Value</th>
                <th className="hide-sm">Rationale</th>
                <th>Version</th>
                <th className="hide-sm">Run</th>
              </tr>
            </thead>
            <tbody>
              {recent.map((a) => (
                <tr key={a.assessment_id}>
                  <td className="small" style={{ whiteSpace: "nowrap" }}>
                    {formatDateTime(a.create_time_ms, { seconds: true })}
                  </td>
                  <td>
                    <Link className="mono" style={{ whiteSpace: "nowrap" }} href={`/experiments/${id}/traces/${encodeURIComponent(a.trace_id)}`}>
                      {a.trace_id.slice(0, 11)}…
                    </Link>
                  </td>
                  <td>
                    <span className={`chip ${assessmentTone(a)}`}>{assessmentValueText(a)}</span>
                  </td>
                  <td className="hide-sm">
                    <div className="preview" title={a.rationale ?? a.feedback?.error?.error_message}>
                      {a.rationale ?? a.feedback?.error?.error_message ?? "—"}
                    </div>
                  </td>
                  <td>
                    v{a.scorer_version ?? "—"}
                    {a.metadata?.["vigil.shadow"] === "true" && (
                      <>
                        {" "}
                        <span className="chip info">shadow</span>
                      </>
                    )}
                  </td>
                  <td className="hide-sm small">
                    {a.run_id ? <Link href={`/experiments/${id}/jobs?job=${encodeURIComponent(a.run_id)}`}>job</Link> : "online"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <div className="grid-2">
        <section aria-label="Version history">
          <h2>Versions</h2>
          <ol reversed className="plain-list">
            {[...versions].reverse().map((v, i, arr) => {
              const prev = arr[i + 1];
              const changes = prev ? diffSerializedScorers(prev.serializedScorer, v.serializedScorer) : [];
              return (
                <li key={v.version} className="panel" style={{ marginBottom: 8 }}>
                  <strong>v{v.version}</strong> <span className="muted small">registered {formatDateTime(v.creationTime)}</span>
                  {!prev ? (
                    <div className="small muted">First version.</div>
                  ) : changes.length === 0 ? (
                    <div className="small muted">Same definition as v{prev.version}.</div>
                  ) : (
                    <ul className="small" style={{ margin: "4px 0 0", paddingLeft: 18 }}>
                      {changes.map((c) => (
                        <li key={c.field}>
                          <code>{c.field}</code>: {c.before ?? "unset"} → {c.after ?? "unset"}
                        </li>
                      ))}
                    </ul>
                  )}
                  <details style={{ marginTop: 4 }}>
                    <summary className="small muted">Serialized scorer</summary>
                    <pre className="json">{JSON.stringify(JSON.parse(v.serializedScorer), null, 2)}</pre>
                  </details>
                </li>
              );
            })}
          </ol>
        </section>
        <section aria-label="Audit trail">
          <h2>Audit trail</h2>
          {audit.length === 0 ? (
            <div className="empty">No changes recorded.</div>
          ) : (
            <ol className="plain-list">
              {audit.map((e) => (
                <li key={e.id} className="panel" style={{ marginBottom: 8 }}>
                  <div>
                    <strong>{e.action.replace(/^scorer\./, "")}</strong>{" "}
                    <span className="muted small">
                      by {e.actor} · {formatDateTime(e.at, { seconds: true })}
                    </span>
                  </div>
                  {e.reason && <div className="small">Reason: {e.reason}</div>}
                  <ul className="small muted" style={{ margin: "2px 0 0", paddingLeft: 18 }}>
                    {diffValues(e.before, e.after)
                      .filter((c) => c.field !== "name" && c.field !== "serialized_scorer")
                      .map((c) => (
                        <li key={c.field}>
                          {c.field}: {short(c.before) ?? "—"} → {short(c.after) ?? "—"}
                        </li>
                      ))}
                  </ul>
                </li>
              ))}
            </ol>
          )}
        </section>
      </div>
    </Hydrate>
  );
}

/** A judge's spend per day, the average call, for acting on cost (the sampling form projects a rate). */
function CostPanel({ cost }: { cost: ScorerCost }) {
  return (
    <section aria-label="Cost" style={{ marginTop: 16 }}>
      <h2>Cost</h2>
      {cost.calls === 0 ? (
        <div className="empty">No judge calls in the last {COST_DAYS} days.</div>
      ) : (
        <>
          <p className="small">
            Per call: {formatCount(Math.round(cost.tokensPerCall!.prompt))} prompt + {formatCount(Math.round(cost.tokensPerCall!.completion))} completion
            tokens, {cost.costPerCall === null ? "no price for its model" : formatUsd(cost.costPerCall)}. The filter matched about{" "}
            {formatCount(Math.round(cost.matchedPerDay))} traces a day lately.
          </p>
          <div className="table-wrap">
            <table className="data" aria-label="Cost per day">
              <thead>
                <tr>
                  <th>Day (UTC)</th>
                  <th className="num">Calls</th>
                  <th className="num">Prompt tokens</th>
                  <th className="num">Completion tokens</th>
                  <th className="num">Cost</th>
                </tr>
              </thead>
              <tbody>
                {cost.days.map((d) => (
                  <tr key={d.day}>
                    <td>{d.day}</td>
                    <td className="num">{formatCount(d.calls)}</td>
                    <td className="num">{formatCount(d.promptTokens)}</td>
                    <td className="num">{formatCount(d.completionTokens)}</td>
                    <td
                      className="num"
                      title={
                        d.unpricedCalls
                          ? `${countOf(d.unpricedCalls, "call")} of a model without a price ${d.unpricedCalls === 1 ? "is" : "are"} not included`
                          : undefined
                      }
                    >
                      {d.unpricedCalls ? "≥ " : ""}
                      {formatUsd(d.costUsd)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
