-- Change tracking for archival and rollups, decoupled from the writers: whatever path writes an
-- assessment or completes a trace (engine, REST, demo, SDK), these triggers note what became
-- stale, and the maintenance tick (lib/archive/maintenance-tick.ts) catches up.
-- Upserts, not INSERT OR IGNORE: an outer INSERT OR ABORT would override an OR clause here.

-- Archive queue: only for experiments with archival enabled, and only complete traces (the tick
-- drops incomplete ones; their completion enqueues them again).
CREATE TRIGGER `archive_q_trace_insert` AFTER INSERT ON `traces`
WHEN NEW.`completed_at` IS NOT NULL
  AND EXISTS (SELECT 1 FROM `archive_settings` s WHERE s.`experiment_id` = NEW.`experiment_id` AND s.`enabled` = 1)
BEGIN
  INSERT INTO `archive_queue` (`trace_id`, `experiment_id`, `enqueued_at`)
  VALUES (NEW.`trace_id`, NEW.`experiment_id`, CAST(unixepoch('subsec') * 1000 AS INTEGER))
  ON CONFLICT (`trace_id`) DO NOTHING;
END;
--> statement-breakpoint
-- Any later change to a complete trace (late spans touch the row, tags, metadata, state).
CREATE TRIGGER `archive_q_trace_update` AFTER UPDATE ON `traces`
WHEN NEW.`completed_at` IS NOT NULL
  AND EXISTS (SELECT 1 FROM `archive_settings` s WHERE s.`experiment_id` = NEW.`experiment_id` AND s.`enabled` = 1)
BEGIN
  INSERT INTO `archive_queue` (`trace_id`, `experiment_id`, `enqueued_at`)
  VALUES (NEW.`trace_id`, NEW.`experiment_id`, CAST(unixepoch('subsec') * 1000 AS INTEGER))
  ON CONFLICT (`trace_id`) DO NOTHING;
END;
--> statement-breakpoint
CREATE TRIGGER `archive_q_assessment_insert` AFTER INSERT ON `assessments`
WHEN EXISTS (SELECT 1 FROM `archive_settings` s WHERE s.`experiment_id` = NEW.`experiment_id` AND s.`enabled` = 1)
BEGIN
  INSERT INTO `archive_queue` (`trace_id`, `experiment_id`, `enqueued_at`)
  VALUES (NEW.`trace_id`, NEW.`experiment_id`, CAST(unixepoch('subsec') * 1000 AS INTEGER))
  ON CONFLICT (`trace_id`) DO NOTHING;
END;
--> statement-breakpoint
CREATE TRIGGER `archive_q_assessment_update` AFTER UPDATE ON `assessments`
WHEN EXISTS (SELECT 1 FROM `archive_settings` s WHERE s.`experiment_id` = NEW.`experiment_id` AND s.`enabled` = 1)
BEGIN
  INSERT INTO `archive_queue` (`trace_id`, `experiment_id`, `enqueued_at`)
  VALUES (NEW.`trace_id`, NEW.`experiment_id`, CAST(unixepoch('subsec') * 1000 AS INTEGER))
  ON CONFLICT (`trace_id`) DO NOTHING;
END;
--> statement-breakpoint
CREATE TRIGGER `archive_q_assessment_delete` AFTER DELETE ON `assessments`
WHEN EXISTS (SELECT 1 FROM `archive_settings` s WHERE s.`experiment_id` = OLD.`experiment_id` AND s.`enabled` = 1)
BEGIN
  INSERT INTO `archive_queue` (`trace_id`, `experiment_id`, `enqueued_at`)
  VALUES (OLD.`trace_id`, OLD.`experiment_id`, CAST(unixepoch('subsec') * 1000 AS INTEGER))
  ON CONFLICT (`trace_id`) DO NOTHING;
END;
--> statement-breakpoint
-- Metrics queue: every experiment (trends do not need archival). Expectations are not scores.
CREATE TRIGGER `metrics_q_assessment_insert` AFTER INSERT ON `assessments`
WHEN NEW.`kind` = 'feedback'
BEGIN
  INSERT INTO `metrics_queue` (`trace_id`, `enqueued_at`)
  VALUES (NEW.`trace_id`, CAST(unixepoch('subsec') * 1000 AS INTEGER))
  ON CONFLICT (`trace_id`) DO NOTHING;
END;
--> statement-breakpoint
-- Updates may rename, invalidate (override) or rescore: always refresh.
CREATE TRIGGER `metrics_q_assessment_update` AFTER UPDATE ON `assessments`
BEGIN
  INSERT INTO `metrics_queue` (`trace_id`, `enqueued_at`)
  VALUES (NEW.`trace_id`, CAST(unixepoch('subsec') * 1000 AS INTEGER))
  ON CONFLICT (`trace_id`) DO NOTHING;
END;
--> statement-breakpoint
CREATE TRIGGER `metrics_q_assessment_delete` AFTER DELETE ON `assessments`
WHEN OLD.`kind` = 'feedback'
BEGIN
  INSERT INTO `metrics_queue` (`trace_id`, `enqueued_at`)
  VALUES (OLD.`trace_id`, CAST(unixepoch('subsec') * 1000 AS INTEGER))
  ON CONFLICT (`trace_id`) DO NOTHING;
END;
--> statement-breakpoint
-- Points are bucketed by the trace's request time, which an earlier late span can move.
CREATE TRIGGER `metrics_q_trace_time` AFTER UPDATE OF `request_time` ON `traces`
WHEN NEW.`request_time` <> OLD.`request_time`
  AND EXISTS (SELECT 1 FROM `metric_points` p WHERE p.`trace_id` = NEW.`trace_id`)
BEGIN
  INSERT INTO `metrics_queue` (`trace_id`, `enqueued_at`)
  VALUES (NEW.`trace_id`, CAST(unixepoch('subsec') * 1000 AS INTEGER))
  ON CONFLICT (`trace_id`) DO NOTHING;
END;
