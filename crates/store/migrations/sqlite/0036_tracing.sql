-- Family tracing and age assessment on a case (issue 17 item 4). Names, places, what is
-- known, outcomes and who assessed are sealed; the rest is vocabulary, dates and ages.
CREATE TABLE tracing_requests (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases(id),
    opened_on   TEXT NOT NULL,
    reason      TEXT NOT NULL,
    status      TEXT NOT NULL,
    outcome     BLOB,
    created_by  TEXT NOT NULL REFERENCES users(id),
    created_at  INTEGER NOT NULL,
    closed_at   INTEGER
);
CREATE INDEX tracing_requests_case ON tracing_requests(case_id, created_at);
CREATE TABLE tracing_members (
    id               TEXT PRIMARY KEY,
    request_id       TEXT NOT NULL REFERENCES tracing_requests(id),
    relation         TEXT NOT NULL,
    name             BLOB NOT NULL,
    last_known_place BLOB,
    known            BLOB,
    status           TEXT NOT NULL,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX tracing_members_request ON tracing_members(request_id, created_at);
CREATE TABLE tracing_contacts (
    id          TEXT PRIMARY KEY,
    request_id  TEXT NOT NULL REFERENCES tracing_requests(id),
    referral_id TEXT NOT NULL REFERENCES referrals(id),
    created_by  TEXT NOT NULL REFERENCES users(id),
    created_at  INTEGER NOT NULL,
    UNIQUE (request_id, referral_id)
);
CREATE TABLE age_assessments (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases(id),
    assessed_on TEXT NOT NULL,
    method      TEXT NOT NULL,
    assessed_by BLOB NOT NULL,
    age_lower   INTEGER NOT NULL,
    age_upper   INTEGER NOT NULL,
    disputed    INTEGER NOT NULL,
    created_by  TEXT NOT NULL REFERENCES users(id),
    created_at  INTEGER NOT NULL
);
CREATE INDEX age_assessments_case ON age_assessments(case_id, created_at);
