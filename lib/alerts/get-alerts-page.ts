// Everything the alerts page shows, for what the actor may read: incidents (open first), active
// silences, receivers with their last answer, and the scorers that can be silenced.
import { requireRole, type VerbArgs } from "@/lib/core";
import { listAlertChannels, type AlertChannelJson } from "./channels";
import { listAlerts, type AlertJson } from "./list-alerts";
import { listSilences, type SilenceJson } from "./silences";

export interface AlertsPage {
  open: AlertJson[];
  history: AlertJson[];
  silences: (SilenceJson & { experiment_name: string })[];
  channels: AlertChannelJson[];
  targets: { experimentId: string; experimentName: string; scorer: string }[];
  /** Experiments a channel may be limited to. */
  experiments: { id: string; name: string }[];
}

export function getAlertsPage({ ctx }: VerbArgs<Record<string, never>>): AlertsPage {
  requireRole(ctx.actor, "viewer");
  const all = listAlerts({ ctx, input: { max_results: 300 } }).alerts;
  const scope = ctx.actor.experimentId;
  const experiments = ctx.db.$client
    .prepare(`SELECT experiment_id AS id, name FROM experiments WHERE lifecycle_stage = 'active' ${scope != null ? "AND experiment_id = ?" : ""} ORDER BY name`)
    .all(...(scope != null ? [scope] : [])) as { id: number; name: string }[];
  const silences = experiments.flatMap((e) => listSilences({ ctx, input: { experiment_id: e.id } }).silences.map((s) => ({ ...s, experiment_name: e.name })));
  const targets = experiments.flatMap((e) =>
    (ctx.db.$client.prepare("SELECT name FROM scorers WHERE experiment_id = ? ORDER BY name").pluck().all(e.id) as string[]).map((scorer) => ({
      experimentId: String(e.id),
      experimentName: e.name,
      scorer,
    })),
  );
  return {
    open: all.filter((a) => a.state === "FIRING"),
    history: all.filter((a) => a.state === "RESOLVED"),
    silences,
    channels: listAlertChannels({ ctx, input: {} }).channels,
    targets,
    experiments: experiments.map((e) => ({ id: String(e.id), name: e.name })),
  };
}
