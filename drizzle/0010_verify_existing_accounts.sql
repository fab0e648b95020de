-- Accounts made before email verification existed count as verified from the day they were
-- created (the operator vouched for them: demo, admin:create, roster and invite sign-ups).
UPDATE `user` SET `email_verified_at` = `created_at` WHERE `email_verified_at` IS NULL;
