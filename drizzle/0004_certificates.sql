CREATE TABLE `certificate` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`completion_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`course_slug` text NOT NULL,
	`course_title` text NOT NULL,
	`content_version` text NOT NULL,
	`holder_name` text NOT NULL,
	`issuer` text NOT NULL,
	`credit_hours` real NOT NULL,
	`completed_at` integer NOT NULL,
	`issued_at` integer NOT NULL,
	`expires_at` integer,
	FOREIGN KEY (`completion_id`) REFERENCES `completion`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `certificate_code_unique` ON `certificate` (`code`);--> statement-breakpoint
CREATE UNIQUE INDEX `certificate_completion_once` ON `certificate` (`completion_id`);--> statement-breakpoint
CREATE INDEX `certificate_user_idx` ON `certificate` (`user_id`,`course_slug`);--> statement-breakpoint
CREATE TABLE `certificate_revocation` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`certificate_id` integer NOT NULL,
	`reason` text NOT NULL,
	`note` text,
	`revoked_by` integer NOT NULL,
	`revoked_at` integer NOT NULL,
	FOREIGN KEY (`certificate_id`) REFERENCES `certificate`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`revoked_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `certificate_revocation_certificateId_unique` ON `certificate_revocation` (`certificate_id`);