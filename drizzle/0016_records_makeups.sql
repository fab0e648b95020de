ALTER TABLE `rollcall_attendance` ADD `record_hash` text;--> statement-breakpoint
ALTER TABLE `rollcall_credit` ADD `record_hash` text;--> statement-breakpoint
ALTER TABLE `rollcall_makeup` ADD `assignment_id` integer REFERENCES assignment(id);--> statement-breakpoint
ALTER TABLE `assignment` ADD `module_slug` text;--> statement-breakpoint
ALTER TABLE `exemption` ADD `record_hash` text;