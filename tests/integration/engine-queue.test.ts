// The engine's queues on the SQL port (lib/engine/queue.ts), on both dialects: task claims skip
// live leases and held scorers, settle only under the lease, and job claims let the owner resume;
// then several workers with their own connections (pools on Postgres: as separate processes would)
// drain one queue while one of them stops mid-lease: every task is settled exactly once, none by
// the stopped worker, none lost.
import { describe, expect, it } from "vitest";
import type { Sql } from "@/db/sql";
import { sqliteSql } from "@/db/sql-sqlite";
import { openDb } from "@/db/client";
import { openPgDb } from "@/db/pg/client";
import { pgSql } from "@/db/pg/sql";
import { claimJobOn, claimTasksOn, completeTaskOn, retryTaskOn } from "@/lib/engine/queue";
import { DIALECTS, pgTestSettings, useBothDatabases } from "./pg.helpers";

const both = useBothDatabases("queue", { resetEach: true });

async function addTasks(sql: Sql, n: number, over: { scorerId?: string; jobId?: string | null; kind?: string; due?: number } = {}): Promise<void> {
  const start = ((await sql.get<{ n: number }>("SELECT COUNT(*) AS n FROM engine_tasks"))?.n ?? 0) + 1;
  for (let i = start; i < start + n; i++) {
    await sql.run(
      `INSERT INTO engine_tasks (trace_id, experiment_id, scorer_id, scorer_name, scorer_version, kind, job_id, priority, next_attempt_at, trace_time_ms, created_at)
       VALUES (:trace, 1, :scorer, 'q', 1, :kind, :job, :priority, :due, 0, 0)`,
      {
        trace: `tr-${over.scorerId ?? "s"}-${i}`,
        scorer: over.scorerId ?? "s",
        kind: over.kind ?? "judge",
        job: over.jobId ?? null,
        priority: over.jobId ? 1 : 0,
        due: over.due ?? 0,
      },
    );
  }
}

describe.each(DIALECTS)("the engine's queues on %s", (dialect) => {
  const sql = () => both.sql(dialect);

  it("claims due tasks of one kind, online first, skipping live leases and held scorers", async () => {
    await addTasks(sql(), 3, { jobId: "job-1" });
    await addTasks(sql(), 3);
    await addTasks(sql(), 2, { kind: "code" });
    await addTasks(sql(), 2, { scorerId: "paused" });
    await addTasks(sql(), 1, { due: 5_000 });
    await sql().run(
      "INSERT INTO engine_scorer_runtime (scorer_id, experiment_id, scorer_name, account_paused_reason, updated_at) VALUES ('paused', 1, 'p', 'bad key', 0)",
    );
    const ids = (rows: { task_id: number }[]) => rows.map((t) => t.task_id);
    // Ids 1-3: a job's, 4-6: online, 7-8: code tasks, 9-10: a paused scorer's, 11: due at 5000.
    // Online first (4, 5, 6), then the job's; answered in task order.
    const a = await claimTasksOn(sql(), "judge", { owner: "a", now: 100, leaseMs: 1000, limit: 4 });
    expect(ids(a)).toEqual([1, 4, 5, 6]);
    expect(ids(await claimTasksOn(sql(), "judge", { owner: "b", now: 200, leaseMs: 1000, limit: 10 }))).toEqual([2, 3]);
    expect(await claimTasksOn(sql(), "judge", { owner: "c", now: 300, leaseMs: 1000, limit: 10 })).toEqual([]);
    // Settlement only under the lease: b cannot complete a's task; a's retry gives it back.
    expect(await completeTaskOn(sql(), 4, "b")).toBe(false);
    expect(await completeTaskOn(sql(), 4, "a")).toBe(true);
    expect(await retryTaskOn(sql(), 5, "a", { attempts: 1, nextAttemptAt: 400, lastError: "429" })).toBe(true);
    const c = await claimTasksOn(sql(), "judge", { owner: "c", now: 400, leaseMs: 1000, limit: 10 });
    expect(c.map((t) => [t.task_id, t.attempts])).toEqual([[5, 1]]);
    // Every lease ran out by 5000: the rest go to whoever claims, with the task due then.
    expect(ids(await claimTasksOn(sql(), "judge", { owner: "d", now: 5_000, leaseMs: 1000, limit: 10 }))).toEqual([1, 2, 3, 5, 6, 11]);
    expect(await completeTaskOn(sql(), 6, "a")).toBe(false);
    expect(ids(await claimTasksOn(sql(), "code", { owner: "d", now: 5_000, leaseMs: 1000, limit: 10 }))).toEqual([7, 8]);
  });

  it("leases the oldest scanning job, lets its owner take it again, and hands it over when the lease runs out", async () => {
    for (const [id, created, scanDone] of [
      ["j-old", 1, false],
      ["j-new", 2, false],
      ["j-done", 0, true],
    ] as const) {
      await sql().run("INSERT INTO jobs (job_id, kind, experiment_id, created_at, scan_done) VALUES (:id, 'backfill', 1, :created, :scanDone)", {
        id,
        created,
        scanDone,
      });
    }
    expect(await claimJobOn(sql(), { owner: "a", now: 10, leaseMs: 100 })).toBe("j-old");
    expect(await claimJobOn(sql(), { owner: "b", now: 20, leaseMs: 100 })).toBe("j-new");
    expect(await claimJobOn(sql(), { owner: "a", now: 30, leaseMs: 100 })).toBe("j-old");
    expect(await claimJobOn(sql(), { owner: "c", now: 40, leaseMs: 100 })).toBeUndefined();
    expect(await claimJobOn(sql(), { owner: "c", now: 131, leaseMs: 100 })).toBe("j-old");
    expect(await sql().get("SELECT status, started_at, heartbeat_at, lease_owner FROM jobs WHERE job_id = 'j-old'")).toEqual({
      status: "RUNNING",
      started_at: 10,
      heartbeat_at: 131,
      lease_owner: "c",
    });
  });

  it("several workers on their own connections: each task settled once, the stopped worker's tasks taken over", async () => {
    const N = 300;
    await addTasks(sql(), N);
    // Workers as separate processes would be: their own connection (SQLite) or pool (Postgres).
    const own: { sql: Sql; close: () => Promise<void> }[] = [];
    for (let i = 0; i < 3; i++) {
      if (dialect === "pg") {
        const pool = (await openPgDb(pgTestSettings(both.pgUrl, { poolMax: 2 }), { migrate: false })).$client;
        own.push({ sql: pgSql(pool), close: () => pool.end() });
      } else {
        const db = openDb(both.sqlite.$client.name, { migrate: false });
        own.push({ sql: sqliteSql(db.$client), close: async () => void db.$client.close() });
      }
    }
    try {
      const LEASE = 1_000;
      // The stopped worker: claims a batch at t=0 and is never heard from again.
      const lost = await claimTasksOn(own[0]!.sql, "judge", { owner: "stopped", now: 0, leaseMs: LEASE, limit: 25 });
      expect(lost).toHaveLength(25);
      const settled = new Map<number, string>();
      const claims: { id: number; owner: string; at: number }[] = [];
      let clock = 10;
      const work = async (s: Sql, owner: string) => {
        for (let idle = 0; idle < 3;) {
          const now = (clock += 7);
          const got = await claimTasksOn(s, "judge", { owner, now, leaseMs: LEASE, limit: 5 });
          for (const t of got) claims.push({ id: t.task_id, owner, at: now });
          for (const t of got) {
            if (await completeTaskOn(s, t.task_id, owner)) {
              expect(settled.has(t.task_id), `task ${t.task_id} settled twice`).toBe(false);
              settled.set(t.task_id, owner);
            }
          }
          if (got.length) idle = 0;
          else if (now > LEASE) idle++;
          else clock += 50;
        }
      };
      await Promise.all([work(own[1]!.sql, "w1"), work(own[2]!.sql, "w2")]);
      expect(await completeTaskOn(own[0]!.sql, lost[0]!.task_id, "stopped")).toBe(false);
      expect(settled.size).toBe(N);
      expect(await sql().get("SELECT COUNT(*) AS n FROM engine_tasks")).toEqual({ n: 0 });
      // No task was claimed by two live workers: a second claim of a task is never before the lease ran out.
      const firstClaim = new Map<number, number>();
      for (const c of claims) {
        if (!firstClaim.has(c.id)) firstClaim.set(c.id, c.at);
        else throw new Error(`task ${c.id} claimed again at ${c.at} by ${c.owner}`);
      }
      for (const t of lost) expect(firstClaim.get(t.task_id)!).toBeGreaterThan(LEASE);
      expect(new Set(settled.values())).toEqual(new Set(["w1", "w2"]));
    } finally {
      for (const o of own) await o.close();
    }
  });
});
