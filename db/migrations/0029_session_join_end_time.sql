-- Custom SQL (issue 16): a turn joins its session at its end time (its completion in Vigil if that
-- is earlier), so imported history is complete at once while live turns still wait for the buffer.
-- Sessions still due from before keep their join time.
DROP TRIGGER IF EXISTS `engine_session_join_on_insert`;
--> statement-breakpoint
CREATE TRIGGER `engine_session_join_on_insert` AFTER INSERT ON `traces`
WHEN NEW.`completed_at` IS NOT NULL AND json_extract(NEW.`trace_metadata`, '$."mlflow.trace.session"') IS NOT NULL
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
WHEN OLD.`completed_at` IS NULL AND NEW.`completed_at` IS NOT NULL AND json_extract(NEW.`trace_metadata`, '$."mlflow.trace.session"') IS NOT NULL
BEGIN
  INSERT INTO `engine_sessions` (`experiment_id`, `session_id`, `first_time_ms`, `last_time_ms`, `turns`, `last_joined_at`, `revision`)
  VALUES (NEW.`experiment_id`, json_extract(NEW.`trace_metadata`, '$."mlflow.trace.session"'), NEW.`request_time`, NEW.`request_time`, 1, min(COALESCE(NEW.`end_time_ms`, NEW.`completed_at`), NEW.`completed_at`), 1)
  ON CONFLICT (`experiment_id`, `session_id`) DO UPDATE SET
    `first_time_ms` = min(`first_time_ms`, excluded.`first_time_ms`), `last_time_ms` = max(`last_time_ms`, excluded.`last_time_ms`),
    `turns` = `turns` + 1, `last_joined_at` = max(`last_joined_at`, excluded.`last_joined_at`), `revision` = `revision` + 1;
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `engine_session_join_on_metadata`;
--> statement-breakpoint
CREATE TRIGGER `engine_session_join_on_metadata` AFTER UPDATE OF `trace_metadata` ON `traces`
WHEN OLD.`completed_at` IS NOT NULL AND json_extract(OLD.`trace_metadata`, '$."mlflow.trace.session"') IS NULL
  AND json_extract(NEW.`trace_metadata`, '$."mlflow.trace.session"') IS NOT NULL
BEGIN
  INSERT INTO `engine_sessions` (`experiment_id`, `session_id`, `first_time_ms`, `last_time_ms`, `turns`, `last_joined_at`, `revision`)
  VALUES (NEW.`experiment_id`, json_extract(NEW.`trace_metadata`, '$."mlflow.trace.session"'), NEW.`request_time`, NEW.`request_time`, 1, max(min(COALESCE(NEW.`end_time_ms`, NEW.`completed_at`), NEW.`completed_at`), NEW.`last_span_at`), 1)
  ON CONFLICT (`experiment_id`, `session_id`) DO UPDATE SET
    `first_time_ms` = min(`first_time_ms`, excluded.`first_time_ms`), `last_time_ms` = max(`last_time_ms`, excluded.`last_time_ms`),
    `turns` = `turns` + 1, `last_joined_at` = max(`last_joined_at`, excluded.`last_joined_at`), `revision` = `revision` + 1;
END;
