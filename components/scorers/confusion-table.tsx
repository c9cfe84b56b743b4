// A confusion matrix as a table: rows one rater, columns the other; the diagonal is agreement.
export function ConfusionTable({
  matrix,
  rowLabel,
  colLabel,
  caption,
}: {
  matrix: { labels: string[]; counts: number[][] };
  rowLabel: string;
  colLabel: string;
  caption: string;
}) {
  if (matrix.labels.length === 0) return null;
  return (
    <table className="data confusion" aria-label={caption}>
      <caption className="small muted" style={{ textAlign: "left" }}>
        {caption}: rows {rowLabel}, columns {colLabel}
      </caption>
      <thead>
        <tr>
          <th scope="col">
            {rowLabel} \ {colLabel}
          </th>
          {matrix.labels.map((l) => (
            <th key={l} scope="col">
              {l}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {matrix.counts.map((row, i) => (
          <tr key={matrix.labels[i]}>
            <th scope="row">{matrix.labels[i]}</th>
            {row.map((c, j) => (
              <td key={j} className={i === j ? "ok" : c > 0 ? "bad" : undefined}>
                {c}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
