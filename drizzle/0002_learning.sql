CREATE TABLE `check_answer` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`course_slug` text NOT NULL,
	`module_slug` text NOT NULL,
	`content_version` text NOT NULL,
	`question_id` text NOT NULL,
	`option_index` integer NOT NULL,
	`correct` integer NOT NULL,
	`answered_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `check_answer_user_idx` ON `check_answer` (`user_id`,`course_slug`,`module_slug`);--> statement-breakpoint
CREATE TABLE `module_progress` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`course_slug` text NOT NULL,
	`module_slug` text NOT NULL,
	`content_version` text NOT NULL,
	`completed_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `module_progress_once` ON `module_progress` (`user_id`,`course_slug`,`module_slug`,`content_version`);--> statement-breakpoint
CREATE INDEX `module_progress_user_course_idx` ON `module_progress` (`user_id`,`course_slug`);