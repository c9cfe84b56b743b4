"use client";
import { Area, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatRate } from "../format";
import type { TrendChartData } from "./prepare-trend";
import { axisProps, gridProps, tooltipProps } from "./theme";
import { ChartEmpty } from "./traffic-charts";

/** Mean or pass rate per bucket, one line per scorer version, with its 95% interval as a band. */
export function TrendChart({ data, height = 260, emptyText = "No scores in this range yet." }: { data: TrendChartData; height?: number; emptyText?: string }) {
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
            {data.series.map((s) => (
              <Area key={`${s.key}-band`} dataKey={`${s.key}_band`} name={`${s.label} 95% interval`} stroke="none" fill={s.color} fillOpacity={0.15}
                connectNulls={false} isAnimationActive={false} legendType="none" />
            ))}
            {data.series.map((s) => (
              <Line key={s.key} dataKey={s.key} name={s.label} stroke={s.color} strokeWidth={2} dot={data.rows.length < 40 ? { r: 2 } : false}
                connectNulls={false} isAnimationActive={false} />
            ))}
          </ComposedChart>
        </ResponsiveContainer>
      )}
    </div>
  );
}
