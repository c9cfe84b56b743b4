import { Skeleton } from "@/components/skeleton";

export default function Loading() {
  return (
    <div role="status" aria-label="Loading traces">
      <div className="panel" style={{ marginBottom: 12 }}>
        <Skeleton height={92} />
      </div>
      <div className="table-wrap" style={{ padding: 10 }}>
        {Array.from({ length: 12 }, (_, i) => (
          <Skeleton key={i} height={22} style={{ marginBottom: 10 }} />
        ))}
      </div>
    </div>
  );
}
