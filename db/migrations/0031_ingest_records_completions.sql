-- Custom SQL (issue 21): OTLP ingest writes what a completion records (outbox row, traffic count,
-- session join) itself, once per batch in set-based statements, and marks the trace
-- completion_recorded = 1. These triggers now do it only for the other writers (StartTraceV3,
-- the quiet period, the demo, imports), which leave the mark at 0. Bodies unchanged.
DROP TRIGGER IF EXISTS `engine_trace_completed_on_insert`;
--> statement-breakpoint
CREATE TRIGGER `engine_trace_completed_on_insert` AFTER INSERT ON `traces`
WHEN NEW.`completed_at` IS NOT NULL AND NEW.`completion_recorded` = 0
BEGIN
  INSERT INTO `engine_completions` (`trace_id`, `experiment_id`, `completed_at`) VALUES (NEW.`trace_id`, NEW.`experiment_id`, NEW.`completed_at`);
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `engine_trace_completed_on_update`;
--> statement-breakpoint
CREATE TRIGGER `engine_trace_completed_on_update` AFTER UPDATE OF `completed_at` ON `traces`
WHEN OLD.`completed_at` IS NULL AND NEW.`completed_at` IS NOT NULL AND NEW.`completion_recorded` = 0
BEGIN
  INSERT INTO `engine_completions` (`trace_id`, `experiment_id`, `completed_at`) VALUES (NEW.`trace_id`, NEW.`experiment_id`, NEW.`completed_at`);
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `traffic_trace_completed_on_insert`;
--> statement-breakpoint
CREATE TRIGGER `traffic_trace_completed_on_insert` AFTER INSERT ON `traces`
WHEN NEW.`completed_at` IS NOT NULL AND NEW.`completion_recorded` = 0
BEGIN
  INSERT INTO `traffic` (`experiment_id`, `bucket_ms`, `traces`, `errors`, `latency`, `last_trace_at`)
  VALUES (NEW.`experiment_id`, (NEW.`request_time` / 300000) * 300000, 1, NEW.`state` = 'ERROR', '{}', NEW.`request_time`)
  ON CONFLICT (`experiment_id`, `bucket_ms`) DO UPDATE SET `traces` = `traces` + 1, `errors` = `errors` + excluded.`errors`,
    `last_trace_at` = MAX(`last_trace_at`, excluded.`last_trace_at`);
  UPDATE `traffic` SET `latency` = json_set(`latency`, '$."' || (CASE WHEN NEW.`execution_duration_ms` < 1 THEN 0 ELSE 1 + CAST(ln(NEW.`execution_duration_ms`) / 0.04879016416943205 AS INTEGER) END) || '"',
      COALESCE(json_extract(`latency`, '$."' || (CASE WHEN NEW.`execution_duration_ms` < 1 THEN 0 ELSE 1 + CAST(ln(NEW.`execution_duration_ms`) / 0.04879016416943205 AS INTEGER) END) || '"'), 0) + 1)
  WHERE NEW.`execution_duration_ms` IS NOT NULL AND NEW.`state` <> 'IN_PROGRESS'
    AND `experiment_id` = NEW.`experiment_id` AND `bucket_ms` = (NEW.`request_time` / 300000) * 300000;
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `traffic_trace_completed_on_update`;
--> statement-breakpoint
CREATE TRIGGER `traffic_trace_completed_on_update` AFTER UPDATE OF `completed_at` ON `traces`
WHEN OLD.`completed_at` IS NULL AND NEW.`completed_at` IS NOT NULL AND NEW.`completion_recorded` = 0
BEGIN
  INSERT INTO `traffic` (`experiment_id`, `bucket_ms`, `traces`, `errors`, `latency`, `last_trace_at`)
  VALUES (NEW.`experiment_id`, (NEW.`request_time` / 300000) * 300000, 1, NEW.`state` = 'ERROR', '{}', NEW.`request_time`)
  ON CONFLICT (`experiment_id`, `bucket_ms`) DO UPDATE SET `traces` = `traces` + 1, `errors` = `errors` + excluded.`errors`,
    `last_trace_at` = MAX(`last_trace_at`, excluded.`last_trace_at`);
  UPDATE `traffic` SET `latency` = json_set(`latency`, '$."' || (CASE WHEN NEW.`execution_duration_ms` < 1 THEN 0 ELSE 1 + CAST(ln(NEW.`execution_duration_ms`) / 0.04879016416943205 AS INTEGER) END) || '"',
      COALESCE(json_extract(`latency`, '$."' || (CASE WHEN NEW.`execution_duration_ms` < 1 THEN 0 ELSE 1 + CAST(ln(NEW.`execution_duration_ms`) / 0.04879016416943205 AS INTEGER) END) || '"'), 0) + 1)
  WHERE NEW.`execution_duration_ms` IS NOT NULL AND NEW.`state` <> 'IN_PROGRESS'
    AND `experiment_id` = NEW.`experiment_id` AND `bucket_ms` = (NEW.`request_time` / 300000) * 300000;
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `engine_session_join_on_insert`;
--> statement-breakpoint
CREATE TRIGGER `engine_session_join_on_insert` AFTER INSERT ON `traces`
WHEN NEW.`completed_at` IS NOT NULL AND json_extract(NEW.`trace_metadata`, '$."mlflow.trace.session"') IS NOT NULL AND NEW.`completion_recorded` = 0
BEGIN
  INSERT INTO `engine_sessions` (`experiment_id`, `session_id`, `first_time_ms`, `last_time_ms`, `turns`, `last_joined_at`, `revision`)
  VALUES (NEW.`experiment_id`, json_extract(NEW.`trace_metadata`, '$."mlflow.trace.session"'), NEW.`request_time`, NEW.`request_time`, 1, min(COALESCE(NEW.`end_time_ms`, NEW.`completed_at`), NEW.`completed_at`), 1)
  ON CONFLICT (`experiment_id`, `session_id`) DO UPDATE SET
    `first_time_ms` = min(`first_time_ms`, excluded.`first_time_ms`), `last_time_ms` = max(`last_time_ms`, excluded.`last_time_ms`),
    `turns` = `turns` + 1, `last_joined_at` = max(`last_joined_at`, excluded.`last_joined_at`), `revision` = `revision` + 1;
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `engine_session_join_on_complete`;
--> statement-breakpoint
CREATE TRIGGER `engine_session_join_on_complete` AFTER UPDATE OF `completed_at` ON `traces`
WHEN OLD.`completed_at` IS NULL AND NEW.`completed_at` IS NOT NULL AND json_extract(NEW.`trace_metadata`, '$."mlflow.trace.session"') IS NOT NULL AND NEW.`completion_recorded` = 0
BEGIN
  INSERT INTO `engine_sessions` (`experiment_id`, `session_id`, `first_time_ms`, `last_time_ms`, `turns`, `last_joined_at`, `revision`)
  VALUES (NEW.`experiment_id`, json_extract(NEW.`trace_metadata`, '$."mlflow.trace.session"'), NEW.`request_time`, NEW.`request_time`, 1, min(COALESCE(NEW.`end_time_ms`, NEW.`completed_at`), NEW.`completed_at`), 1)
  ON CONFLICT (`experiment_id`, `session_id`) DO UPDATE SET
    `first_time_ms` = min(`first_time_ms`, excluded.`first_time_ms`), `last_time_ms` = max(`last_time_ms`, excluded.`last_time_ms`),
    `turns` = `turns` + 1, `last_joined_at` = max(`last_joined_at`, excluded.`last_joined_at`), `revision` = `revision` + 1;
END;
