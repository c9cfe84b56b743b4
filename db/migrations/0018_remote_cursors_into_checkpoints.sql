-- One cursor table for both stores: a remote experiment's online-scoring cursor moves from
-- remote_experiments into checkpoints (the embedded store's progress row per experiment).
INSERT INTO checkpoints (experiment_id, timestamp_ms, trace_id, updated_at)
SELECT experiment_id, cursor_ts, cursor_trace_id, updated_at FROM remote_experiments WHERE true
ON CONFLICT (experiment_id) DO UPDATE SET timestamp_ms = excluded.timestamp_ms, trace_id = excluded.trace_id, updated_at = excluded.updated_at;
