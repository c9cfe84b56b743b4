// Online scoring's backlog, the same for both stores: traces taken by neither intake nor the
// runner yet, i.e. completed ones still in the outbox (only Vigil's own store has one) and traces
// whose online pairs wait in the queue. The scorer page and the lag alert both read it here.
import type Database from "better-sqlite3";
import { cachedStatement } from "@/db/cached-statement";

export function onlineBacklog(db: Database.Database, experimentId: number): { traces: number; oldestAt: number | null } {
  const r = cachedStatement(
    db,
    `SELECT COUNT(*) AS n, MIN(at) AS oldest FROM (
       SELECT trace_id, completed_at AS at FROM engine_completions WHERE experiment_id = @exp
       UNION SELECT trace_id, MIN(created_at) AS at FROM engine_tasks WHERE experiment_id = @exp AND job_id IS NULL GROUP BY trace_id)`,
  ).get({ exp: experimentId }) as { n: number; oldest: number | null };
  return { traces: r.n, oldestAt: r.oldest };
}
