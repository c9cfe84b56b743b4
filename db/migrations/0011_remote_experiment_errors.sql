ALTER TABLE `remote_experiments` ADD `last_error` text;--> statement-breakpoint
ALTER TABLE `remote_experiments` ADD `last_error_at` integer;