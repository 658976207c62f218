-- A registered person whose comparison with the register has not run yet. The person and their
-- linkage keys are committed first; the comparison runs afterwards, outside the write lock, and
-- removes the row in the short transaction that writes what it found. A row left by a crash or a
-- stop is found again by the sweep at start and by the background checker.
CREATE TABLE person_link_checks (
    person_id TEXT PRIMARY KEY REFERENCES persons(id) ON DELETE CASCADE,
    queued_at BIGINT NOT NULL
);
CREATE INDEX person_link_checks_queue ON person_link_checks(queued_at, person_id);
