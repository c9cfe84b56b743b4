import Link from "next/link";

/** The header's link to the alerts page, with the count of firing alerts nobody has taken yet. */
export function AlertsBadge({ count }: { count: number }) {
  return (
    <Link href="/alerts" className="alerts-link" aria-label={count > 0 ? `Alerts: ${count} firing` : "Alerts"}>
      Alerts
      {count > 0 && (
        <span className="alerts-badge" data-testid="alerts-badge">
          {count}
        </span>
      )}
    </Link>
  );
}
