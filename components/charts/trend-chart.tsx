"use client";
import { Area, CartesianGrid, ComposedChart, Legend, Line, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatRate } from "../format";
import type { TrendChartData } from "./prepare-trend";
import { axisProps, gridProps, tooltipProps } from "./theme";
import { ChartEmpty } from "./traffic-charts";

/** Mean or pass rate per bucket, one line per scorer version, with its 95% interval as a band. */
/** An alert's window [from, to) to shade on the chart (lib/alerts links here with ?alert=). */
export interface TrendMark {
  from: number;
  to: number;
  label: string;
}

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
  // From the bucket holding the window's start to the last bucket before its end.
  const startRow = mark ? Math.max(-Infinity, ...data.rows.filter((r) => r.t <= mark.from).map((r) => r.t)) : 0;
  const marked = mark ? data.rows.filter((r) => r.t >= startRow && r.t < mark.to) : [];
  const isRate = data.metric === "pass_rate";
  const fmt = (v: number) => (isRate ? formatRate(v) : v.toFixed(2));
  return (
    <div className="chart" style={{ height }} role="img" aria-label={`${isRate ? "Pass rate" : "Mean score"} over time by scorer version`}>
      {data.empty ? (
        <ChartEmpty text={emptyText} />
      ) : (
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={data.rows} margin={{ top: 4, right: 8, left: -4, bottom: 0 }}>
            <CartesianGrid {...gridProps} />
            <XAxis dataKey="label" {...axisProps} minTickGap={24} />
            <YAxis {...axisProps} width={52} domain={isRate ? [0, 1] : ["auto", "auto"]} tickFormatter={fmt} />
            <Tooltip
              {...tooltipProps}
              formatter={(v, name) => (Array.isArray(v) ? [`${fmt(Number(v[0]))} – ${fmt(Number(v[1]))}`, name] : [fmt(Number(v)), name])}
            />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            {mark && marked.length > 0 && (
              <ReferenceArea
                x1={marked[0]!.label}
                x2={marked[marked.length - 1]!.label}
                fill="var(--bad, #d33)"
                fillOpacity={0.12}
                stroke="var(--bad, #d33)"
                strokeOpacity={0.5}
                label={{ value: mark.label, position: "insideTopRight", fontSize: 11 }}
                ifOverflow="extendDomain"
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
                dot={data.rows.length < 40 ? { r: 2 } : false}
                connectNulls={false}
                isAnimationActive={false}
              />
            ))}
          </ComposedChart>
        </ResponsiveContainer>
      )}
    </div>
  );
}
