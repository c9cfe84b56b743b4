CREATE TABLE `experiments` (
	`experiment_id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`artifact_location` text DEFAULT '' NOT NULL,
	`lifecycle_stage` text DEFAULT 'active' NOT NULL,
	`tags` text DEFAULT '{}' NOT NULL,
	`creation_time` integer NOT NULL,
	`last_update_time` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `experiments_name_uq` ON `experiments` (`name`);--> statement-breakpoint
CREATE TABLE `spans` (
	`trace_id` text NOT NULL,
	`span_id` text NOT NULL,
	`parent_span_id` text,
	`name` text NOT NULL,
	`span_type` text,
	`kind` integer DEFAULT 0 NOT NULL,
	`start_time_ns` text NOT NULL,
	`end_time_ns` text,
	`start_ms` integer NOT NULL,
	`end_ms` integer,
	`status_code` text DEFAULT 'STATUS_CODE_UNSET' NOT NULL,
	`status_message` text DEFAULT '' NOT NULL,
	`attributes` text DEFAULT '{}' NOT NULL,
	`events` text DEFAULT '[]' NOT NULL,
	PRIMARY KEY(`trace_id`, `span_id`)
);
--> statement-breakpoint
CREATE INDEX `spans_name_idx` ON `spans` (`name`);--> statement-breakpoint
CREATE INDEX `spans_type_idx` ON `spans` (`span_type`);--> statement-breakpoint
CREATE TABLE `traces` (
	`trace_id` text PRIMARY KEY NOT NULL,
	`experiment_id` integer NOT NULL,
	`client_request_id` text,
	`name` text,
	`request_time` integer NOT NULL,
	`execution_duration_ms` integer,
	`end_time_ms` integer,
	`state` text DEFAULT 'IN_PROGRESS' NOT NULL,
	`request_preview` text,
	`response_preview` text,
	`request` text,
	`response` text,
	`trace_metadata` text DEFAULT '{}' NOT NULL,
	`tags` text DEFAULT '{}' NOT NULL,
	`root_span_id` text,
	`completed_at` integer,
	`last_span_at` integer NOT NULL,
	`span_count` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `traces_exp_time_idx` ON `traces` (`experiment_id`,`request_time`,`trace_id`);--> statement-breakpoint
CREATE INDEX `traces_exp_completed_idx` ON `traces` (`experiment_id`,`completed_at`);--> statement-breakpoint
CREATE INDEX `traces_exp_state_idx` ON `traces` (`experiment_id`,`state`,`request_time`);--> statement-breakpoint
CREATE INDEX `traces_client_request_idx` ON `traces` (`client_request_id`);--> statement-breakpoint
CREATE TABLE `assessments` (
	`assessment_id` text PRIMARY KEY NOT NULL,
	`trace_id` text NOT NULL,
	`experiment_id` integer NOT NULL,
	`name` text NOT NULL,
	`span_id` text,
	`source_type` text NOT NULL,
	`source_id` text DEFAULT '' NOT NULL,
	`kind` text NOT NULL,
	`value` text,
	`error` text,
	`rationale` text,
	`metadata` text DEFAULT '{}' NOT NULL,
	`overrides` text,
	`valid` integer DEFAULT true NOT NULL,
	`create_time` integer NOT NULL,
	`last_update_time` integer NOT NULL,
	`scorer_id` text,
	`scorer_version` integer,
	`run_id` text
);
--> statement-breakpoint
CREATE INDEX `assessments_trace_idx` ON `assessments` (`trace_id`);--> statement-breakpoint
CREATE INDEX `assessments_exp_name_idx` ON `assessments` (`experiment_id`,`name`,`create_time`);--> statement-breakpoint
CREATE TABLE `online_configs` (
	`online_scoring_config_id` text PRIMARY KEY NOT NULL,
	`scorer_id` text NOT NULL,
	`sample_rate` real DEFAULT 0 NOT NULL,
	`filter_string` text,
	`paused_reason` text,
	`paused_at` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `online_configs_scorer_id_unique` ON `online_configs` (`scorer_id`);--> statement-breakpoint
CREATE TABLE `scorer_versions` (
	`scorer_id` text NOT NULL,
	`version` integer NOT NULL,
	`serialized_scorer` text NOT NULL,
	`creation_time` integer NOT NULL,
	PRIMARY KEY(`scorer_id`, `version`)
);
--> statement-breakpoint
CREATE TABLE `scorers` (
	`scorer_id` text PRIMARY KEY NOT NULL,
	`experiment_id` integer NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `scorers_exp_name_uq` ON `scorers` (`experiment_id`,`name`);--> statement-breakpoint
CREATE TABLE `checkpoints` (
	`experiment_id` integer PRIMARY KEY NOT NULL,
	`timestamp_ms` integer NOT NULL,
	`trace_id` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `jobs` (
	`job_id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`experiment_id` integer NOT NULL,
	`status` text DEFAULT 'QUEUED' NOT NULL,
	`params` text DEFAULT '{}' NOT NULL,
	`total` integer DEFAULT 0 NOT NULL,
	`done` integer DEFAULT 0 NOT NULL,
	`failed` integer DEFAULT 0 NOT NULL,
	`error` text,
	`created_by` text,
	`created_at` integer NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	`lease_owner` text,
	`lease_expires_at` integer
);
--> statement-breakpoint
CREATE INDEX `jobs_status_idx` ON `jobs` (`status`,`created_at`);--> statement-breakpoint
CREATE TABLE `api_tokens` (
	`token_id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`token_hash` text NOT NULL,
	`role` text NOT NULL,
	`experiment_id` integer,
	`created_at` integer NOT NULL,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_token_hash_unique` ON `api_tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `api_tokens_hash_idx` ON `api_tokens` (`token_hash`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`entity_type` text NOT NULL,
	`entity_id` text NOT NULL,
	`experiment_id` integer,
	`before` text,
	`after` text,
	`reason` text
);
--> statement-breakpoint
CREATE INDEX `audit_entity_idx` ON `audit_log` (`entity_type`,`entity_id`,`at`);--> statement-breakpoint
CREATE TABLE `users` (
	`user_id` text PRIMARY KEY NOT NULL,
	`username` text NOT NULL,
	`password_hash` text,
	`role` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_username_unique` ON `users` (`username`);