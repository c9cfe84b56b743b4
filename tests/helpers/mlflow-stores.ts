// The "MLflow server" of the contract and fault suites, one of two: a Vigil (its REST surface
// over real HTTP) or the MLflow fixture built from MLflow's source (mlflow-fixture.ts). Tests seed
// traces and read back what Vigil's remote mode wrote through this one interface.
import { getScorer, listScorers, listScorerVersions, registerScorer } from "@/lib/monitoring";
import { seedTraces, type SeedTrace } from "../integration/mlflow.helpers";
import { startMlflowFixture, type FixtureSeed, type MlflowFixture, type MlflowFixtureOptions } from "./mlflow-fixture";
import { startTestServer, type TestServer } from "./server";

export type StoreKind = "vigil" | "mlflow";

export interface ScorerOnStore {
  version: number | null;
  sampleRate: number;
  filterString: string | null;
}

export interface ContractStore {
  kind: StoreKind;
  url: string;
  /** Set for a Vigil store (its ctx reaches the lib verbs directly). */
  vigil: TestServer | null;
  fixture: MlflowFixture | null;
  /** Root + one child span per trace; the fixture spreads them over MLflow's span locations. */
  seed(experimentId: string, list: (SeedTrace & Pick<FixtureSeed, "spansIn" | "partial" | "metadata">)[]): Promise<string[]>;
  /** Vigil-marked assessments on the store's traces, as "trace|name" sorted (duplicates kept). */
  vigilAssessments(experimentId: string): string[];
  scorer(experimentId: string, name: string): ScorerOnStore;
  scorerNames(experimentId: string): string[];
  scorerVersions(experimentId: string, name: string): (number | null)[];
  /** A scorer registered by someone else (a Python user; on the fixture, written to its store as Databricks allows). */
  addForeignScorer(experimentId: string, name: string, serialized: string): void;
  close(): Promise<void>;
}

export async function startStore(kind: StoreKind, o: MlflowFixtureOptions = {}): Promise<ContractStore> {
  return kind === "vigil" ? vigilStore(await startTestServer({ VIGIL_ANONYMOUS_ROLE: "admin" })) : fixtureStore(await startMlflowFixture(o));
}

function vigilStore(s: TestServer): ContractStore {
  return {
    kind: "vigil",
    url: s.url,
    vigil: s,
    fixture: null,
    seed: (exp, list) => seedTraces(s.ctx, Number(exp), list),
    vigilAssessments(exp) {
      const rows = s.db.$client
        .prepare(
          `SELECT trace_id, name FROM assessments WHERE experiment_id = ? AND json_extract(metadata, '$."vigil.scorer_id"') IS NOT NULL ORDER BY trace_id, name`,
        )
        .all(Number(exp)) as { trace_id: string; name: string }[];
      return rows.map((r) => `${r.trace_id}|${r.name}`);
    },
    scorer(exp, name) {
      const sc = getScorer({ ctx: s.ctx, input: { experiment_id: exp, name } });
      return { version: sc.version, sampleRate: sc.sampleRate, filterString: sc.filterString ?? null };
    },
    scorerNames: (exp) =>
      listScorers({ ctx: s.ctx, input: { experiment_id: exp } })
        .map((x) => x.name)
        .sort(),
    scorerVersions: (exp, name) => listScorerVersions({ ctx: s.ctx, input: { experiment_id: exp, name } }).map((v) => v.version),
    addForeignScorer(exp, name, serialized) {
      registerScorer({ ctx: s.ctx, input: { experiment_id: exp, name, serialized_scorer: serialized } });
    },
    close: () => s.close(),
  };
}

function fixtureStore(f: MlflowFixture): ContractStore {
  const st = f.state;
  const scorerOf = (exp: string, name: string) => {
    const sc = st.scorers.find((x) => x.experiment_id === exp && x.name === name);
    if (!sc) throw new Error(`no scorer ${name} on the fixture's experiment ${exp}`);
    return sc;
  };
  return {
    kind: "mlflow",
    url: f.url,
    vigil: null,
    fixture: f,
    seed: async (exp, list) => f.seedTraces(exp, list),
    vigilAssessments(exp) {
      const out: string[] = [];
      for (const t of st.traces.values()) {
        if (t.experimentId !== exp) continue;
        for (const a of t.assessments) if (a.metadata["vigil.scorer_id"] !== undefined) out.push(`${t.traceId}|${a.assessment_name}`);
      }
      return out.sort();
    },
    scorer(exp, name) {
      const sc = scorerOf(exp, name);
      return { version: sc.versions.at(-1)!.version, sampleRate: sc.config?.sample_rate ?? 0, filterString: sc.config?.filter_string ?? null };
    },
    scorerNames: (exp) =>
      st.scorers
        .filter((x) => x.experiment_id === exp)
        .map((x) => x.name)
        .sort(),
    scorerVersions: (exp, name) => scorerOf(exp, name).versions.map((v) => v.version),
    addForeignScorer(exp, name, serialized) {
      let sc = st.scorers.find((x) => x.experiment_id === exp && x.name === name);
      if (!sc) st.scorers.push((sc = { scorer_id: st.newScorerId(), experiment_id: exp, name, versions: [], config: null }));
      sc.versions.push({ version: (sc.versions.at(-1)?.version ?? 0) + 1, serialized, creation_time: st.now() });
    },
    close: () => f.close(),
  };
}
