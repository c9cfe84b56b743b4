/** A JSON value, pretty-printed; strings that hold JSON are shown decoded. */
export function JsonView({ value, label }: { value: unknown; label?: string }) {
  let shown = value;
  if (typeof value === "string") {
    try {
      shown = JSON.parse(value);
    } catch {
      shown = value;
    }
  }
  const text = typeof shown === "string" ? shown : JSON.stringify(shown, null, 2);
  return (
    <pre className="json" aria-label={label} tabIndex={0}>
      {text ?? "null"}
    </pre>
  );
}
