DROP INDEX `certificate_user_idx`;--> statement-breakpoint
CREATE INDEX `certificate_user_idx` ON `certificate` (`user_id`,`course_slug`,`completed_at`,`expires_at`);