-- As SQLite's 0031: OTLP ingest records a completion itself (outbox row, traffic, session join)
-- and marks the trace completion_recorded = 1; these triggers now act only for the other writers.
DROP TRIGGER engine_trace_completed_on_insert ON traces;
--> statement-breakpoint
DROP TRIGGER engine_trace_completed_on_update ON traces;
--> statement-breakpoint
DROP TRIGGER traffic_trace_completed_on_insert ON traces;
--> statement-breakpoint
DROP TRIGGER traffic_trace_completed_on_update ON traces;
--> statement-breakpoint
DROP TRIGGER engine_session_join_on_insert ON traces;
--> statement-breakpoint
DROP TRIGGER engine_session_join_on_complete ON traces;
--> statement-breakpoint
CREATE TRIGGER engine_trace_completed_on_insert AFTER INSERT ON traces
  FOR EACH ROW WHEN (NEW.completed_at IS NOT NULL AND NEW.completion_recorded = 0) EXECUTE FUNCTION engine_trace_completed_fn();
--> statement-breakpoint
CREATE TRIGGER engine_trace_completed_on_update AFTER UPDATE OF completed_at ON traces
  FOR EACH ROW WHEN (OLD.completed_at IS NULL AND NEW.completed_at IS NOT NULL AND NEW.completion_recorded = 0) EXECUTE FUNCTION engine_trace_completed_fn();
--> statement-breakpoint
CREATE TRIGGER traffic_trace_completed_on_insert AFTER INSERT ON traces
  FOR EACH ROW WHEN (NEW.completed_at IS NOT NULL AND NEW.completion_recorded = 0) EXECUTE FUNCTION traffic_trace_completed_fn();
--> statement-breakpoint
CREATE TRIGGER traffic_trace_completed_on_update AFTER UPDATE OF completed_at ON traces
  FOR EACH ROW WHEN (OLD.completed_at IS NULL AND NEW.completed_at IS NOT NULL AND NEW.completion_recorded = 0) EXECUTE FUNCTION traffic_trace_completed_fn();
--> statement-breakpoint
CREATE TRIGGER engine_session_join_on_insert AFTER INSERT ON traces
  FOR EACH ROW WHEN (NEW.completed_at IS NOT NULL AND NEW.trace_metadata::jsonb ->> 'mlflow.trace.session' IS NOT NULL AND NEW.completion_recorded = 0)
  EXECUTE FUNCTION engine_session_join_fn('insert');
--> statement-breakpoint
CREATE TRIGGER engine_session_join_on_complete AFTER UPDATE OF completed_at ON traces
  FOR EACH ROW WHEN (OLD.completed_at IS NULL AND NEW.completed_at IS NOT NULL AND NEW.trace_metadata::jsonb ->> 'mlflow.trace.session' IS NOT NULL AND NEW.completion_recorded = 0)
  EXECUTE FUNCTION engine_session_join_fn('complete');
