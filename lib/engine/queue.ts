// The engine's queues on the SQL port: the lease claims of engine_tasks and jobs (one definition
// each, also used by the synchronous SQLite engine in tasks.ts and jobs/job-step.ts), and a
// claimed task's settlement. On Postgres the claims lock with FOR UPDATE SKIP LOCKED, so any number
// of workers take disjoint work; a settlement is accepted only from the lease's owner, so a worker
// that stopped mid-lease and comes back cannot settle what another worker took over.
import { claimLeasedSql, type LeaseQuery } from "@/db/lease-claim";
import { fx, type Dialect, type Sql } from "@/db/sql";
import { utcDay } from "./cost";

/** A claimed task of engine_tasks. */
export interface TaskRow {
  task_id: number;
  trace_id: string;
  experiment_id: number;
  scorer_id: string;
  scorer_name: string;
  scorer_version: number;
  kind: "code" | "judge" | "session" | "session_judge";
  job_id: string | null;
  attempts: number;
  trace_time_ms: number;
  /** A create was sent to a non-atomic sink without an answer: look before writing again. */
  write_attempted: number;
  /** Session tasks (lib/engine/sessions): the session scored whole. */
  session_id: string | null;
}

const TASK_COLUMNS =
  "task_id, trace_id, experiment_id, scorer_id, scorer_name, scorer_version, kind, job_id, attempts, trace_time_ms, write_attempted, session_id";

/** Due tasks of one kind (@kind), online before jobs, oldest due first; held scorers wait (@heldAll, @heldOnline: JSON arrays). */
export const taskClaim = (d: Dialect): LeaseQuery => ({
  table: "engine_tasks",
  key: "task_id",
  due: `kind = @kind AND next_attempt_at <= @now AND scorer_id NOT IN ${fx.jsonStrings(d, "@heldAll")}
        AND (job_id IS NOT NULL OR scorer_id NOT IN ${fx.jsonStrings(d, "@heldOnline")})`,
  order: "priority, next_attempt_at, task_id",
  returning: TASK_COLUMNS,
});

/** The oldest job still scanning, or one whose worker died; its owner may take it again. */
export const JOB_CLAIM: LeaseQuery = {
  table: "jobs",
  key: "job_id",
  due: "kind IN ('assess', 'backfill') AND status IN ('QUEUED', 'RUNNING') AND NOT scan_done",
  order: "created_at, job_id",
  returning: "job_id",
  set: "status = 'RUNNING', heartbeat_at = @now, started_at = COALESCE(started_at, @now)",
  orOwn: true,
};

/** Scorers paused after an account failure or out of today's budget (all work waits), and paused online configs. */
export const HELD_ALL_SQL = `SELECT r.scorer_id FROM engine_scorer_runtime r
   WHERE r.account_paused_reason IS NOT NULL
      OR (r.daily_budget_usd IS NOT NULL AND r.daily_budget_usd <= (SELECT COALESCE(SUM(u.cost_usd), 0) FROM engine_usage u
            WHERE u.experiment_id = r.experiment_id AND u.scorer_name = r.scorer_name AND u.day = ?))`;
export const HELD_ONLINE_SQL = "SELECT scorer_id FROM online_configs WHERE paused_reason IS NOT NULL";

export async function heldScorersOn(sql: Sql, now: number): Promise<{ all: string[]; online: string[] }> {
  const all = await sql.all<{ scorer_id: string }>(HELD_ALL_SQL, [utcDay(now)]);
  const online = await sql.all<{ scorer_id: string }>(HELD_ONLINE_SQL);
  return { all: all.map((r) => r.scorer_id), online: online.map((r) => r.scorer_id) };
}

export interface ClaimArgs {
  owner: string;
  now: number;
  leaseMs: number;
  limit: number;
}

/** Leases up to `limit` due tasks of one kind to `owner`, in task order. */
export async function claimTasksOn(sql: Sql, kind: TaskRow["kind"], a: ClaimArgs): Promise<TaskRow[]> {
  if (a.limit <= 0) return [];
  const held = await heldScorersOn(sql, a.now);
  const rows = await claimLeasedSql<TaskRow>(sql, taskClaim(sql.dialect), {
    ...a,
    params: { kind, heldAll: JSON.stringify(held.all), heldOnline: JSON.stringify(held.online) },
  });
  return rows.sort((x, y) => x.task_id - y.task_id);
}

/** Removes a task its owner finished; false when the lease was lost (another worker has it now). */
export async function completeTaskOn(sql: Sql, taskId: number, owner: string): Promise<boolean> {
  return (await sql.run("DELETE FROM engine_tasks WHERE task_id = ? AND lease_owner = ?", [taskId, owner])).changes === 1;
}

/** Gives a task back for a later attempt, counting it; false when the lease was lost. */
export async function retryTaskOn(
  sql: Sql,
  taskId: number,
  owner: string,
  w: { attempts: number; nextAttemptAt: number; lastError: string },
): Promise<boolean> {
  const r = await sql.run(
    `UPDATE engine_tasks SET attempts = ?, next_attempt_at = ?, last_error = ?, lease_owner = NULL, lease_expires_at = NULL
     WHERE task_id = ? AND lease_owner = ?`,
    [w.attempts, w.nextAttemptAt, w.lastError, taskId, owner],
  );
  return r.changes === 1;
}

/** Leases the job to scan next to `owner` (its own again while it holds it); undefined when none is due. */
export async function claimJobOn(sql: Sql, a: Omit<ClaimArgs, "limit">): Promise<string | undefined> {
  const [r] = await claimLeasedSql<{ job_id: string }>(sql, JOB_CLAIM, { ...a, limit: 1 });
  return r?.job_id;
}
