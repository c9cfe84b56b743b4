// A million-trace store for benchmarks (search, dashboard): deterministic traces bulk-loaded
// into experiment 1 without the change-tracking triggers, then ANALYZEd.
import type { Ctx } from "@/lib/core";

const DAY = 86_400_000;
const log = (s: string) => process.stderr.write(`${s}\n`);

let seed = 11;
const rand = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x80000000;
};
const hex = (n: number, w: number) => n.toString(16).padStart(w, "0");

/** N traces of one experiment (id 1) over the last 30 days, each with one LLM or TOOL span; 3% errors. */
export function generateTraces(ctx: Ctx, N: number): void {
  const sqlite = ctx.db.$client;
  // A bulk load: the change-tracking triggers (engine outbox, archive and metrics queues) are not the subject here.
  for (const name of sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").pluck().all() as string[]) sqlite.exec(`DROP TRIGGER "${name}"`);
  sqlite.prepare("INSERT INTO experiments (experiment_id, name, creation_time, last_update_time) VALUES (1, 'bench', 0, 0)").run();
  const insTrace = sqlite.prepare(
    `INSERT INTO traces (trace_id, experiment_id, name, request_time, execution_duration_ms, end_time_ms, state, request_preview,
       response_preview, trace_metadata, tags, last_span_at, completed_at, span_count)
     VALUES (?, 1, 'support_agent', ?, ?, ?, ?, ?, ?, ?, '{}', ?, ?, 2)`,
  );
  const insSpan = sqlite.prepare(
    `INSERT INTO spans (trace_id, span_id, parent_span_id, name, span_type, start_time_ns, end_time_ns, start_ms, end_ms, status_code, attributes)
     VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, '{}')`,
  );
  const start = Date.now() - 30 * DAY;
  const step = (30 * DAY) / N;
  const t0 = performance.now();
  for (let from = 0; from < N; from += 100_000) {
    sqlite.transaction(() => {
      for (let k = from; k < Math.min(N, from + 100_000); k++) {
        const id = `tr-${hex(k, 32)}`;
        const at = Math.floor(start + k * step);
        const dur = 200 + Math.floor(rand() * 8000);
        const error = rand() < 0.03;
        const user = `user-${Math.floor(rand() * 5000)}`;
        insTrace.run(
          id,
          at,
          dur,
          at + dur,
          error ? "ERROR" : "OK",
          `question ${k % 97}`,
          `answer ${k % 89}`,
          JSON.stringify({ "mlflow.trace.user": user }),
          at + dur,
          at + dur,
        );
        const type = rand() < 0.2 ? "TOOL" : "LLM";
        insSpan.run(
          id,
          hex(k, 16),
          type === "TOOL" ? "lookup_order" : "chat",
          type,
          `${at}000000`,
          `${at + dur}000000`,
          at,
          at + dur,
          error && type === "TOOL" ? "STATUS_CODE_ERROR" : "STATUS_CODE_OK",
        );
      }
    })();
  }
  sqlite.exec("ANALYZE");
  log(`generated ${N.toLocaleString("en-US")} traces in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
