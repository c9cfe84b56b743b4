"use client";
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatMs } from "../format";
import type { TrafficChartData } from "./prepare-traffic";
import { axisProps, gridProps, tooltipProps } from "./theme";

/** Traces per bucket, errors stacked on top in the error colour. */
export function TrafficChart({ data }: { data: TrafficChartData }) {
  return (
    <div className="chart" role="img" aria-label="Traces and errors over time">
      {data.empty ? (
        <ChartEmpty text="No traces in this range." />
      ) : (
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data.points} margin={{ top: 4, right: 8, left: -12, bottom: 0 }}>
            <CartesianGrid {...gridProps} />
            <XAxis dataKey="label" {...axisProps} minTickGap={24} />
            <YAxis {...axisProps} allowDecimals={false} width={48} />
            <Tooltip {...tooltipProps} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <Bar dataKey="ok" name="OK" stackId="t" fill="var(--chart-1)" isAnimationActive={false} />
            <Bar dataKey="errors" name="Errors" stackId="t" fill="var(--bad)" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      )}
    </div>
  );
}

/** p50 and p95 latency per bucket; buckets without finished traces leave a gap. */
export function LatencyChart({ data }: { data: TrafficChartData }) {
  return (
    <div className="chart" role="img" aria-label="Latency percentiles over time">
      {!data.hasLatency ? (
        <ChartEmpty text="No finished traces in this range." />
      ) : (
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={data.points} margin={{ top: 4, right: 8, left: -4, bottom: 0 }}>
            <CartesianGrid {...gridProps} />
            <XAxis dataKey="label" {...axisProps} minTickGap={24} />
            <YAxis {...axisProps} width={56} tickFormatter={(v: number) => formatMs(v)} />
            <Tooltip {...tooltipProps} formatter={(v) => formatMs(Number(v))} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <Line dataKey="p50" name="p50" stroke="var(--chart-1)" dot={false} strokeWidth={2} connectNulls={false} isAnimationActive={false} />
            <Line dataKey="p95" name="p95" stroke="var(--chart-2)" dot={false} strokeWidth={2} connectNulls={false} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      )}
    </div>
  );
}

export function ChartEmpty({ text }: { text: string }) {
  return (
    <div className="muted" style={{ height: "100%", display: "grid", placeItems: "center", fontSize: 13 }}>
      {text}
    </div>
  );
}
