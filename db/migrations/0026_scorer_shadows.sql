CREATE TABLE `scorer_shadows` (
	`scorer_id` text NOT NULL,
	`version` integer NOT NULL,
	`experiment_id` integer NOT NULL,
	`serialized_scorer` text NOT NULL,
	`state` text DEFAULT 'shadow' NOT NULL,
	`base_version` integer NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`decided_at` integer,
	`decided_by` text,
	PRIMARY KEY(`scorer_id`, `version`)
);
--> statement-breakpoint
CREATE INDEX `scorer_shadows_exp_idx` ON `scorer_shadows` (`experiment_id`,`state`);