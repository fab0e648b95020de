-- The hash chain (records/chain.ts). SQL cannot compute SHA-256, so rows written before the
-- chain existed are chained by the application once, at start-up, right after the migrations
-- (sealExistingRecords in src/lib/server/records/seal.ts). This update trigger refuses every
-- change except that one-time seal: setting prev_hash and hash on a row that has none, with
-- every other field unchanged.
DROP TRIGGER IF EXISTS audit_event_no_update;
--> statement-breakpoint
CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
WHEN NOT (
	OLD.hash IS NULL AND OLD.prev_hash IS NULL AND NEW.hash IS NOT NULL AND NEW.prev_hash IS NOT NULL
	AND NEW.id IS OLD.id AND NEW.at IS OLD.at AND NEW.actor_id IS OLD.actor_id
	AND NEW.actor_email IS OLD.actor_email AND NEW.action IS OLD.action
	AND NEW.outcome IS OLD.outcome AND NEW.subject_type IS OLD.subject_type
	AND NEW.subject_id IS OLD.subject_id AND NEW.org_id IS OLD.org_id AND NEW.ip IS OLD.ip
	AND NEW.detail IS OLD.detail
)
BEGIN
	SELECT RAISE(ABORT, 'audit_event is append-only');
END;
