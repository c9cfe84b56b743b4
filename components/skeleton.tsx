/** Placeholders shaped like the page that is coming, so it does not jump when it arrives. */
export function Skeleton({ height = 16, width = "100%", style }: { height?: number | string; width?: number | string; style?: React.CSSProperties }) {
  return <div className="skeleton" style={{ height, width, ...style }} aria-hidden />;
}

export function PageSkeleton() {
  return (
    <div role="status" aria-label="Loading">
      <div className="kpis">
        {Array.from({ length: 4 }, (_, i) => (
          <div className="kpi" key={i}>
            <Skeleton height={12} width="50%" />
            <Skeleton height={24} width="70%" style={{ marginTop: 8 }} />
          </div>
        ))}
      </div>
      <div className="grid-2">
        <div className="chart-box">
          <Skeleton height={220} />
        </div>
        <div className="chart-box">
          <Skeleton height={220} />
        </div>
      </div>
      <div style={{ marginTop: 16, display: "flex", flexDirection: "column", gap: 10 }}>
        {Array.from({ length: 4 }, (_, i) => (
          <Skeleton key={i} height={56} />
        ))}
      </div>
    </div>
  );
}
