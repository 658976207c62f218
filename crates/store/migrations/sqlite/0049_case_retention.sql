-- Retention of closed cases (issue 19 item 1). A case under legal hold (`cases.legal_hold`,
-- migration 0046) is never purged, whatever its age.
-- The purge looks for closed cases by the day they were closed.
CREATE INDEX cases_closed_at ON cases(closed_at);
