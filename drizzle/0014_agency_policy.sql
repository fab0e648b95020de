CREATE TABLE `agency_policy` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`org_id` integer NOT NULL,
	`version` integer NOT NULL,
	`policy_title` text,
	`policy_number` text,
	`policy_link` text,
	`state` text,
	`state_law_note` text,
	`task_force` text,
	`victim_specialist` text,
	`ngo_partner` text,
	`notification_rule` text,
	`created_by` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organization`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `agency_policy_version` ON `agency_policy` (`org_id`,`version`);--> statement-breakpoint
CREATE INDEX `agency_policy_org_idx` ON `agency_policy` (`org_id`);--> statement-breakpoint
ALTER TABLE `module_progress` ADD `agency_policy_id` integer REFERENCES agency_policy(id);--> statement-breakpoint
ALTER TABLE `completion` ADD `agency_policy_id` integer REFERENCES agency_policy(id);