CREATE TABLE `engine_session_checkpoints` (
	`experiment_id` integer PRIMARY KEY NOT NULL,
	`timestamp_ms` integer NOT NULL,
	`session_id` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `engine_session_scores` (
	`experiment_id` integer NOT NULL,
	`session_id` text NOT NULL,
	`scorer_id` text NOT NULL,
	`scorer_version` integer NOT NULL,
	`turns_key` text NOT NULL,
	`turns` integer NOT NULL,
	`assessment_id` text NOT NULL,
	`trace_id` text NOT NULL,
	`job_id` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `engine_session_scores_uq` ON `engine_session_scores` (`experiment_id`,`session_id`,`scorer_id`,`scorer_version`,`turns_key`);--> statement-breakpoint
CREATE INDEX `engine_session_scores_session_idx` ON `engine_session_scores` (`experiment_id`,`session_id`);--> statement-breakpoint
CREATE TABLE `engine_sessions` (
	`experiment_id` integer NOT NULL,
	`session_id` text NOT NULL,
	`first_time_ms` integer NOT NULL,
	`last_time_ms` integer NOT NULL,
	`turns` integer DEFAULT 0 NOT NULL,
	`last_joined_at` integer NOT NULL,
	`revision` integer DEFAULT 0 NOT NULL,
	`sampled_revision` integer DEFAULT 0 NOT NULL,
	`skip_reason` text,
	PRIMARY KEY(`experiment_id`, `session_id`)
);
--> statement-breakpoint
CREATE INDEX `engine_sessions_due_idx` ON `engine_sessions` (`last_joined_at`) WHERE "engine_sessions"."revision" > "engine_sessions"."sampled_revision";--> statement-breakpoint
CREATE INDEX `engine_sessions_exp_idx` ON `engine_sessions` (`experiment_id`,`last_time_ms`);--> statement-breakpoint
ALTER TABLE `engine_tasks` ADD `session_id` text;--> statement-breakpoint
ALTER TABLE `jobs` ADD `session_pairs` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
-- Custom SQL (issue 16) below. A session assessment superseded by a re-score stays, marked
-- invalid (MLflow's valid/overrides): the one-per-(trace, scorer, version) rule holds for valid ones.
DROP INDEX IF EXISTS `assessments_scorer_pair_uq`;
--> statement-breakpoint
CREATE UNIQUE INDEX `assessments_scorer_pair_uq` ON `assessments` (`trace_id`, `scorer_id`, `scorer_version`) WHERE `scorer_id` IS NOT NULL AND `valid` = 1;
--> statement-breakpoint
-- A completed trace with trace metadata mlflow.trace.session joins its session (one per experiment).
CREATE TRIGGER `engine_session_join_on_insert` AFTER INSERT ON `traces`
WHEN NEW.`completed_at` IS NOT NULL AND json_extract(NEW.`trace_metadata`, '$."mlflow.trace.session"') IS NOT NULL
BEGIN
  INSERT INTO `engine_sessions` (`experiment_id`, `session_id`, `first_time_ms`, `last_time_ms`, `turns`, `last_joined_at`, `revision`)
  VALUES (NEW.`experiment_id`, json_extract(NEW.`trace_metadata`, '$."mlflow.trace.session"'), NEW.`request_time`, NEW.`request_time`, 1, NEW.`completed_at`, 1)
  ON CONFLICT (`experiment_id`, `session_id`) DO UPDATE SET
    `first_time_ms` = min(`first_time_ms`, excluded.`first_time_ms`), `last_time_ms` = max(`last_time_ms`, excluded.`last_time_ms`),
    `turns` = `turns` + 1, `last_joined_at` = max(`last_joined_at`, excluded.`last_joined_at`), `revision` = `revision` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `engine_session_join_on_complete` AFTER UPDATE OF `completed_at` ON `traces`
WHEN OLD.`completed_at` IS NULL AND NEW.`completed_at` IS NOT NULL AND json_extract(NEW.`trace_metadata`, '$."mlflow.trace.session"') IS NOT NULL
BEGIN
  INSERT INTO `engine_sessions` (`experiment_id`, `session_id`, `first_time_ms`, `last_time_ms`, `turns`, `last_joined_at`, `revision`)
  VALUES (NEW.`experiment_id`, json_extract(NEW.`trace_metadata`, '$."mlflow.trace.session"'), NEW.`request_time`, NEW.`request_time`, 1, NEW.`completed_at`, 1)
  ON CONFLICT (`experiment_id`, `session_id`) DO UPDATE SET
    `first_time_ms` = min(`first_time_ms`, excluded.`first_time_ms`), `last_time_ms` = max(`last_time_ms`, excluded.`last_time_ms`),
    `turns` = `turns` + 1, `last_joined_at` = max(`last_joined_at`, excluded.`last_joined_at`), `revision` = `revision` + 1;
END;
--> statement-breakpoint
-- Session metadata written after the trace completed still joins it.
CREATE TRIGGER `engine_session_join_on_metadata` AFTER UPDATE OF `trace_metadata` ON `traces`
WHEN OLD.`completed_at` IS NOT NULL AND json_extract(OLD.`trace_metadata`, '$."mlflow.trace.session"') IS NULL
  AND json_extract(NEW.`trace_metadata`, '$."mlflow.trace.session"') IS NOT NULL
BEGIN
  INSERT INTO `engine_sessions` (`experiment_id`, `session_id`, `first_time_ms`, `last_time_ms`, `turns`, `last_joined_at`, `revision`)
  VALUES (NEW.`experiment_id`, json_extract(NEW.`trace_metadata`, '$."mlflow.trace.session"'), NEW.`request_time`, NEW.`request_time`, 1, max(NEW.`completed_at`, NEW.`last_span_at`), 1)
  ON CONFLICT (`experiment_id`, `session_id`) DO UPDATE SET
    `first_time_ms` = min(`first_time_ms`, excluded.`first_time_ms`), `last_time_ms` = max(`last_time_ms`, excluded.`last_time_ms`),
    `turns` = `turns` + 1, `last_joined_at` = max(`last_joined_at`, excluded.`last_joined_at`), `revision` = `revision` + 1;
END;
--> statement-breakpoint
-- Sessions already in the store when this migration runs.
INSERT INTO `engine_sessions` (`experiment_id`, `session_id`, `first_time_ms`, `last_time_ms`, `turns`, `last_joined_at`, `revision`)
SELECT `experiment_id`, json_extract(`trace_metadata`, '$."mlflow.trace.session"'), min(`request_time`), max(`request_time`), count(*), max(`completed_at`), count(*)
FROM `traces` WHERE `completed_at` IS NOT NULL AND json_extract(`trace_metadata`, '$."mlflow.trace.session"') IS NOT NULL
GROUP BY 1, 2;
