CREATE TABLE `alert_channels` (
	`channel_id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`experiment_id` integer,
	`url_enc` text NOT NULL,
	`url_hint` text NOT NULL,
	`secret_enc` text,
	`enabled` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alert_channels_name_unique` ON `alert_channels` (`name`);--> statement-breakpoint
CREATE TABLE `alert_deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`delivery_id` text NOT NULL,
	`channel_id` text NOT NULL,
	`attempt` integer NOT NULL,
	`at` integer NOT NULL,
	`http_status` integer,
	`ok` integer NOT NULL,
	`error` text,
	`duration_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `alert_deliveries_channel_idx` ON `alert_deliveries` (`channel_id`,`at`);--> statement-breakpoint
CREATE INDEX `alert_deliveries_delivery_idx` ON `alert_deliveries` (`delivery_id`);--> statement-breakpoint
CREATE TABLE `alert_events` (
	`alert_id` text PRIMARY KEY NOT NULL,
	`rule_id` text NOT NULL,
	`series_key` text NOT NULL,
	`experiment_id` integer NOT NULL,
	`scorer_name` text,
	`kind` text NOT NULL,
	`severity` text NOT NULL,
	`summary` text NOT NULL,
	`value` text NOT NULL,
	`window_start` integer,
	`window_end` integer,
	`fired_at` integer NOT NULL,
	`resolved_at` integer,
	`acked_at` integer,
	`acked_by` text,
	`notified` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE INDEX `alert_events_exp_idx` ON `alert_events` (`experiment_id`,`fired_at`);--> statement-breakpoint
CREATE INDEX `alert_events_open_idx` ON `alert_events` (`resolved_at`,`fired_at`);--> statement-breakpoint
CREATE TABLE `alert_outbox` (
	`delivery_id` text PRIMARY KEY NOT NULL,
	`alert_id` text,
	`channel_id` text NOT NULL,
	`event` text NOT NULL,
	`payload` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`lease_owner` text,
	`lease_expires_at` integer,
	`last_status` integer,
	`last_error` text,
	`created_at` integer NOT NULL,
	`sent_at` integer
);
--> statement-breakpoint
CREATE INDEX `alert_outbox_due_idx` ON `alert_outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `alert_outbox_event_uq` ON `alert_outbox` (`alert_id`,`channel_id`,`event`);--> statement-breakpoint
CREATE TABLE `alert_rules` (
	`rule_id` text PRIMARY KEY NOT NULL,
	`experiment_id` integer NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`scorer_name` text,
	`params` text NOT NULL,
	`for_ms` integer DEFAULT 0 NOT NULL,
	`severity` text NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`source` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alert_rules_exp_name_uq` ON `alert_rules` (`experiment_id`,`name`);--> statement-breakpoint
CREATE INDEX `alert_rules_scorer_idx` ON `alert_rules` (`experiment_id`,`scorer_name`);--> statement-breakpoint
CREATE TABLE `alert_series` (
	`rule_id` text NOT NULL,
	`series_key` text NOT NULL,
	`state` text NOT NULL,
	`since` integer NOT NULL,
	`pending_since` integer,
	`alert_id` text,
	`last_value` text,
	`last_eval_at` integer NOT NULL,
	PRIMARY KEY(`rule_id`, `series_key`)
);
--> statement-breakpoint
CREATE TABLE `alert_silences` (
	`silence_id` text PRIMARY KEY NOT NULL,
	`experiment_id` integer NOT NULL,
	`rule_id` text,
	`scorer_name` text,
	`starts_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	`reason` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`cancelled_at` integer
);
--> statement-breakpoint
CREATE INDEX `alert_silences_exp_idx` ON `alert_silences` (`experiment_id`,`ends_at`);--> statement-breakpoint
CREATE TABLE `alert_ticks` (
	`name` text PRIMARY KEY NOT NULL,
	`last_at` integer NOT NULL,
	`owner` text,
	`expires_at` integer
);
--> statement-breakpoint
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