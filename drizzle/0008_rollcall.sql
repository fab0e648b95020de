CREATE TABLE `rollcall_attendance` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`session_id` integer NOT NULL,
	`membership_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`added_by` integer,
	`joined_at` integer NOT NULL,
	`removed_at` integer,
	`removed_by` integer,
	FOREIGN KEY (`session_id`) REFERENCES `rollcall_session`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`membership_id`) REFERENCES `membership`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`added_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`removed_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rollcall_attendance_present_once` ON `rollcall_attendance` (`session_id`,`membership_id`) WHERE removed_at is null;--> statement-breakpoint
CREATE INDEX `rollcall_attendance_user_idx` ON `rollcall_attendance` (`user_id`);--> statement-breakpoint
CREATE TABLE `rollcall_credit` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`session_id` integer NOT NULL,
	`attendance_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`credit_minutes` integer NOT NULL,
	`module_recorded` integer NOT NULL,
	`completion_id` integer,
	`recorded_at` integer NOT NULL,
	FOREIGN KEY (`session_id`) REFERENCES `rollcall_session`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`attendance_id`) REFERENCES `rollcall_attendance`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rollcall_credit_once` ON `rollcall_credit` (`session_id`,`user_id`);--> statement-breakpoint
CREATE INDEX `rollcall_credit_user_idx` ON `rollcall_credit` (`user_id`);--> statement-breakpoint
CREATE TABLE `rollcall_makeup` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`session_id` integer NOT NULL,
	`membership_id` integer NOT NULL,
	`due_at` integer NOT NULL,
	`created_by` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`session_id`) REFERENCES `rollcall_session`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`membership_id`) REFERENCES `membership`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rollcall_makeup_once` ON `rollcall_makeup` (`session_id`,`membership_id`);--> statement-breakpoint
CREATE TABLE `rollcall_session` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`org_id` integer NOT NULL,
	`course_slug` text NOT NULL,
	`module_slug` text NOT NULL,
	`content_version` text NOT NULL,
	`group_id` integer,
	`code` text NOT NULL,
	`led_by` integer NOT NULL,
	`started_at` integer NOT NULL,
	`closed_at` integer,
	`closed_by` integer,
	FOREIGN KEY (`org_id`) REFERENCES `organization`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`group_id`) REFERENCES `org_group`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`led_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`closed_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rollcall_session_code_unique` ON `rollcall_session` (`code`);--> statement-breakpoint
CREATE INDEX `rollcall_session_org_idx` ON `rollcall_session` (`org_id`,`started_at`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_completion` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`course_slug` text NOT NULL,
	`content_version` text NOT NULL,
	`attempt_id` integer,
	`score` integer NOT NULL,
	`method` text DEFAULT 'self-paced' NOT NULL,
	`completed_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`attempt_id`) REFERENCES `assessment_attempt`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_completion`("id", "user_id", "course_slug", "content_version", "attempt_id", "score", "method", "completed_at") SELECT "id", "user_id", "course_slug", "content_version", "attempt_id", "score", "method", "completed_at" FROM `completion`;--> statement-breakpoint
DROP TABLE `completion`;--> statement-breakpoint
ALTER TABLE `__new_completion` RENAME TO `completion`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `completion_attempt_once` ON `completion` (`attempt_id`);--> statement-breakpoint
CREATE INDEX `completion_user_course_idx` ON `completion` (`user_id`,`course_slug`);--> statement-breakpoint
ALTER TABLE `module_progress` ADD `rollcall_session_id` integer REFERENCES rollcall_session(id);