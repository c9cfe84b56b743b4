CREATE TABLE `traffic` (
	`experiment_id` integer NOT NULL,
	`bucket_ms` integer NOT NULL,
	`traces` integer NOT NULL,
	`errors` integer NOT NULL,
	`latency` text NOT NULL,
	`last_trace_at` integer NOT NULL,
	PRIMARY KEY(`experiment_id`, `bucket_ms`)
);
