ALTER TABLE `online_configs` ADD `paused_by` text;--> statement-breakpoint
ALTER TABLE `scorers` ADD `last_version` integer DEFAULT 0 NOT NULL;