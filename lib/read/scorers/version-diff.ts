// What changed between two registered versions of a scorer, in words, from their serialized
// JSON: the version history shows it so nobody has to diff JSON by eye. Pure.

function flatten(value: unknown, prefix: string, out: Map<string, string>): void {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
    return;
  }
  out.set(prefix, JSON.stringify(value));
}

const parse = (s: string): unknown => {
  try {
    return JSON.parse(s);
  } catch {
    return { unparseable: s };
  }
};

// Bookkeeping fields MLflow rewrites on every registration; a change there is not a change of the scorer.
const IGNORED = new Set(["mlflow_version", "serialization_version"]);

export interface FieldChange {
  field: string;
  before: string | null;
  after: string | null;
}

export function diffSerializedScorers(before: string, after: string): FieldChange[] {
  return diffValues(parse(before), parse(after));
}

/** Field-by-field changes between two JSON values (nested objects flattened to dotted paths). */
export function diffValues(before: unknown, after: unknown): FieldChange[] {
  const a = new Map<string, string>();
  const b = new Map<string, string>();
  if (before !== null && before !== undefined) flatten(before, "", a);
  if (after !== null && after !== undefined) flatten(after, "", b);
  const fields = [...new Set([...a.keys(), ...b.keys()])].filter((f) => !IGNORED.has(f)).sort();
  const out: FieldChange[] = [];
  for (const f of fields) {
    const x = a.get(f) ?? null;
    const y = b.get(f) ?? null;
    // A null field and a missing one mean the same to MLflow.
    if (x === y || ((x === null || x === "null") && (y === null || y === "null"))) continue;
    out.push({ field: f, before: x, after: y });
  }
  return out;
}
