-- One queue for both stores: pairs queued for a remote MLflow move into engine_tasks, with their
-- attempts, backoff and write-attempted mark. Their kind is 'code' here; the runner corrects it
-- to 'judge' for a judge's pair the first time it claims one (lib/engine/task-step.ts).
INSERT INTO engine_tasks (trace_id, experiment_id, scorer_id, scorer_name, scorer_version, kind, job_id, priority, attempts,
  next_attempt_at, last_error, write_attempted, trace_time_ms, created_at)
SELECT trace_id, experiment_id, scorer_id, scorer_name, scorer_version, 'code', job_id, priority, attempts,
  next_attempt_at, last_error, write_attempted, trace_time_ms, created_at
FROM remote_pairs WHERE true
ON CONFLICT DO NOTHING;
