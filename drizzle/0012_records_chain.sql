CREATE TABLE `open_badge` (
	`certificate_id` integer PRIMARY KEY NOT NULL,
	`credential` text NOT NULL,
	`key_id` text NOT NULL,
	`signed_at` integer NOT NULL,
	FOREIGN KEY (`certificate_id`) REFERENCES `certificate`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `audit_event` ADD `prev_hash` text;--> statement-breakpoint
ALTER TABLE `audit_event` ADD `hash` text;--> statement-breakpoint
CREATE UNIQUE INDEX `audit_event_prev_hash_once` ON `audit_event` (`prev_hash`);--> statement-breakpoint
ALTER TABLE `completion` ADD `record_hash` text;--> statement-breakpoint
ALTER TABLE `certificate` ADD `record_hash` text;--> statement-breakpoint
ALTER TABLE `certificate_revocation` ADD `record_hash` text;