"use client";
import { Area, CartesianGrid, ComposedChart, Legend, Line, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatBucketLabel, formatRate } from "../format";
import { MIN_BUCKET_N, type TrendChartData, type TrendRow } from "./prepare-trend";
import { axisProps, gridProps, tooltipProps } from "./theme";
import { ChartEmpty } from "./traffic-charts";

/** An alert's window [from, to) to shade on the chart (lib/alerts links here with ?alert=). */
export interface TrendMark {
  from: number;
  to: number;
  label: string;
}

interface DotProps {
  cx?: number;
  cy?: number;
  index?: number;
  payload?: TrendRow;
}

/**
 * A point's dot: hollow when the point is weak (a partial bucket or few scores), filled when it
 * stands alone (no neighbour to draw a line to, so a one-bucket series still shows) or when the
 * chart has few points; none otherwise.
 */
function dotFor(key: string, color: string, rows: TrendRow[]) {
  return function TrendDot({ cx, cy, index = 0, payload }: DotProps) {
    const k = `dot-${key}-${index}`;
    if (cx === undefined || cy === undefined || !payload || payload[key] === null) return <g key={k} />;
    if (payload[`${key}_weak`]) return <circle key={k} cx={cx} cy={cy} r={3.5} fill="var(--panel)" stroke={color} strokeWidth={1.5} />;
    const alone = (rows[index - 1]?.[key] ?? null) === null && (rows[index + 1]?.[key] ?? null) === null;
    return alone || rows.length < 40 ? <circle key={k} cx={cx} cy={cy} r={alone ? 3 : 2} fill={color} stroke={color} /> : <g key={k} />;
  };
}

/** Mean or pass rate per bucket over the whole window, one line per scorer version, with its 95% interval as a band. */
export function TrendChart({
  data,
  height = 260,
  emptyText = "No scores in this range yet.",
  mark,
}: {
  data: TrendChartData;
  height?: number;
  emptyText?: string;
  mark?: TrendMark;
}) {
  const isRate = data.metric === "pass_rate";
  const fmt = (v: number) => (isRate ? formatRate(v) : v.toFixed(2));
  const tick = (t: number) => formatBucketLabel(t, data.labelMs);
  return (
    <div className="chart-with-note">
      <div className="chart" style={{ height }} role="img" aria-label={`${isRate ? "Pass rate" : "Mean score"} over time by scorer version`}>
        {data.empty ? (
          <ChartEmpty text={emptyText} />
        ) : (
          <ResponsiveContainer width="100%" height="100%">
            <ComposedChart data={data.rows} margin={{ top: 4, right: 8, left: -4, bottom: 0 }}>
              <CartesianGrid {...gridProps} />
              <XAxis dataKey="t" type="number" scale="time" domain={data.domain} tickFormatter={tick} {...axisProps} minTickGap={24} />
              <YAxis {...axisProps} width={52} domain={isRate ? [0, 1] : ["auto", "auto"]} tickFormatter={fmt} />
              <Tooltip
                {...tooltipProps}
                labelFormatter={(t, items) => {
                  const row = items?.[0]?.payload as TrendRow | undefined;
                  return `${tick(Number(t))}${row?.partial ? " (partial bucket)" : ""}`;
                }}
                formatter={(v, name) => (Array.isArray(v) ? [`${fmt(Number(v[0]))} – ${fmt(Number(v[1]))}`, name] : [fmt(Number(v)), name])}
              />
              <Legend wrapperStyle={{ fontSize: 12 }} />
              {mark && Math.max(mark.from, data.domain[0]) < Math.min(mark.to, data.domain[1]) && (
                <ReferenceArea
                  x1={Math.max(mark.from, data.domain[0])}
                  x2={Math.min(mark.to, data.domain[1])}
                  fill="var(--bad, #d33)"
                  fillOpacity={0.12}
                  stroke="var(--bad, #d33)"
                  strokeOpacity={0.5}
                  label={{ value: mark.label, position: "insideTopRight", fontSize: 11 }}
                />
              )}
              {data.series.map((s) => (
                <Area
                  key={`${s.key}-band`}
                  dataKey={`${s.key}_band`}
                  name={`${s.label} 95% interval`}
                  stroke="none"
                  fill={s.color}
                  fillOpacity={0.15}
                  connectNulls={false}
                  isAnimationActive={false}
                  legendType="none"
                />
              ))}
              {data.series.map((s) => (
                <Line
                  key={s.key}
                  dataKey={s.key}
                  name={s.label}
                  stroke={s.color}
                  strokeWidth={2}
                  dot={dotFor(s.key, s.color, data.rows)}
                  activeDot={{ r: 4 }}
                  connectNulls={false}
                  isAnimationActive={false}
                />
              ))}
            </ComposedChart>
          </ResponsiveContainer>
        )}
      </div>
      {!data.empty && data.weak && (
        <p className="muted small" style={{ margin: "4px 0 0" }}>
          Hollow points: a bucket the period cuts (such as the current one) or one with fewer than {MIN_BUCKET_N} scores; no interval is drawn for them.
        </p>
      )}
    </div>
  );
}
