CREATE TABLE `assessment_attempt` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`course_slug` text NOT NULL,
	`content_version` text NOT NULL,
	`number` integer NOT NULL,
	`seed` integer NOT NULL,
	`started_at` integer NOT NULL,
	`deadline_at` integer,
	`status` text NOT NULL,
	`submitted_at` integer,
	`earned_points` integer,
	`max_points` integer,
	`score` integer,
	`passed` integer,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `assessment_attempt_number` ON `assessment_attempt` (`user_id`,`course_slug`,`number`);--> statement-breakpoint
CREATE INDEX `assessment_attempt_user_course_idx` ON `assessment_attempt` (`user_id`,`course_slug`,`status`);--> statement-breakpoint
CREATE TABLE `attempt_answer` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`attempt_id` integer NOT NULL,
	`question_id` text NOT NULL,
	`response` text NOT NULL,
	`earned` integer NOT NULL,
	`max` integer NOT NULL,
	FOREIGN KEY (`attempt_id`) REFERENCES `assessment_attempt`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `attempt_answer_once` ON `attempt_answer` (`attempt_id`,`question_id`);--> statement-breakpoint
CREATE TABLE `completion` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`course_slug` text NOT NULL,
	`content_version` text NOT NULL,
	`attempt_id` integer,
	`score` integer NOT NULL,
	`method` text NOT NULL,
	`completed_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`attempt_id`) REFERENCES `assessment_attempt`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `completion_attempt_once` ON `completion` (`attempt_id`);--> statement-breakpoint
CREATE INDEX `completion_user_course_idx` ON `completion` (`user_id`,`course_slug`);--> statement-breakpoint
CREATE TABLE `scenario_step` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`attempt_id` integer NOT NULL,
	`question_id` text NOT NULL,
	`step_id` text NOT NULL,
	`choice_id` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`attempt_id`) REFERENCES `assessment_attempt`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `scenario_step_once` ON `scenario_step` (`attempt_id`,`question_id`,`step_id`);