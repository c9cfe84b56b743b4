import type { Metadata } from "next";
import { EmptyExperiment } from "@/components/empty-experiment";
import { LatencyChart, TrafficChart } from "@/components/charts/traffic-charts";
import { prepareTraffic } from "@/components/charts/prepare-traffic";
import { formatAgo, formatCount, formatMs, formatPercent } from "@/components/format";
import { RangeLinks } from "@/components/range-links";
import { Hydrate } from "@/components/hydrate";
import { ScorerList } from "@/components/scorers/scorer-list";
import { getExperimentTraffic, getScorerOverview, parseTimeRange, RANGE_SPEC, scorerPermissions, type TimeRange } from "@/lib/read";
import Link from "next/link";
import { scorerActions } from "./scorers/action-set";
import { getRequestCtx } from "@/lib/runtime/request-ctx";
import { traceHomeOf } from "@/lib/remote/status";
import { firstParam, orNotFound, type SearchParams } from "@/app/_lib/page";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Overview" };

const OVERVIEW_RANGES = ["1h", "24h", "7d", "30d"] as const satisfies readonly TimeRange[];

export default async function ExperimentOverview({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const { id } = await params;
  const sp = await searchParams;
  const range = parseTimeRange(firstParam(sp, "range"), "24h");
  const ctx = await getRequestCtx();
  const traffic = orNotFound(() => getExperimentTraffic({ ctx, input: { experimentId: id, range } }));
  const scorers = getScorerOverview({ ctx, input: { experimentId: id } });
  const can = scorerPermissions(ctx.actor);
  const chart = prepareTraffic(traffic.buckets, traffic.bucketMs);
  const t = traffic.totals;
  const errorShare = t.traces ? t.errors / t.traces : 0;

  return (
    <>
      <div className="section-head">
        <h2 style={{ marginTop: 0 }}>Scorers</h2>
        {can.register && (
          <Link className="btn primary no-print" href={`/experiments/${id}/scorers/new`}>
            Register a scorer
          </Link>
        )}
      </div>
      <Hydrate entries={[{ key: ["scorers", id], data: scorers, at: scorers.at }]}>
        <ScorerList experimentId={id} initial={scorers} actions={scorerActions} can={can} />
      </Hydrate>
      <div className="section-head" style={{ marginTop: 12 }}>
        <h2>Traffic · {RANGE_SPEC[range].label.toLowerCase()}</h2>
        <RangeLinks
          label="Time range"
          values={OVERVIEW_RANGES}
          current={range as (typeof OVERVIEW_RANGES)[number]}
          hrefFor={(v) => (v === "24h" ? `/experiments/${id}` : `/experiments/${id}?range=${v}`)}
        />
      </div>
      {traffic.allTimeTraces === 0 ? (
        <EmptyExperiment experimentId={id} remoteUri={traceHomeOf(ctx.db, ctx.config, Number(id))} />
      ) : (
        <>
          <dl className="kpis">
            <div className="kpi">
              <dt>Traces</dt>
              <dd>{formatCount(t.traces)}</dd>
            </div>
            <div className="kpi">
              <dt>Errors</dt>
              <dd className={errorShare > 0.05 ? "bad" : undefined}>
                {formatPercent(t.errors, t.traces)} <span className="muted small">{t.errors ? `(${formatCount(t.errors)})` : ""}</span>
              </dd>
            </div>
            <div className="kpi">
              <dt>Latency p50</dt>
              <dd>{formatMs(t.p50Ms)}</dd>
            </div>
            <div className="kpi">
              <dt>Latency p95</dt>
              <dd>{formatMs(t.p95Ms)}</dd>
            </div>
            <div className="kpi">
              <dt>Last trace</dt>
              <dd style={{ fontSize: 16 }}>{formatAgo(traffic.lastTraceAt, ctx.now())}</dd>
            </div>
          </dl>
          <div className="grid-2">
            <section className="chart-box" aria-label="Traffic chart">
              <h3>Traces and errors</h3>
              <TrafficChart data={chart} />
            </section>
            <section className="chart-box" aria-label="Latency chart">
              <h3>Latency (percentiles within 5%)</h3>
              <LatencyChart data={chart} />
            </section>
          </div>
          {t.inProgress > 0 && (
            <p className="muted small">{formatCount(t.inProgress)} traces in this range are still in progress (their root span has not ended).</p>
          )}
        </>
      )}
    </>
  );
}
