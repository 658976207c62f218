-- Issue 16 item 3: an ombudsperson's investigations. A complaint taken up by an ombudsperson's
-- office (`subject_kind` + `subject_id`: a report or case of the office, a referral it received
-- and accepted; a new kind adds its own existence and ownership check in the store), the
-- authority concerned, the questions sent to it with their reply deadlines and the answers
-- received, the findings, the recommendations and the history of each one's follow-up.
-- Every free text is sealed; kinds, states and days are plain. Nothing here is read by any
-- organisation but `org_id`.
CREATE TABLE investigations (
    id               TEXT PRIMARY KEY,
    org_id           TEXT NOT NULL REFERENCES organisations(id),
    subject_kind     TEXT NOT NULL,
    subject_id       TEXT NOT NULL,
    authority_name   BLOB NOT NULL,
    authority_kind   TEXT NOT NULL,
    opened_on        TEXT NOT NULL,
    status           TEXT NOT NULL,
    summary          BLOB NOT NULL,
    findings_outcome TEXT,
    findings         BLOB,
    findings_on      TEXT,
    close_reason     BLOB,
    closed_on        TEXT,
    created_by       TEXT NOT NULL REFERENCES users(id),
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX investigations_org ON investigations(org_id, status, opened_on);
CREATE INDEX investigations_subject ON investigations(subject_kind, subject_id);

CREATE TABLE investigation_questions (
    id               TEXT PRIMARY KEY,
    investigation_id TEXT NOT NULL REFERENCES investigations(id),
    text             BLOB NOT NULL,
    sent_on          TEXT NOT NULL,
    reply_by         TEXT NOT NULL,
    answered_on      TEXT,
    answer           BLOB,
    created_by       TEXT NOT NULL REFERENCES users(id),
    created_at       INTEGER NOT NULL,
    answered_by      TEXT REFERENCES users(id),
    answered_at      INTEGER
);
CREATE INDEX investigation_questions_investigation ON investigation_questions(investigation_id, reply_by);

CREATE TABLE investigation_recommendations (
    id               TEXT PRIMARY KEY,
    investigation_id TEXT NOT NULL REFERENCES investigations(id),
    text             BLOB NOT NULL,
    state            TEXT NOT NULL,
    created_by       TEXT NOT NULL REFERENCES users(id),
    created_at       INTEGER NOT NULL
);
CREATE INDEX investigation_recommendations_investigation ON investigation_recommendations(investigation_id, created_at);

CREATE TABLE investigation_follow_ups (
    id                TEXT PRIMARY KEY,
    recommendation_id TEXT NOT NULL REFERENCES investigation_recommendations(id),
    state             TEXT NOT NULL,
    on_day            TEXT NOT NULL,
    note              BLOB,
    recorded_by       TEXT NOT NULL REFERENCES users(id),
    recorded_at       INTEGER NOT NULL
);
CREATE INDEX investigation_follow_ups_recommendation ON investigation_follow_ups(recommendation_id, recorded_at);
