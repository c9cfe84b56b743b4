CREATE TABLE `remote_experiments` (
	`experiment_id` integer PRIMARY KEY NOT NULL,
	`remote_experiment_id` text NOT NULL,
	`scored_by` text NOT NULL,
	`cursor_ts` integer NOT NULL,
	`cursor_trace_id` text DEFAULT '' NOT NULL,
	`linked_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`last_scan_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `remote_experiments_remote_experiment_id_unique` ON `remote_experiments` (`remote_experiment_id`);--> statement-breakpoint
CREATE TABLE `remote_pairs` (
	`pair_id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`experiment_id` integer NOT NULL,
	`trace_id` text NOT NULL,
	`trace_time_ms` integer NOT NULL,
	`scorer_id` text NOT NULL,
	`scorer_name` text NOT NULL,
	`scorer_version` integer NOT NULL,
	`job_id` text,
	`priority` integer NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`write_attempted` integer DEFAULT false NOT NULL,
	`lease_owner` text,
	`lease_expires_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `remote_pairs_pair_uq` ON `remote_pairs` (`trace_id`,`scorer_id`,`scorer_version`);--> statement-breakpoint
CREATE INDEX `remote_pairs_due_idx` ON `remote_pairs` (`priority`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `remote_pairs_exp_idx` ON `remote_pairs` (`experiment_id`,`trace_time_ms`,`trace_id`);--> statement-breakpoint
CREATE TABLE `remote_scored` (
	`trace_id` text NOT NULL,
	`scorer_id` text NOT NULL,
	`scorer_version` integer NOT NULL,
	`experiment_id` integer NOT NULL,
	`assessment_id` text NOT NULL,
	`is_error` integer NOT NULL,
	`job_id` text,
	`scored_at` integer NOT NULL,
	PRIMARY KEY(`trace_id`, `scorer_id`, `scorer_version`)
);
--> statement-breakpoint
CREATE INDEX `remote_scored_exp_idx` ON `remote_scored` (`experiment_id`,`scored_at`);--> statement-breakpoint
CREATE TABLE `remote_scorer_configs` (
	`scorer_id` text PRIMARY KEY NOT NULL,
	`experiment_id` integer NOT NULL,
	`scorer_name` text NOT NULL,
	`pushed` text NOT NULL,
	`synced_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `remote_scorer_versions` (
	`scorer_id` text NOT NULL,
	`version` integer NOT NULL,
	`experiment_id` integer NOT NULL,
	`scorer_name` text NOT NULL,
	`remote_version` integer NOT NULL,
	`synced_at` integer NOT NULL,
	PRIMARY KEY(`scorer_id`, `version`)
);
--> statement-breakpoint
CREATE TABLE `remote_status` (
	`id` integer PRIMARY KEY NOT NULL,
	`last_ok_at` integer,
	`last_error_at` integer,
	`last_error` text
);
