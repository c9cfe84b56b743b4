"use client";
import { Bar, BarChart, ResponsiveContainer, Tooltip, XAxis } from "recharts";
import type { Sparkline as SparklineData } from "./prepare-sparkline";
import { tooltipProps } from "./theme";

/** Scores per hour over the last day, errors stacked in red; sized by its box so it never jumps. */
export function Sparkline({ data }: { data: SparklineData }) {
  return (
    <div className="spark" role="img" aria-label={data.summary}>
      {data.empty ? (
        <div className="muted small" style={{ height: "100%", display: "flex", alignItems: "center" }}>
          no scores in 24 h
        </div>
      ) : (
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data.points} margin={{ top: 2, right: 0, left: 0, bottom: 0 }} barCategoryGap={1}>
            <XAxis dataKey="label" hide />
            <Tooltip {...tooltipProps} wrapperStyle={{ zIndex: 5 }} />
            <Bar dataKey="ok" name="Scored" stackId="s" fill="var(--chart-1)" isAnimationActive={false} />
            <Bar dataKey="errors" name="Errors" stackId="s" fill="var(--bad)" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      )}
    </div>
  );
}
