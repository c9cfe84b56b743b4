// What the remote MLflow can do, from GET /version at each full sync (so at link time, and again
// after an upgrade). Online scoring's routes (scorers/online-config(s)) exist from 3.9 on;
// /v1/traces from 3.4 (MLflow's own Python client gates log_spans on it, rest_store.py). A server
// without /version predates both and is treated as old. Without online scoring MLflow cannot
// score, so Vigil scores every linked experiment, whatever scored_by says, and says so.
import { cachedStatement } from "@/db/cached-statement";
import type Database from "better-sqlite3";
import { parseMlflowVersion, versionAtLeast } from "@/lib/mlflow/version";

export interface ServerCapabilities {
  /** GET /version's text; null when the server has no such route. */
  version: string | null;
  onlineScoring: boolean;
  otlp: boolean;
  /** What Vigil does differently because of the version, in a sentence; null when nothing. */
  note: string | null;
}

/** Pure: the capabilities a version text (or its absence) implies. */
export function serverCapabilities(version: string | null): ServerCapabilities {
  const v = version === null ? null : parseMlflowVersion(version);
  const onlineScoring = versionAtLeast(v, 3, 9);
  const otlp = versionAtLeast(v, 3, 4);
  let note: string | null = null;
  if (version === null) {
    note = "MLflow has no GET /version (404): treated as a server older than 3.4, without online scoring or /v1/traces. Vigil scores every experiment.";
  } else if (v === null) {
    note = `MLflow's version '${version}' is not a version number: treated as old, without online scoring. Vigil scores every experiment.`;
  } else if (!otlp) {
    note = `MLflow ${version} predates 3.4: no online scoring and no /v1/traces (clients upload spans as traces.json). Vigil scores every experiment.`;
  } else if (!onlineScoring) {
    note = `MLflow ${version} predates 3.9 and has no online scoring: Vigil scores every experiment.`;
  }
  return { version, onlineScoring, otlp, note };
}

export function recordServerVersion(db: Database.Database, version: string | null, now: number): ServerCapabilities {
  const caps = serverCapabilities(version);
  cachedStatement(
    db,
    `INSERT INTO remote_status (id, server_version, server_checked_at, online_scoring) VALUES (1, @v, @now, @online)
     ON CONFLICT (id) DO UPDATE SET server_version = @v, server_checked_at = @now, online_scoring = @online`,
  ).run({ v: version, now, online: caps.onlineScoring ? 1 : 0 });
  return caps;
}

/** The capabilities last recorded; null before the first check (then nothing is assumed either way). */
export function storedCapabilities(db: Database.Database): ServerCapabilities | null {
  const row = cachedStatement(db, "SELECT server_version, server_checked_at FROM remote_status WHERE id = 1").get() as
    { server_version: string | null; server_checked_at: number | null } | undefined;
  return row?.server_checked_at == null ? null : serverCapabilities(row.server_version);
}
