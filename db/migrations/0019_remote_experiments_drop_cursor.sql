ALTER TABLE `remote_experiments` DROP COLUMN `cursor_ts`;--> statement-breakpoint
ALTER TABLE `remote_experiments` DROP COLUMN `cursor_trace_id`;