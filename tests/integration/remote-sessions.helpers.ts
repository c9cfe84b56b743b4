// Reading session verdicts off either "MLflow server" of the remote suites (a Vigil, or the
// MLflow fixture), and seeding a turn the way an agent logs it.
import type { ContractStore } from "../helpers/mlflow-stores";

export interface Verdict {
  id: string;
  traceId: string;
  value: unknown;
  valid: boolean;
  overrides: string | null;
  metadata: Record<string, string>;
}

/** The assessments named `name` on the store's traces of the experiment, oldest first. */
export function verdictsOn(store: ContractStore, exp: string, name: string): Verdict[] {
  if (store.vigil) {
    const rows = store.vigil.db.$client
      .prepare(
        "SELECT assessment_id, trace_id, value, valid, overrides, metadata FROM assessments WHERE experiment_id = ? AND name = ? ORDER BY create_time, rowid",
      )
      .all(Number(exp), name) as { assessment_id: string; trace_id: string; value: string; valid: number; overrides: string | null; metadata: string }[];
    return rows.map((r) => ({
      id: r.assessment_id,
      traceId: r.trace_id,
      value: JSON.parse(r.value) as unknown,
      valid: r.valid === 1,
      overrides: r.overrides,
      metadata: JSON.parse(r.metadata) as Record<string, string>,
    }));
  }
  const out: (Verdict & { at: number })[] = [];
  for (const t of store.fixture!.state.traces.values()) {
    if (t.experimentId !== exp) continue;
    for (const a of t.assessments)
      if (a.assessment_name === name)
        out.push({
          id: a.assessment_id,
          traceId: t.traceId,
          value: a.feedback?.value,
          valid: a.valid,
          overrides: a.overrides ?? null,
          metadata: a.metadata,
          at: a.create_ms,
        });
  }
  return out.sort((a, b) => a.at - b.at).map(({ at: _at, ...v }) => v);
}

/** One turn of a session, as an agent logs it (trace metadata mlflow.trace.session, on either store). */
export function turnOf(sessionId: string, startMs: number, question: string) {
  return {
    startMs,
    session: sessionId,
    metadata: { "mlflow.trace.session": sessionId },
    inputs: { messages: [{ role: "user", content: question }] },
  };
}
