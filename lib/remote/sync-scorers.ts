// Keeps a remote experiment's scorers in step with MLflow. Local versions are registered there
// (so they show up in MLflow's UI), deleted ones deleted, scorers registered on MLflow by others
// imported, and MLflow's online config set by who scores: the real rate and filter when MLflow
// scores; rate 0 when Vigil does, so MLflow's scheduler never scores the same traces again.
import { cachedStatement } from "@/db/cached-statement";
import type Database from "better-sqlite3";
import { InvalidParameterError, isVigilError, NotFoundError, systemActor } from "@/lib/core";
import { registerScorer, setOnlineConfig } from "@/lib/monitoring";
import type { ExperimentLink } from "./links";
import type { RemoteCtx } from "./remote-ctx";
import { maybeApplied } from "@/lib/backend/remote";
import { mlflowRunsOnline } from "./mlflow-runnable";

interface LocalVersion {
  scorer_id: string;
  name: string;
  version: number;
  serialized_scorer: string;
}

interface LocalConfig {
  scorer_id: string;
  name: string;
  sample_rate: number | null;
  filter_string: string | null;
  paused_reason: string | null;
}

/**
 * The online config MLflow should hold for a scorer: its rate only when MLflow scores the
 * experiment and can run the scorer (otherwise Vigil runs it and MLflow must not). Pure.
 */
export function desiredConfig(
  scoredBy: ExperimentLink["scored_by"],
  c: Pick<LocalConfig, "sample_rate" | "filter_string" | "paused_reason">,
  mlflowCanRun: boolean,
): { sample_rate: number; filter_string: string | null } {
  const rate = scoredBy === "mlflow" && mlflowCanRun && !c.paused_reason ? (c.sample_rate ?? 0) : 0;
  return { sample_rate: rate, filter_string: c.filter_string || null };
}

// Which MLflow scorer version a Vigil scorer version is, and the online config MLflow holds.
const RECORD_VERSION =
  "INSERT INTO remote_scorer_versions (scorer_id, version, experiment_id, scorer_name, remote_version, synced_at) VALUES (@scorerId, @version, @experimentId, @scorerName, @remoteVersion, @now)";
const RECORD_CONFIG =
  "INSERT INTO remote_scorer_configs (scorer_id, experiment_id, scorer_name, pushed, synced_at) VALUES (@scorerId, @experimentId, @scorerName, @pushed, @now)";

async function pushVersions(rc: RemoteCtx, db: Database.Database, link: ExperimentLink): Promise<number> {
  const pending = db
    .prepare(
      `SELECT s.scorer_id, s.name, v.version, v.serialized_scorer FROM scorers s JOIN scorer_versions v ON v.scorer_id = s.scorer_id
       WHERE s.experiment_id = ? AND NOT EXISTS (SELECT 1 FROM remote_scorer_versions r WHERE r.scorer_id = v.scorer_id AND r.version = v.version)
       ORDER BY s.name, v.version`,
    )
    .all(link.experiment_id) as LocalVersion[];
  const map = cachedStatement(db, `${RECORD_VERSION} ON CONFLICT DO NOTHING`);
  for (const v of pending) {
    let remoteVersion: number;
    try {
      remoteVersion = (await rc.backend.registerScorer({ experimentId: link.remote_experiment_id, name: v.name, serializedScorer: v.serialized_scorer }))
        .scorer_version;
    } catch (e) {
      if (!maybeApplied(e)) throw e;
      // The register may have landed: take the newest remote version with this content, if any.
      const versions = await rc.backend.listScorerVersions(link.remote_experiment_id, v.name).catch(() => []);
      const taken = new Set(cachedStatement(db, "SELECT remote_version FROM remote_scorer_versions WHERE scorer_id = ?").pluck().all(v.scorer_id) as number[]);
      const match = versions
        .filter((r) => r.serialized_scorer === v.serialized_scorer && !taken.has(r.scorer_version))
        .sort((a, b) => b.scorer_version - a.scorer_version)[0];
      if (!match) throw e;
      remoteVersion = match.scorer_version;
    }
    map.run({ scorerId: v.scorer_id, version: v.version, experimentId: link.experiment_id, scorerName: v.name, remoteVersion, now: rc.ctx.now() });
  }
  return pending.length;
}

async function pushDeletes(rc: RemoteCtx, db: Database.Database, link: ExperimentLink): Promise<number> {
  const gone = db
    .prepare(
      `SELECT r.scorer_id, r.version, r.scorer_name, r.remote_version, EXISTS (SELECT 1 FROM scorers s WHERE s.scorer_id = r.scorer_id) AS scorer_left
       FROM remote_scorer_versions r WHERE r.experiment_id = ?
         AND NOT EXISTS (SELECT 1 FROM scorer_versions v WHERE v.scorer_id = r.scorer_id AND v.version = r.version)`,
    )
    .all(link.experiment_id) as { scorer_id: string; version: number; scorer_name: string; remote_version: number; scorer_left: number }[];
  for (const g of gone) {
    try {
      await rc.backend.deleteScorer(link.remote_experiment_id, g.scorer_name, g.remote_version);
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
    }
    cachedStatement(db, "DELETE FROM remote_scorer_versions WHERE scorer_id = ? AND version = ?").run(g.scorer_id, g.version);
    if (!g.scorer_left) cachedStatement(db, "DELETE FROM remote_scorer_configs WHERE scorer_id = ?").run(g.scorer_id);
  }
  return gone.length;
}

/**
 * Scorers registered on MLflow by someone else (the Python SDK, MLflow's UI) become local ones.
 * One Vigil refuses (say, a name it does not accept) is reported, and the others still come.
 */
async function importRemote(
  rc: RemoteCtx,
  db: Database.Database,
  link: ExperimentLink,
  onlineScoring: boolean,
): Promise<{ imported: number; refused: string[] }> {
  const remote = await rc.backend.listScorers(link.remote_experiment_id);
  const known = new Set(
    cachedStatement(db, "SELECT scorer_name FROM remote_scorer_versions WHERE experiment_id = ?").pluck().all(link.experiment_id) as string[],
  );
  const local = new Set(cachedStatement(db, "SELECT name FROM scorers WHERE experiment_id = ?").pluck().all(link.experiment_id) as string[]);
  let n = 0;
  const refused: string[] = [];
  const ctx = { ...rc.ctx, actor: systemActor };
  for (const r of remote) {
    if (known.has(r.scorer_name) || local.has(r.scorer_name)) continue;
    let s: ReturnType<typeof registerScorer>;
    try {
      s = registerScorer({ ctx, input: { experiment_id: String(link.experiment_id), name: r.scorer_name, serialized_scorer: r.serialized_scorer } });
    } catch (e) {
      if (!isVigilError(e)) throw e;
      refused.push(`'${r.scorer_name}': ${e.message}`);
      continue;
    }
    cachedStatement(db, RECORD_VERSION).run({
      scorerId: s.scorerId,
      version: s.version,
      experimentId: link.experiment_id,
      scorerName: r.scorer_name,
      remoteVersion: r.scorer_version,
      now: rc.ctx.now(),
    });
    const config = r.scorer_id && onlineScoring ? (await rc.backend.getOnlineConfigs([r.scorer_id]))[0] : undefined;
    if (config && config.sample_rate > 0) {
      setOnlineConfig({
        ctx,
        input: {
          experiment_id: String(link.experiment_id),
          name: r.scorer_name,
          sample_rate: config.sample_rate,
          filter_string: config.filter_string ?? undefined,
        },
      });
      // What MLflow holds already: pushed only when it changes, or when Vigil takes scoring over.
      const held = JSON.stringify({ sample_rate: config.sample_rate, filter_string: config.filter_string || null });
      cachedStatement(db, `${RECORD_CONFIG} ON CONFLICT (scorer_id) DO UPDATE SET pushed = excluded.pushed`).run({
        scorerId: s.scorerId,
        experimentId: link.experiment_id,
        scorerName: r.scorer_name,
        pushed: held,
        now: rc.ctx.now(),
      });
    }
    n++;
  }
  return { imported: n, refused };
}

async function pushConfigs(rc: RemoteCtx, db: Database.Database, link: ExperimentLink): Promise<number> {
  const rows = db
    .prepare(
      `SELECT s.scorer_id, s.name, c.sample_rate, c.filter_string, c.paused_reason, p.pushed,
         (SELECT v.serialized_scorer FROM scorer_versions v WHERE v.scorer_id = s.scorer_id ORDER BY v.version DESC LIMIT 1) AS serialized
       FROM scorers s LEFT JOIN online_configs c ON c.scorer_id = s.scorer_id LEFT JOIN remote_scorer_configs p ON p.scorer_id = s.scorer_id
       WHERE s.experiment_id = ? AND (c.scorer_id IS NOT NULL OR p.scorer_id IS NOT NULL)
         AND EXISTS (SELECT 1 FROM remote_scorer_versions r WHERE r.scorer_id = s.scorer_id)`,
    )
    .all(link.experiment_id) as (LocalConfig & { pushed: string | null; serialized: string })[];
  let n = 0;
  for (const r of rows) {
    const want = desiredConfig(link.scored_by, r, mlflowRunsOnline(r.serialized));
    const text = JSON.stringify(want);
    // Never pushed and nothing to sample: MLflow's default (no config) already means "not scoring".
    if (text === r.pushed || (r.pushed === null && want.sample_rate === 0 && !want.filter_string)) continue;
    await rc.backend.setOnlineConfig({ experimentId: link.remote_experiment_id, name: r.name, sampleRate: want.sample_rate, filterString: want.filter_string });
    cachedStatement(db, `${RECORD_CONFIG} ON CONFLICT (scorer_id) DO UPDATE SET pushed = excluded.pushed, synced_at = excluded.synced_at`).run({
      scorerId: r.scorer_id,
      experimentId: link.experiment_id,
      scorerName: r.name,
      pushed: text,
      now: rc.ctx.now(),
    });
    n++;
  }
  return n;
}

/**
 * One sync of one experiment's scorers; returns how many changes went either way. Without
 * `pull`, only local changes are pushed: that part asks MLflow nothing when nothing changed, so
 * it runs every pass and a scorer registered in Vigil shows up in MLflow within a pass.
 */
export async function syncScorers(rc: RemoteCtx, link: ExperimentLink, pull = true, onlineScoring = true): Promise<number> {
  const db = rc.ctx.db.$client;
  const imports = pull ? await importRemote(rc, db, link, onlineScoring) : { imported: 0, refused: [] };
  let n = imports.imported;
  n += await pushVersions(rc, db, link);
  n += await pushDeletes(rc, db, link);
  // A server before 3.9 has no online-config routes: nothing to push, and MLflow samples nothing.
  if (onlineScoring) n += await pushConfigs(rc, db, link);
  if (imports.refused.length) throw new InvalidParameterError(`Vigil could not import from MLflow: ${imports.refused.join("; ")}`);
  return n;
}
