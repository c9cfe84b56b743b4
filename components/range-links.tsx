import Link from "next/link";

/**
 * A segmented choice rendered as links, so the choice lives in the URL, survives a reload and
 * works without JavaScript. `hrefFor` builds the target URL of each value.
 */
export function RangeLinks<V extends string>({
  label,
  values,
  current,
  hrefFor,
  labels,
}: {
  label: string;
  values: readonly V[];
  current: V;
  hrefFor: (v: V) => string;
  labels?: Partial<Record<V, string>>;
}) {
  return (
    <nav className="segmented no-print" aria-label={label}>
      {values.map((v) => (
        <Link key={v} href={hrefFor(v)} aria-current={v === current ? "true" : undefined} scroll={false}>
          {labels?.[v] ?? v}
        </Link>
      ))}
    </nav>
  );
}
