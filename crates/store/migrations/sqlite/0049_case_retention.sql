-- Retention of closed cases (issue 19 item 1). A case under legal hold is never purged,
-- whatever its age: NULL and false mean no hold. (The column may also be written by the legal
-- hold itself; the purge reads it as `legal_hold IS NOT TRUE`.)
ALTER TABLE cases ADD COLUMN legal_hold BOOLEAN DEFAULT FALSE;
-- The purge looks for closed cases by the day they were closed.
CREATE INDEX cases_closed_at ON cases(closed_at);
