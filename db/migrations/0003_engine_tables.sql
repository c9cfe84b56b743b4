CREATE TABLE `engine_completions` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`trace_id` text NOT NULL,
	`experiment_id` integer NOT NULL,
	`completed_at` integer NOT NULL,
	`lease_owner` text,
	`lease_expires_at` integer
);
--> statement-breakpoint
CREATE TABLE `engine_funnel` (
	`experiment_id` integer NOT NULL,
	`scorer_name` text NOT NULL,
	`bucket_ms` integer NOT NULL,
	`stage` text NOT NULL,
	`reason` text DEFAULT '' NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`experiment_id`, `scorer_name`, `bucket_ms`, `stage`, `reason`)
);
--> statement-breakpoint
CREATE TABLE `engine_scorer_runtime` (
	`scorer_id` text PRIMARY KEY NOT NULL,
	`experiment_id` integer NOT NULL,
	`scorer_name` text NOT NULL,
	`account_paused_reason` text,
	`account_paused_at` integer,
	`daily_budget_usd` real,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `engine_tasks` (
	`task_id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`trace_id` text NOT NULL,
	`experiment_id` integer NOT NULL,
	`scorer_id` text NOT NULL,
	`scorer_name` text NOT NULL,
	`scorer_version` integer NOT NULL,
	`kind` text NOT NULL,
	`job_id` text,
	`priority` integer DEFAULT 0 NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`lease_owner` text,
	`lease_expires_at` integer,
	`last_error` text,
	`trace_time_ms` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `engine_tasks_pair_uq` ON `engine_tasks` (`trace_id`,`scorer_id`,`scorer_version`);--> statement-breakpoint
CREATE INDEX `engine_tasks_due_idx` ON `engine_tasks` (`priority`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `engine_tasks_job_idx` ON `engine_tasks` (`job_id`);--> statement-breakpoint
CREATE INDEX `engine_tasks_scorer_idx` ON `engine_tasks` (`scorer_id`);--> statement-breakpoint
CREATE TABLE `engine_usage` (
	`experiment_id` integer NOT NULL,
	`scorer_name` text NOT NULL,
	`day` text NOT NULL,
	`model` text NOT NULL,
	`calls` integer DEFAULT 0 NOT NULL,
	`prompt_tokens` integer DEFAULT 0 NOT NULL,
	`completion_tokens` integer DEFAULT 0 NOT NULL,
	`cost_usd` real DEFAULT 0 NOT NULL,
	`unpriced_calls` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`experiment_id`, `scorer_name`, `day`, `model`)
);
--> statement-breakpoint
ALTER TABLE `jobs` ADD `cursor_ts` integer;--> statement-breakpoint
ALTER TABLE `jobs` ADD `cursor_trace_id` text;--> statement-breakpoint
ALTER TABLE `jobs` ADD `scan_done` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `jobs` ADD `traces_total` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `jobs` ADD `traces_scanned` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `jobs` ADD `skipped` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `jobs` ADD `heartbeat_at` integer;--> statement-breakpoint
CREATE INDEX `jobs_exp_idx` ON `jobs` (`experiment_id`,`created_at`);