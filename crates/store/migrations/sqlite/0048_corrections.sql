-- Corrections (issue 19 item 2): the person asks for something Passage holds about them to be
-- corrected. Staff record what was asked (sealed: it may repeat the wrong and the right value)
-- and the day it was asked, then the outcome (made, partly, refused) with its reason (sealed),
-- who decided and when. Read by whoever may read the case; recorded and decided by whoever may
-- change it.
CREATE TABLE case_corrections (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES cases(id),
    what         BLOB NOT NULL,
    asked_on     TEXT NOT NULL,
    recorded_by  TEXT NOT NULL REFERENCES users(id),
    recorded_at  INTEGER NOT NULL,
    outcome      TEXT,
    reason       BLOB,
    decided_by   TEXT REFERENCES users(id),
    decided_at   INTEGER,
    version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX case_corrections_case ON case_corrections(case_id, recorded_at);
