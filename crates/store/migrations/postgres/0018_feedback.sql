-- What the tired caseworker asked for: a supervisor's reason for rejecting a request (sealed,
-- shown to the caseworker on the case), and an attachment's description (sealed) and document
-- type (a vocabulary value, plain).
ALTER TABLE approvals ADD COLUMN decision_reason BYTEA;
ALTER TABLE attachments ADD COLUMN description BYTEA;
ALTER TABLE attachments ADD COLUMN kind TEXT;
