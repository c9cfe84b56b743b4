ALTER TABLE `remote_experiments` ADD `unloadable_traces` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `remote_experiments` ADD `unloadable_reason` text;--> statement-breakpoint
ALTER TABLE `remote_experiments` ADD `unloadable_at` integer;--> statement-breakpoint
ALTER TABLE `remote_status` ADD `server_version` text;--> statement-breakpoint
ALTER TABLE `remote_status` ADD `server_checked_at` integer;--> statement-breakpoint
ALTER TABLE `remote_status` ADD `online_scoring` integer;