-- Custom SQL: what the SQLite migrations create by hand (partial and expression indexes, the
-- triggers that keep the outbox, queues, traffic and sessions, the engine_scores view), written
-- for Postgres with the same names. tests/integration/pg-triggers.test.ts runs the same writes on
-- both dialects and compares the derived rows; pg-parity.test.ts checks every name exists.
-- SQLite differences handled here: CAST(real AS INTEGER) truncates (pg rounds: trunc()), a
-- comparison is 0/1 (pg boolean: CASE), min/max of two values (LEAST/GREATEST), json_* over text
-- (::jsonb), unixepoch('subsec') per statement (statement_timestamp()).
CREATE FUNCTION vigil_now_ms() RETURNS bigint LANGUAGE sql STABLE AS $$
  SELECT (extract(epoch FROM statement_timestamp()) * 1000)::bigint
$$;
--> statement-breakpoint
-- The filter grammar's json_valid(): a text that is not JSON counts as no value.
-- json, not jsonb: the member's text stays as stored, as SQLite's -> gives it for Vigil's compact JSON.
CREATE FUNCTION vigil_try_json(doc text) RETURNS json LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  RETURN doc::json;
EXCEPTION WHEN others THEN
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- Latency histogram bin (lib/metrics/latency-histogram.ts, ratio 1.05).
CREATE FUNCTION vigil_latency_bin(ms bigint) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN ms < 1 THEN 0 ELSE 1 + trunc(ln(ms) / 0.04879016416943205)::integer END
$$;
--> statement-breakpoint
CREATE UNIQUE INDEX "assessments_scorer_pair_uq" ON "assessments" ("trace_id", "scorer_id", "scorer_version") WHERE "scorer_id" IS NOT NULL AND "valid";
--> statement-breakpoint
-- The quiet-period scan only looks at incomplete traces.
CREATE INDEX "traces_incomplete_quiet_idx" ON "traces" ("last_span_at") WHERE "completed_at" IS NULL;
--> statement-breakpoint
CREATE INDEX "traces_meta_user_idx" ON "traces" ("experiment_id", ("trace_metadata"::jsonb ->> 'mlflow.trace.user'), "request_time");
--> statement-breakpoint
CREATE INDEX "traces_meta_session_idx" ON "traces" ("experiment_id", ("trace_metadata"::jsonb ->> 'mlflow.trace.session'), "request_time");
--> statement-breakpoint
CREATE INDEX "traces_meta_source_run_idx" ON "traces" ("experiment_id", ("trace_metadata"::jsonb ->> 'mlflow.sourceRun'), "request_time");
--> statement-breakpoint
-- Engine outbox: every trace that becomes complete, once, in commit order.
CREATE FUNCTION engine_trace_completed_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO engine_completions (trace_id, experiment_id, completed_at) VALUES (NEW.trace_id, NEW.experiment_id, NEW.completed_at);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER engine_trace_completed_on_insert AFTER INSERT ON traces
  FOR EACH ROW WHEN (NEW.completed_at IS NOT NULL) EXECUTE FUNCTION engine_trace_completed_fn();
--> statement-breakpoint
CREATE TRIGGER engine_trace_completed_on_update AFTER UPDATE OF completed_at ON traces
  FOR EACH ROW WHEN (OLD.completed_at IS NULL AND NEW.completed_at IS NOT NULL) EXECUTE FUNCTION engine_trace_completed_fn();
--> statement-breakpoint
-- Archive queue: only experiments with archival on (pg allows no subquery in WHEN: it is here).
CREATE FUNCTION archive_q_fn() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
BEGIN
  IF EXISTS (SELECT 1 FROM archive_settings s WHERE s.experiment_id = r.experiment_id AND s.enabled) THEN
    INSERT INTO archive_queue (trace_id, experiment_id, enqueued_at) VALUES (r.trace_id, r.experiment_id, vigil_now_ms())
    ON CONFLICT (trace_id) DO NOTHING;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER archive_q_trace_insert AFTER INSERT ON traces
  FOR EACH ROW WHEN (NEW.completed_at IS NOT NULL) EXECUTE FUNCTION archive_q_fn();
--> statement-breakpoint
CREATE TRIGGER archive_q_trace_update AFTER UPDATE ON traces
  FOR EACH ROW WHEN (NEW.completed_at IS NOT NULL) EXECUTE FUNCTION archive_q_fn();
--> statement-breakpoint
CREATE TRIGGER archive_q_assessment_insert AFTER INSERT ON assessments FOR EACH ROW EXECUTE FUNCTION archive_q_fn();
--> statement-breakpoint
CREATE TRIGGER archive_q_assessment_update AFTER UPDATE ON assessments FOR EACH ROW EXECUTE FUNCTION archive_q_fn();
--> statement-breakpoint
CREATE TRIGGER archive_q_assessment_delete AFTER DELETE ON assessments FOR EACH ROW EXECUTE FUNCTION archive_q_fn();
--> statement-breakpoint
-- Metrics queue: every experiment; expectations are not scores (updates always refresh).
CREATE FUNCTION metrics_q_fn() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
BEGIN
  INSERT INTO metrics_queue (trace_id, enqueued_at) VALUES (r.trace_id, vigil_now_ms()) ON CONFLICT (trace_id) DO NOTHING;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER metrics_q_assessment_insert AFTER INSERT ON assessments
  FOR EACH ROW WHEN (NEW.kind = 'feedback') EXECUTE FUNCTION metrics_q_fn();
--> statement-breakpoint
CREATE TRIGGER metrics_q_assessment_update AFTER UPDATE ON assessments FOR EACH ROW EXECUTE FUNCTION metrics_q_fn();
--> statement-breakpoint
CREATE TRIGGER metrics_q_assessment_delete AFTER DELETE ON assessments
  FOR EACH ROW WHEN (OLD.kind = 'feedback') EXECUTE FUNCTION metrics_q_fn();
--> statement-breakpoint
-- Points are bucketed by the trace's request time, which an earlier late span can move.
CREATE FUNCTION metrics_q_trace_time_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM metric_points p WHERE p.trace_id = NEW.trace_id) THEN
    INSERT INTO metrics_queue (trace_id, enqueued_at) VALUES (NEW.trace_id, vigil_now_ms()) ON CONFLICT (trace_id) DO NOTHING;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER metrics_q_trace_time AFTER UPDATE OF request_time ON traces
  FOR EACH ROW WHEN (NEW.request_time <> OLD.request_time) EXECUTE FUNCTION metrics_q_trace_time_fn();
--> statement-breakpoint
-- Traffic: one count per completed trace in its 5-minute bucket, errors, latency histogram.
CREATE FUNCTION traffic_trace_completed_fn() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bucket bigint := (NEW.request_time / 300000) * 300000;
  bin text := vigil_latency_bin(NEW.execution_duration_ms)::text;
BEGIN
  INSERT INTO traffic (experiment_id, bucket_ms, traces, errors, latency, last_trace_at)
  VALUES (NEW.experiment_id, bucket, 1, CASE WHEN NEW.state = 'ERROR' THEN 1 ELSE 0 END, '{}', NEW.request_time)
  ON CONFLICT (experiment_id, bucket_ms) DO UPDATE SET traces = traffic.traces + 1, errors = traffic.errors + excluded.errors,
    last_trace_at = GREATEST(traffic.last_trace_at, excluded.last_trace_at);
  IF NEW.execution_duration_ms IS NOT NULL AND NEW.state <> 'IN_PROGRESS' THEN
    UPDATE traffic SET latency = jsonb_set(latency::jsonb, ARRAY[bin], to_jsonb(COALESCE((latency::jsonb ->> bin)::bigint, 0) + 1))::text
    WHERE experiment_id = NEW.experiment_id AND bucket_ms = bucket;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER traffic_trace_completed_on_insert AFTER INSERT ON traces
  FOR EACH ROW WHEN (NEW.completed_at IS NOT NULL) EXECUTE FUNCTION traffic_trace_completed_fn();
--> statement-breakpoint
CREATE TRIGGER traffic_trace_completed_on_update AFTER UPDATE OF completed_at ON traces
  FOR EACH ROW WHEN (OLD.completed_at IS NULL AND NEW.completed_at IS NOT NULL) EXECUTE FUNCTION traffic_trace_completed_fn();
--> statement-breakpoint
-- Sessions: a turn joins its session at its end time (its completion if earlier); a turn that
-- gains its session id later joins no earlier than its last span.
CREATE FUNCTION engine_session_join_fn() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  joined bigint := LEAST(COALESCE(NEW.end_time_ms, NEW.completed_at), NEW.completed_at);
BEGIN
  IF TG_ARGV[0] = 'metadata' THEN
    joined := GREATEST(joined, NEW.last_span_at);
  END IF;
  INSERT INTO engine_sessions (experiment_id, session_id, first_time_ms, last_time_ms, turns, last_joined_at, revision)
  VALUES (NEW.experiment_id, NEW.trace_metadata::jsonb ->> 'mlflow.trace.session', NEW.request_time, NEW.request_time, 1, joined, 1)
  ON CONFLICT (experiment_id, session_id) DO UPDATE SET
    first_time_ms = LEAST(engine_sessions.first_time_ms, excluded.first_time_ms), last_time_ms = GREATEST(engine_sessions.last_time_ms, excluded.last_time_ms),
    turns = engine_sessions.turns + 1, last_joined_at = GREATEST(engine_sessions.last_joined_at, excluded.last_joined_at), revision = engine_sessions.revision + 1;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER engine_session_join_on_insert AFTER INSERT ON traces
  FOR EACH ROW WHEN (NEW.completed_at IS NOT NULL AND NEW.trace_metadata::jsonb ->> 'mlflow.trace.session' IS NOT NULL)
  EXECUTE FUNCTION engine_session_join_fn('insert');
--> statement-breakpoint
CREATE TRIGGER engine_session_join_on_complete AFTER UPDATE OF completed_at ON traces
  FOR EACH ROW WHEN (OLD.completed_at IS NULL AND NEW.completed_at IS NOT NULL AND NEW.trace_metadata::jsonb ->> 'mlflow.trace.session' IS NOT NULL)
  EXECUTE FUNCTION engine_session_join_fn('complete');
--> statement-breakpoint
CREATE TRIGGER engine_session_join_on_metadata AFTER UPDATE OF trace_metadata ON traces
  FOR EACH ROW WHEN (OLD.completed_at IS NOT NULL AND OLD.trace_metadata::jsonb ->> 'mlflow.trace.session' IS NULL
    AND NEW.trace_metadata::jsonb ->> 'mlflow.trace.session' IS NOT NULL)
  EXECUTE FUNCTION engine_session_join_fn('metadata');
--> statement-breakpoint
-- The read models' scores: Vigil's engine assessments and what it wrote onto a remote MLflow,
-- without a shadow version's scores from before its promotion.
CREATE VIEW engine_scores AS
  SELECT experiment_id, name, create_time AS scored_at, error IS NOT NULL AS is_error, value, scorer_id
  FROM assessments a WHERE kind = 'feedback' AND scorer_id IS NOT NULL AND valid
    AND NOT EXISTS (SELECT 1 FROM scorer_shadows s WHERE s.scorer_id = a.scorer_id AND s.version = a.scorer_version
      AND (s.state <> 'promoted' OR a.create_time < s.decided_at))
  UNION ALL
  SELECT experiment_id, name, scored_at, is_error, value, scorer_id FROM remote_scored r
  WHERE NOT EXISTS (SELECT 1 FROM scorer_shadows s WHERE s.scorer_id = r.scorer_id AND s.version = r.scorer_version
      AND (s.state <> 'promoted' OR r.scored_at < s.decided_at));
