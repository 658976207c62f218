-- Family tracing and age assessment on a case (issue 17 item 4). Names, places, what is
-- known, outcomes and who assessed are sealed; the rest is vocabulary, dates and ages.
CREATE TABLE tracing_requests (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases(id),
    opened_on   TEXT NOT NULL,
    reason      TEXT NOT NULL,
    status      TEXT NOT NULL,
    outcome     BYTEA,
    created_by  TEXT NOT NULL REFERENCES users(id),
    created_at  BIGINT NOT NULL,
    closed_at   BIGINT
);
CREATE INDEX tracing_requests_case ON tracing_requests(case_id, created_at);
CREATE TABLE tracing_members (
    id               TEXT PRIMARY KEY,
    request_id       TEXT NOT NULL REFERENCES tracing_requests(id),
    relation         TEXT NOT NULL,
    name             BYTEA NOT NULL,
    last_known_place BYTEA,
    known            BYTEA,
    status           TEXT NOT NULL,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);
CREATE INDEX tracing_members_request ON tracing_members(request_id, created_at);
CREATE TABLE tracing_contacts (
    id          TEXT PRIMARY KEY,
    request_id  TEXT NOT NULL REFERENCES tracing_requests(id),
    referral_id TEXT NOT NULL REFERENCES referrals(id),
    created_by  TEXT NOT NULL REFERENCES users(id),
    created_at  BIGINT NOT NULL,
    UNIQUE (request_id, referral_id)
);
CREATE TABLE age_assessments (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases(id),
    assessed_on TEXT NOT NULL,
    method      TEXT NOT NULL,
    assessed_by BYTEA NOT NULL,
    age_lower   BIGINT NOT NULL,
    age_upper   BIGINT NOT NULL,
    disputed    BIGINT NOT NULL,
    created_by  TEXT NOT NULL REFERENCES users(id),
    created_at  BIGINT NOT NULL
);
CREATE INDEX age_assessments_case ON age_assessments(case_id, created_at);
