-- Filters on who and which session a trace belongs to are common and selective; these
-- expression indexes match the SQL the filter compiler emits for metadata.<key> = value.
CREATE INDEX `traces_meta_user_idx` ON `traces` (`experiment_id`, `trace_metadata` ->> '$."mlflow.trace.user"', `request_time`);--> statement-breakpoint
CREATE INDEX `traces_meta_session_idx` ON `traces` (`experiment_id`, `trace_metadata` ->> '$."mlflow.trace.session"', `request_time`);--> statement-breakpoint
CREATE INDEX `traces_meta_source_run_idx` ON `traces` (`experiment_id`, `trace_metadata` ->> '$."mlflow.sourceRun"', `request_time`);
