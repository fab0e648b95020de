CREATE TABLE `roster_import` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`org_id` integer NOT NULL,
	`file_name` text NOT NULL,
	`rows` text NOT NULL,
	`status` text NOT NULL,
	`result` text,
	`created_by` integer NOT NULL,
	`created_at` integer NOT NULL,
	`imported_at` integer,
	FOREIGN KEY (`org_id`) REFERENCES `organization`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
