-- Exactly one engine assessment per (trace, scorer, scorer version): enforced here, not by hope.
-- Human and SDK assessments carry no scorer_id and are not constrained.
CREATE UNIQUE INDEX `assessments_scorer_pair_uq` ON `assessments` (`trace_id`, `scorer_id`, `scorer_version`) WHERE `scorer_id` IS NOT NULL;
--> statement-breakpoint
-- Every trace that becomes complete enters the engine's outbox once, in commit order, whatever
-- path completed it (root span ended, StartTraceV3 with a final state, quiet period).
CREATE TRIGGER `engine_trace_completed_on_insert` AFTER INSERT ON `traces`
WHEN NEW.`completed_at` IS NOT NULL
BEGIN
  INSERT INTO `engine_completions` (`trace_id`, `experiment_id`, `completed_at`) VALUES (NEW.`trace_id`, NEW.`experiment_id`, NEW.`completed_at`);
END;
--> statement-breakpoint
CREATE TRIGGER `engine_trace_completed_on_update` AFTER UPDATE OF `completed_at` ON `traces`
WHEN OLD.`completed_at` IS NULL AND NEW.`completed_at` IS NOT NULL
BEGIN
  INSERT INTO `engine_completions` (`trace_id`, `experiment_id`, `completed_at`) VALUES (NEW.`trace_id`, NEW.`experiment_id`, NEW.`completed_at`);
END;
