// Online scoring of a remote experiment: reads new traces from MLflow by search, in (timestamp,
// trace id) order from the experiment's cursor, without MLflow's one-hour and 500-trace limits,
// samples them exactly as MLflow would, and queues the sampled pairs in the same transaction
// that moves the cursor. The pair step then scores them and writes the assessments to MLflow.
import { stmt } from "./stmt";
import { decideTrace, needsFilterData, traceMatcher, type Candidate } from "@/lib/engine/decide";
import { blockOf, samplingScorers, spentToday, type EngineScorer } from "@/lib/engine/scorer-set";
import { Recorder } from "@/lib/engine/store";
import type { TraceData, TraceInfoV3 } from "@/lib/mlflow/types";
import type { LinkRow, RemoteCtx } from "./context";
import { vigilRunsOnline } from "./mlflow-runnable";
import { after, queuePairs, traceTimeOf, type QueuedPair } from "./queue-pairs";
import { recordTraffic } from "./traffic";

/** The search MLflow's own scheduler makes, minus its limits: evaluation-run traces are left out. */
export function windowFilter(fromTs: number, toTs: number, extra?: string | null): string {
  const parts = [`trace.timestamp_ms >= ${fromTs}`, `trace.timestamp_ms <= ${toTs}`, "metadata.`mlflow.sourceRun` IS NULL"];
  if (extra) parts.push(extra);
  return parts.join(" AND ");
}

export const ORDER = ["timestamp_ms ASC", "request_id ASC"];

/** Whether a trace may still receive spans: then neither it nor anything after it is taken yet. */
export function stillOpen(info: TraceInfoV3, now: number, quietMs: number): boolean {
  return info.state === "IN_PROGRESS" && now - traceTimeOf(info) < quietMs;
}

type Cand = EngineScorer & Candidate;

async function fullTraces(rc: RemoteCtx, ids: string[]): Promise<Map<string, TraceData>> {
  const out = new Map<string, TraceData>();
  for (let i = 0; i < ids.length; i += 100) {
    for (const t of await rc.backend.batchGetTraces(ids.slice(i, i + 100))) out.set(t.info.trace_id, t);
  }
  return out;
}

/** Sampled pairs of a page, with the funnel's matched/sampled/skipped counts. */
async function decidePage(rc: RemoteCtx, link: LinkRow, infos: TraceInfoV3[], rec: Recorder): Promise<QueuedPair[]> {
  const db = rc.e.ctx.db;
  const spent = spentToday(db, link.experiment_id, rc.e.ctx.now());
  const cands: Cand[] = samplingScorers(db, link.experiment_id).map((s) => ({ ...s, block: blockOf(s, spent.get(s.name) ?? 0, true) }));
  if (!cands.some((c) => vigilRunsOnline(link.scored_by, c.serialized))) return [];
  const data = needsFilterData(cands) ? await fullTraces(rc, infos.map((i) => i.trace_id)) : new Map<string, TraceData>();
  const pairs: QueuedPair[] = [];
  for (const info of infos) {
    const ts = traceTimeOf(info);
    for (const d of decideTrace(info.trace_id, cands, traceMatcher(data.get(info.trace_id)))) {
      rec.tally.addDecision(link.experiment_id, ts, d);
      // As in embedded mode, a paused, over-budget or account-paused scorer skips the trace (the
      // funnel says why); queued pairs it already had wait for it instead. Sampling runs over
      // every scorer either way, so MLflow and Vigil pick the same traces for the ones they run.
      if (!d.run) continue;
      if (vigilRunsOnline(link.scored_by, d.candidate.serialized)) pairs.push({ info, scorer: d.candidate });
      else rec.tally.add(link.experiment_id, d.candidate.name, ts, "skipped", "mlflow_scores");
    }
  }
  return pairs;
}

/** Reads and queues the experiment's new traces for at most `budgetMs`; returns traces taken. */
export async function scanOnline(rc: RemoteCtx, link: LinkRow, budgetMs = 1000): Promise<number> {
  const db = rc.e.ctx.db.$client;
  const t0 = performance.now();
  const now = rc.e.ctx.now();
  const end = now - rc.bufferMs;
  if (link.cursor_ts > end) return 0;
  let cursor = { ts: link.cursor_ts, id: link.cursor_trace_id };
  let taken = 0;
  let pageToken: string | undefined;
  // One filter for the whole scan: a page token belongs to the search that issued it.
  const filter = windowFilter(link.cursor_ts, end);
  do {
    const page = await rc.backend.searchTraces({
      experimentIds: [link.remote_experiment_id],
      filter,
      orderBy: ORDER,
      maxResults: rc.pageSize,
      pageToken,
    });
    pageToken = page.nextPageToken;
    const fresh: TraceInfoV3[] = [];
    let blocked = false;
    for (const info of page.traces) {
      if (!after(traceTimeOf(info), info.trace_id, cursor.ts, cursor.id)) continue;
      if (stillOpen(info, now, rc.e.ctx.config.VIGIL_TRACE_QUIET_MS)) {
        blocked = true;
        break;
      }
      fresh.push(info);
    }
    if (fresh.length) {
      const rec = new Recorder(rc.e.ctx.db, now, rc.e.workerId, rc.e.store.sink);
      const pairs = await decidePage(rc, link, fresh, rec);
      const last = fresh[fresh.length - 1]!;
      const next = { ts: traceTimeOf(last), id: last.trace_id };
      const from = cursor;
      const moved = db.transaction(() => {
        // Moves only from where this scan started: another worker that got there first wins.
        const r = db
          .prepare("UPDATE remote_experiments SET cursor_ts = ?, cursor_trace_id = ?, last_scan_at = ?, updated_at = ? WHERE experiment_id = ? AND cursor_ts = ? AND cursor_trace_id = ?")
          .run(next.ts, next.id, now, now, link.experiment_id, from.ts, from.id);
        if (r.changes !== 1) return false;
        const q = queuePairs(db, pairs, null, now);
        recordTraffic(db, link.experiment_id, fresh);
        for (const p of q.alreadyScored) rec.skip({ trace: { traceId: p.info.trace_id, experimentId: link.experiment_id, timeMs: traceTimeOf(p.info) }, scorer: p.scorer }, null, "already_scored");
        rec.flush();
        return true;
      }).immediate();
      if (!moved) return taken;
      cursor = next;
      taken += fresh.length;
    }
    if (blocked) break;
  } while (pageToken && performance.now() - t0 < budgetMs);
  if (!pageToken) stmt(db, "UPDATE remote_experiments SET last_scan_at = ? WHERE experiment_id = ?").run(now, link.experiment_id);
  return taken;
}
