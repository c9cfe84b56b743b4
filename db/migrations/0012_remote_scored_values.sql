ALTER TABLE `remote_scored` ADD `name` text;--> statement-breakpoint
ALTER TABLE `remote_scored` ADD `value` text;