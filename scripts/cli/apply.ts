// `vigil scorers apply <file>`: read the declared scorers, read the server's, print the plan,
// then register and set sampling configs over MLflow's REST routes. Idempotent: a second run
// finds nothing to change. A pause set by an operator is never undone (see docs/scorers.md).
import {
  formatPlan,
  formatRate,
  hasChanges,
  planApply,
  resolveScorersConfig,
  type CurrentScorer,
  type MlflowScorerJson,
  type OnlineConfigJson,
  type PlanItem,
} from "@/lib/monitoring";
import { alertRuleBody, formatAlertPlan, planAlerts } from "@/lib/alerts/plan-alerts";
import type { AlertRuleJson } from "@/lib/alerts/rule-store";
import { loadConfigFile } from "./load-config";
import { RestClient, RestError } from "./rest";

export interface ApplyOptions {
  file: string;
  url: string;
  token?: string;
  dryRun: boolean;
  out: (line: string) => void;
}

interface ShadowJson {
  version: number;
  state: string;
  serialized_scorer: string;
}

interface ExperimentJson {
  experiment_id: string;
  name: string;
  lifecycle_stage: string;
}

const S = "/api/3.0/mlflow/scorers";

async function findExperiment(rest: RestClient, sel: { name: string } | { id: string }): Promise<ExperimentJson | null> {
  try {
    const r =
      "name" in sel
        ? await rest.get<{ experiment: ExperimentJson }>("/api/2.0/mlflow/experiments/get-by-name", { experiment_name: sel.name })
        : await rest.get<{ experiment: ExperimentJson }>("/api/2.0/mlflow/experiments/get", { experiment_id: sel.id });
    if (r.experiment.lifecycle_stage !== "active")
      throw new Error(`Experiment '${r.experiment.name}' (#${r.experiment.experiment_id}) is deleted; restore it first.`);
    return r.experiment;
  } catch (e) {
    if (e instanceof RestError && e.errorCode === "RESOURCE_DOES_NOT_EXIST") {
      if ("id" in sel) throw new Error(`No experiment with id ${sel.id} on the server.`);
      return null;
    }
    throw e;
  }
}

/** The server's scorers: MLflow's list + online configs, and Vigil's pause state when it has it. */
async function readCurrent(rest: RestClient, experimentId: string): Promise<CurrentScorer[]> {
  const { scorers = [] } = await rest.get<{ scorers?: MlflowScorerJson[] }>(`${S}/list`, { experiment_id: experimentId });
  if (scorers.length === 0) return [];
  const { configs = [] } = await rest.get<{ configs?: OnlineConfigJson[] }>(`${S}/online-configs`, { scorer_ids: scorers.map((s) => s.scorer_id) });
  const paused = new Map<string, string>();
  const shadows = new Map<string, { version: number; serializedScorer: string }>();
  try {
    const vigil = await rest.get<{ scorers: { name: string; paused_reason?: string }[] }>("/api/v1/scorers", { experiment_id: experimentId });
    for (const s of vigil.scorers) if (s.paused_reason !== undefined) paused.set(s.name, s.paused_reason);
    for (const s of scorers) {
      const r = await rest.get<{ shadows: ShadowJson[] }>(`/api/v1/scorers/${encodeURIComponent(s.scorer_name)}/shadows`, { experiment_id: experimentId });
      const running = r.shadows.find((x) => x.state === "shadow");
      if (running) shadows.set(s.scorer_name, { version: running.version, serializedScorer: running.serialized_scorer });
    }
  } catch (e) {
    // A plain MLflow server has no /api/v1: it has no pause and no shadows either.
    if (!(e instanceof RestError && e.status === 404 && e.errorCode === "ENDPOINT_NOT_FOUND")) throw e;
  }
  const configOf = new Map(configs.map((c) => [c.scorer_id, c]));
  return scorers.map((s) => ({
    name: s.scorer_name,
    version: s.scorer_version,
    scorerId: s.scorer_id,
    serializedScorer: s.serialized_scorer,
    sampleRate: configOf.get(s.scorer_id)?.sample_rate ?? 0,
    filterString: configOf.get(s.scorer_id)?.filter_string ?? null,
    pausedReason: paused.get(s.scorer_name) ?? null,
    shadow: shadows.get(s.scorer_name) ?? null,
  }));
}

/** Vigil's shadow routes (docs/scorers.md, "Shadow versions"); a plain MLflow server has none. */
async function applyShadow(rest: RestClient, experimentId: string, item: PlanItem, serializedScorer: string, out: (line: string) => void): Promise<number> {
  const base = `/api/v1/scorers/${encodeURIComponent(item.name)}/shadows`;
  if (item.shadow === "promote") {
    const r = await rest.post<{ scorer: { version: number } }>(`${base}/${item.shadowVersion}/promote`, {
      experiment_id: experimentId,
      reason: "scorers apply",
    });
    out(`  promoted ${item.name} v${r.scorer.version} (v${item.currentVersion} stopped)`);
    return 1;
  }
  if (item.shadow === "replace") {
    await rest.post(`${base}/${item.shadowVersion}/discard`, { experiment_id: experimentId, reason: "scorers apply: replaced" });
    out(`  discarded shadow ${item.name} v${item.shadowVersion}`);
  }
  const r = await rest.post<{ shadow: { version: number } }>(base, { experiment_id: experimentId, serialized_scorer: serializedScorer });
  out(`  registered ${item.name} v${r.shadow.version} as a shadow of v${item.currentVersion}`);
  return item.shadow === "replace" ? 2 : 1;
}

export async function applyCommand(o: ApplyOptions): Promise<void> {
  const config = resolveScorersConfig(await loadConfigFile(o.file));
  const rest = new RestClient({ url: o.url, token: o.token });
  const experiment = await findExperiment(rest, config.experiment);
  const current = experiment ? await readCurrent(rest, experiment.experiment_id) : [];
  const plan = planApply(config.scorers, current);
  const currentAlerts =
    experiment && config.alerts.length
      ? (await rest.get<{ rules: AlertRuleJson[] }>("/api/v1/alerts/rules", { experiment_id: experiment.experiment_id })).rules
      : [];
  const alertPlan = planAlerts(config.alerts, currentAlerts);

  const expLabel = experiment
    ? `'${experiment.name}' (#${experiment.experiment_id})`
    : `'${(config.experiment as { name: string }).name}' (new: will be created)`;
  o.out(`Scorers for experiment ${expLabel} at ${o.url}, from ${o.file}:`);
  for (const w of config.warnings) o.out(`  warning: ${w}`);
  for (const line of formatPlan(plan)) o.out(line);
  if (config.alerts.length) for (const line of formatAlertPlan(alertPlan)) o.out(line);
  const refused = plan.items.filter((i) => i.refused !== null);
  if (refused.length) throw new Error(`Refused: ${refused.map((i) => `${i.name}: ${i.refused}`).join("; ")}. Nothing was applied.`);
  if (o.dryRun) {
    o.out("Dry run: nothing was applied.");
    return;
  }
  const alertChanges = alertPlan.items.filter((i) => i.change !== "unchanged");
  if (!hasChanges(plan) && alertChanges.length === 0) return;

  let experimentId = experiment?.experiment_id;
  if (!experimentId) {
    const name = (config.experiment as { name: string }).name;
    experimentId = (await rest.post<{ experiment_id: string }>("/api/2.0/mlflow/experiments/create", { name })).experiment_id;
    o.out(`  created experiment '${name}' (#${experimentId})`);
  }
  const desired = new Map(config.scorers.map((s) => [s.name, s]));
  let registered = 0;
  let configured = 0;
  let shadowed = 0;
  for (const item of plan.items) {
    const d = desired.get(item.name)!;
    if (item.register) {
      const r = await rest.post<{ version: number }>(`${S}/register`, { experiment_id: experimentId, name: d.name, serialized_scorer: d.serializedScorer });
      o.out(`  registered ${d.name} v${r.version}`);
      registered++;
    }
    if (item.setSampling) {
      await rest.put(`${S}/online-config`, {
        experiment_id: experimentId,
        name: d.name,
        sample_rate: d.sampleRate,
        ...(d.filterString !== null ? { filter_string: d.filterString } : {}),
      });
      const filter = d.filterString === null ? "every trace" : JSON.stringify(d.filterString);
      o.out(`  ${d.sampleRate > 0 ? "sampling" : "stopped"} ${d.name}: rate ${formatRate(d.sampleRate)}, filter ${filter}`);
      configured++;
    }
    // After the sampling config: a shadow needs its scorer started.
    if (item.shadow) shadowed += await applyShadow(rest, experimentId, item, d.serializedScorer, o.out);
  }
  // After the scorers, so a rule can name a scorer registered just now.
  for (const item of alertChanges) {
    await rest.put("/api/v1/alerts/rules", alertRuleBody(experimentId, item.rule));
    o.out(`  ${item.change === "new" ? "created" : "updated"} alert ${item.name}`);
  }
  o.out(
    `Applied: ${registered} registration${registered === 1 ? "" : "s"}, ${configured} sampling config${configured === 1 ? "" : "s"}${shadowed ? `, ${shadowed} shadow change${shadowed === 1 ? "" : "s"}` : ""}${config.alerts.length ? `, ${alertChanges.length} alert rule${alertChanges.length === 1 ? "" : "s"}` : ""}.`,
  );
}
