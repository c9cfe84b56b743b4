// The MLflow-REST store's trace source: online scoring reads each linked experiment's new traces
// by search, in (timestamp, trace id) order from its cursor, without MLflow's one-hour and
// 500-trace limits; the intake transaction moves the cursor (from where the page was read, so
// another worker that got there first wins) and records the traffic. Jobs read their selection
// by search, or by batch get for listed trace ids.
import type Database from "better-sqlite3";
import { cachedStatement } from "@/db/cached-statement";
import { idChunks } from "@/db/in-chunks";
import { InvalidStateError, isVigilError, UpstreamUnavailableError } from "@/lib/core";
import type { JobParams, JobRow } from "@/lib/engine/jobs/job-params";
import type { JobCursor, JobPage, OnlinePage, SourceTrace, TraceNeed, TraceSource } from "@/lib/engine/ports";
import { matchesTrace, parseFilter } from "@/lib/mlflow/filter";
import type { TraceData, TraceInfoV3 } from "@/lib/mlflow/types";
import { findLink, listLinks, type ExperimentLink } from "./links";
import { vigilRunsOnline } from "./mlflow-runnable";
import type { RemoteCtx } from "./remote-ctx";
import { recordTraffic, traceTimeOf } from "./traffic";
import { joinSessions } from "@/lib/engine/sessions/session-table";
import { sessionJoins } from "./session-joins";

export { traceTimeOf };

/** (ts, id) order, the order MLflow's search answers in and the cursors move in. */
export function after(ts: number, id: string, cursorTs: number, cursorId: string): boolean {
  return ts > cursorTs || (ts === cursorTs && id > cursorId);
}

export const ORDER = ["timestamp_ms ASC", "request_id ASC"];

/** The search MLflow's own scheduler makes, minus its limits: evaluation-run traces are left out. */
export function windowFilter(fromTs: number, toTs: number, extra?: string | null): string {
  const parts = [`trace.timestamp_ms >= ${fromTs}`, `trace.timestamp_ms <= ${toTs}`, "metadata.`mlflow.sourceRun` IS NULL"];
  if (extra) parts.push(extra);
  return parts.join(" AND ");
}

/** The MLflow filter for a job's window and filter; backfills leave evaluation-run traces out, as online scoring does. */
export function jobFilter(kind: JobRow["kind"], p: JobParams, fromTs: number | null): string {
  const parts: string[] = [];
  if (fromTs !== null) parts.push(`trace.timestamp_ms >= ${fromTs}`);
  if (p.endMs !== null) parts.push(`trace.timestamp_ms < ${p.endMs}`);
  if (kind === "backfill") parts.push("metadata.`mlflow.sourceRun` IS NULL");
  if (p.filterString) parts.push(p.filterString);
  return parts.join(" AND ");
}

/** Whether a trace may still receive spans: then neither it nor anything after it is taken yet. */
export function stillOpen(info: TraceInfoV3, now: number, quietMs: number): boolean {
  return info.state === "IN_PROGRESS" && now - traceTimeOf(info) < quietMs;
}

const sourceTrace = (experimentId: number, info: TraceInfoV3): SourceTrace => ({ traceId: info.trace_id, experimentId, timeMs: traceTimeOf(info), info });

/** An error saying traces' spans cannot be read yet (TraceNotLoadableError through the backend). */
export function unloadableOf(e: unknown): { count: number; reason: string } | null {
  if (!(e instanceof UpstreamUnavailableError) || e.details?.notLoadable !== true) return null;
  return { count: Number(e.details.count ?? 1), reason: `${String(e.details.traceId)}: ${String(e.details.reason ?? e.message)}` };
}

/** Notes on the experiment how many traces wait because their spans cannot be read, and why. */
export function noteUnloadable(db: Database.Database, experimentId: number, u: { count: number; reason: string }, now: number): void {
  cachedStatement(db, "UPDATE remote_experiments SET unloadable_traces = ?, unloadable_reason = ?, unloadable_at = ? WHERE experiment_id = ?").run(
    u.count,
    u.reason,
    now,
    experimentId,
  );
}

/** Once an experiment's traces load again, its count goes back to 0 (the last reason stays, with its time). */
function clearUnloadable(db: Database.Database, loaded: Iterable<TraceData>): void {
  const remoteIds = new Set<string>();
  for (const t of loaded) remoteIds.add(t.info.trace_location.mlflow_experiment?.experiment_id ?? "");
  for (const id of remoteIds)
    cachedStatement(db, "UPDATE remote_experiments SET unloadable_traces = 0 WHERE remote_experiment_id = ? AND unloadable_traces != 0").run(id);
}

/** Notes MLflow's definitive refusal (a 4xx) on the experiment it concerns; cleared by the next full sync. */
export function noteRefusal(db: Database.Database, experimentId: number, message: string, now: number): void {
  cachedStatement(db, "UPDATE remote_experiments SET last_error = ?, last_error_at = ? WHERE experiment_id = ? AND last_error IS NOT ?").run(
    message,
    now,
    experimentId,
    message,
  );
}

/** Full traces from MLflow by id, 100 a request; traces MLflow does not return are absent. */
export async function loadRemoteTraces(rc: RemoteCtx, ids: readonly string[]): Promise<Map<string, TraceData>> {
  const out = new Map<string, TraceData>();
  for (const page of idChunks(ids, 100)) for (const t of await rc.backend.batchGetTraces(page)) out.set(t.info.trace_id, t);
  return out;
}

export function remoteSource(rc: RemoteCtx): TraceSource {
  const db = (): Database.Database => rc.ctx.db.$client;
  let rotation = 0;

  const loadTraces = (ids: readonly string[]) => loadRemoteTraces(rc, ids);

  /**
   * loadTraces for one experiment's work: traces it cannot read are noted on the experiment (for
   * queued pairs, the experiment of the first such trace's task), then the work waits.
   */
  async function loadFor(experimentId: number | null, ids: readonly string[]): Promise<Map<string, TraceData>> {
    try {
      const got = await loadTraces(ids);
      clearUnloadable(db(), got.values());
      return got;
    } catch (e) {
      const u = unloadableOf(e);
      const id = u ? String((e as UpstreamUnavailableError).details?.traceId) : null;
      const exp =
        experimentId ??
        (id ? (cachedStatement(db(), "SELECT experiment_id FROM engine_tasks WHERE trace_id = ? LIMIT 1").pluck().get(id) as number | undefined) : undefined);
      if (u && exp !== undefined) noteUnloadable(db(), exp, u, rc.ctx.now());
      throw e;
    }
  }

  /** The experiment's next page after its cursor, or null when nothing complete is new. */
  async function scan(link: ExperimentLink, limit: number, need: TraceNeed): Promise<OnlinePage | null> {
    const now = rc.ctx.now();
    const end = now - rc.bufferMs;
    if (link.cursor_ts > end) return null;
    const q = {
      experimentIds: [link.remote_experiment_id],
      filter: windowFilter(link.cursor_ts, end),
      orderBy: ORDER,
      maxResults: Math.min(limit, rc.pageSize),
    };
    const fresh: TraceInfoV3[] = [];
    let blocked = false;
    let page = await rc.backend.searchTraces(q);
    for (;;) {
      for (const info of page.traces) {
        if (!after(traceTimeOf(info), info.trace_id, link.cursor_ts, link.cursor_trace_id)) continue;
        if (stillOpen(info, now, rc.ctx.config.VIGIL_TRACE_QUIET_MS)) {
          blocked = true;
          break;
        }
        fresh.push(info);
      }
      // A page made only of traces at the cursor's own millisecond: read on rather than spin.
      if (fresh.length || blocked || !page.nextPageToken) break;
      page = await rc.backend.searchTraces({ ...q, pageToken: page.nextPageToken });
    }
    if (fresh.length === 0) {
      if (!blocked) cachedStatement(db(), "UPDATE remote_experiments SET last_scan_at = ? WHERE experiment_id = ?").run(now, link.experiment_id);
      return null;
    }
    const data =
      need === "data"
        ? await loadFor(
            link.experiment_id,
            fresh.map((i) => i.trace_id),
          )
        : new Map<string, TraceData>();
    const last = fresh[fresh.length - 1]!;
    return {
      traces: fresh.map((i) => sourceTrace(link.experiment_id, i)),
      data,
      taken: fresh.length,
      full: Boolean(page.nextPageToken) && !blocked,
      consume() {
        const r = cachedStatement(
          db(),
          `UPDATE checkpoints SET timestamp_ms = @ts, trace_id = @id, updated_at = @now
           WHERE experiment_id = @exp AND timestamp_ms = @fromTs AND trace_id = @fromId`,
        ).run({ ts: traceTimeOf(last), id: last.trace_id, now, exp: link.experiment_id, fromTs: link.cursor_ts, fromId: link.cursor_trace_id });
        if (r.changes !== 1) return "lost";
        cachedStatement(db(), "UPDATE remote_experiments SET last_scan_at = ?, updated_at = ? WHERE experiment_id = ?").run(now, now, link.experiment_id);
        recordTraffic(db(), link.experiment_id, fresh);
        // Each turn joins its session once, with the page (lib/remote/sessions.ts).
        joinSessions(db(), sessionJoins(link.experiment_id, fresh, now));
        return new Set<string>();
      },
    };
  }

  return {
    preload: true,
    loadTraces: (ids) => loadFor(null, ids),

    scoredElsewhere(experimentId, serialized) {
      const link = findLink(db(), experimentId);
      return link !== undefined && !vigilRunsOnline(link.scored_by, serialized);
    },

    async onlinePage(limit, need) {
      const links = listLinks(db());
      // Experiments take turns, so one with a backlog does not starve the others.
      for (let k = 0; k < links.length; k++) {
        const link = links[(rotation + k) % links.length]!;
        try {
          const page = await scan(link, limit, need(link.experiment_id));
          if (page) {
            rotation = (rotation + k + 1) % links.length;
            return page;
          }
        } catch (e) {
          // Traces whose spans cannot be read hold this experiment's scan (noted on it); the others go on.
          if (unloadableOf(e)) continue;
          // MLflow unreachable fails the pass (everything needs it); a refusal concerns this experiment.
          if (!isVigilError(e) || e instanceof UpstreamUnavailableError) throw e;
          noteRefusal(db(), link.experiment_id, e.message, rc.ctx.now());
          rc.log(`remote experiment ${link.remote_experiment_id}: ${e.message}`);
        }
      }
      return null;
    },

    async jobPage(job, p, cursor, limit, wantData): Promise<JobPage> {
      const link = findLink(db(), job.experimentId);
      if (!link) throw new InvalidStateError(`Experiment ${job.experimentId} is not linked to the remote MLflow.`);
      if (p.traceIds) return listedPage(job, p, cursor, (ids) => loadFor(job.experimentId, ids));
      const q = {
        experimentIds: [link.remote_experiment_id],
        filter: jobFilter(job.kind, p, cursor.ts ?? p.startMs),
        orderBy: ORDER,
        maxResults: Math.min(limit, rc.pageSize),
      };
      const fresh = (traces: TraceInfoV3[]) => traces.filter((t) => cursor.ts === null || after(traceTimeOf(t), t.trace_id, cursor.ts, cursor.traceId ?? ""));
      let page = await rc.backend.searchTraces(q);
      let infos = fresh(page.traces);
      while (infos.length === 0 && page.nextPageToken) {
        page = await rc.backend.searchTraces({ ...q, pageToken: page.nextPageToken });
        infos = fresh(page.traces);
      }
      // Backfill sampling filters are evaluated on the trace's content, as online scoring does.
      const data = wantData
        ? await loadFor(
            job.experimentId,
            infos.map((i) => i.trace_id),
          )
        : new Map<string, TraceData>();
      const last = infos[infos.length - 1];
      return {
        traces: infos.map((i) => sourceTrace(job.experimentId, i)),
        data,
        next: last ? { ts: traceTimeOf(last), traceId: last.trace_id, scanned: cursor.scanned + infos.length } : cursor,
        missing: 0,
        done: !page.nextPageToken,
      };
    },
  };
}

/** A page of an assess job's listed trace ids: the cursor counts ids looked at, found or not. */
async function listedPage(job: JobRow, p: JobParams, cursor: JobCursor, load: (ids: readonly string[]) => Promise<Map<string, TraceData>>): Promise<JobPage> {
  const ids = p.traceIds!.slice(cursor.scanned, cursor.scanned + 100);
  const got = await load(ids);
  const filter = p.filterString ? parseFilter(p.filterString) : null;
  const traces: SourceTrace[] = [];
  for (const id of ids) {
    const t = got.get(id);
    if (t && (!filter || matchesTrace(filter, t))) traces.push(sourceTrace(job.experimentId, t.info));
  }
  return {
    traces,
    data: got,
    next: { ...cursor, scanned: cursor.scanned + ids.length },
    missing: ids.length - got.size,
    done: cursor.scanned + ids.length >= p.traceIds!.length,
  };
}
