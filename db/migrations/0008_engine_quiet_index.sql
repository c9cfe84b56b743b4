-- The worker looks for traces that went quiet without completing on every pass: this partial
-- index holds only incomplete traces, so that look-up costs nothing however many traces exist.
CREATE INDEX `traces_incomplete_quiet_idx` ON `traces` (`last_span_at`) WHERE `completed_at` IS NULL;
