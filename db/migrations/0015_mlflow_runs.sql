CREATE TABLE `run_trace_links` (
	`run_id` text NOT NULL,
	`trace_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`run_id`, `trace_id`)
);
--> statement-breakpoint
CREATE INDEX `run_trace_links_trace_idx` ON `run_trace_links` (`trace_id`);--> statement-breakpoint
CREATE TABLE `runs` (
	`run_id` text PRIMARY KEY NOT NULL,
	`experiment_id` integer NOT NULL,
	`run_name` text DEFAULT '' NOT NULL,
	`user_id` text DEFAULT '' NOT NULL,
	`status` text DEFAULT 'RUNNING' NOT NULL,
	`start_time` integer NOT NULL,
	`end_time` integer,
	`lifecycle_stage` text DEFAULT 'active' NOT NULL,
	`artifact_uri` text DEFAULT '' NOT NULL,
	`tags` text DEFAULT '{}' NOT NULL,
	`params` text DEFAULT '{}' NOT NULL,
	`metrics` text DEFAULT '{}' NOT NULL,
	`dataset_inputs` text DEFAULT '[]' NOT NULL
);
--> statement-breakpoint
CREATE INDEX `runs_experiment_idx` ON `runs` (`experiment_id`,`start_time`);