// Shared recharts styling: colours come from the CSS variables, so light and dark follow the page.
export const axisProps = {
  tick: { fill: "var(--muted)", fontSize: 11 },
  stroke: "var(--border)",
  tickLine: false,
} as const;

export const gridProps = { stroke: "var(--border)", strokeDasharray: "3 3", vertical: false } as const;

export const tooltipProps = {
  contentStyle: { background: "var(--panel)", border: "1px solid var(--border)", borderRadius: 6, fontSize: 12, color: "var(--text)" },
  labelStyle: { color: "var(--muted)" },
  cursor: { fill: "var(--chip)", opacity: 0.5 },
} as const;
