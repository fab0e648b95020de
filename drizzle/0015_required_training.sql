CREATE TABLE `assignment` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`org_id` integer NOT NULL,
	`series_id` integer,
	`course_slug` text NOT NULL,
	`scope` text NOT NULL,
	`group_ids` text NOT NULL,
	`user_ids` text NOT NULL,
	`due_kind` text NOT NULL,
	`due_on` text,
	`due_days` integer,
	`renewal_months` integer,
	`created_by` integer,
	`created_at` integer NOT NULL,
	`since` integer NOT NULL,
	`ended_at` integer,
	`ended_by` integer,
	`end_reason` text,
	FOREIGN KEY (`org_id`) REFERENCES `organization`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`ended_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `assignment_org_idx` ON `assignment` (`org_id`,`ended_at`);--> statement-breakpoint
CREATE TABLE `exemption` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`org_id` integer NOT NULL,
	`series_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`reason` text NOT NULL,
	`note` text,
	`ends_on` text NOT NULL,
	`created_by` integer NOT NULL,
	`created_at` integer NOT NULL,
	`withdrawn_at` integer,
	`withdrawn_by` integer,
	FOREIGN KEY (`org_id`) REFERENCES `organization`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`withdrawn_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `exemption_org_idx` ON `exemption` (`org_id`);--> statement-breakpoint
CREATE INDEX `exemption_user_idx` ON `exemption` (`user_id`,`series_id`);--> statement-breakpoint
CREATE TABLE `reminder` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`org_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`series_id` integer NOT NULL,
	`course_slug` text,
	`cycle` text NOT NULL,
	`threshold` text NOT NULL,
	`to_email` text NOT NULL,
	`subject` text NOT NULL,
	`body` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`claimed_at` integer NOT NULL,
	`sent_at` integer,
	FOREIGN KEY (`org_id`) REFERENCES `organization`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reminder_once` ON `reminder` (`user_id`,`series_id`,`cycle`,`threshold`);--> statement-breakpoint
CREATE INDEX `reminder_status_idx` ON `reminder` (`status`);--> statement-breakpoint
CREATE INDEX `reminder_user_idx` ON `reminder` (`user_id`,`sent_at`);--> statement-breakpoint
CREATE TABLE `reminder_settings` (
	`org_id` integer PRIMARY KEY NOT NULL,
	`days_before` integer DEFAULT 7 NOT NULL,
	`on_due_date` integer DEFAULT true NOT NULL,
	`overdue_repeats` integer DEFAULT 4 NOT NULL,
	`expiry_days_before` integer DEFAULT 30 NOT NULL,
	`weekly_digest` integer DEFAULT true NOT NULL,
	`updated_at` integer,
	`updated_by` integer,
	FOREIGN KEY (`org_id`) REFERENCES `organization`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`updated_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `group_member` ADD `added_at` integer;