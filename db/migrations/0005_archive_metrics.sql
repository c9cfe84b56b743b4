CREATE TABLE `archive_queue` (
	`trace_id` text PRIMARY KEY NOT NULL,
	`experiment_id` integer NOT NULL,
	`enqueued_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `archive_settings` (
	`experiment_id` integer PRIMARY KEY NOT NULL,
	`enabled` integer DEFAULT false NOT NULL,
	`retention_days` integer,
	`enabled_at` integer,
	`history_job_id` text,
	`updated_at` integer NOT NULL,
	`updated_by` text
);
--> statement-breakpoint
CREATE TABLE `archived_traces` (
	`trace_id` text PRIMARY KEY NOT NULL,
	`experiment_id` integer NOT NULL,
	`client_request_id` text,
	`request_time` integer NOT NULL,
	`state` text NOT NULL,
	`execution_duration_ms` integer,
	`request` text,
	`response` text,
	`trace_metadata` text NOT NULL,
	`tags` text NOT NULL,
	`trace_location` text NOT NULL,
	`assessments` text NOT NULL,
	`spans` text NOT NULL,
	`name` text,
	`end_time_ms` integer,
	`request_preview` text,
	`response_preview` text,
	`archived_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `archived_traces_exp_time_idx` ON `archived_traces` (`experiment_id`,`request_time`,`trace_id`);--> statement-breakpoint
CREATE TABLE `metric_points` (
	`assessment_id` text PRIMARY KEY NOT NULL,
	`trace_id` text NOT NULL,
	`experiment_id` integer NOT NULL,
	`scorer_name` text NOT NULL,
	`scorer_version` integer NOT NULL,
	`bucket_start` integer NOT NULL,
	`is_error` integer NOT NULL,
	`num` real,
	`pass` integer,
	`bin` integer
);
--> statement-breakpoint
CREATE INDEX `metric_points_key_idx` ON `metric_points` (`experiment_id`,`scorer_name`,`scorer_version`,`bucket_start`);--> statement-breakpoint
CREATE INDEX `metric_points_trace_idx` ON `metric_points` (`trace_id`);--> statement-breakpoint
CREATE TABLE `metric_rollups` (
	`experiment_id` integer NOT NULL,
	`scorer_name` text NOT NULL,
	`scorer_version` integer NOT NULL,
	`bucket_start` integer NOT NULL,
	`count` integer NOT NULL,
	`errors` integer NOT NULL,
	`num_count` integer NOT NULL,
	`num_sum` real NOT NULL,
	`num_sum_sq` real NOT NULL,
	`num_min` real,
	`num_max` real,
	`histogram` text NOT NULL,
	`bool_count` integer NOT NULL,
	`pass_count` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`experiment_id`, `scorer_name`, `scorer_version`, `bucket_start`)
);
--> statement-breakpoint
CREATE TABLE `metrics_queue` (
	`trace_id` text PRIMARY KEY NOT NULL,
	`enqueued_at` integer NOT NULL
);
