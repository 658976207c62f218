-- Foundation: identities, sessions, persons, cases, shares, the audit chain.
-- Identifiers are UUID text; times are Unix milliseconds; ciphertexts are blobs.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE organisations (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    kind       TEXT NOT NULL,
    country    TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organisations(id),
    email         TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    roles         TEXT NOT NULL,
    disabled      BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL,
    version       BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX users_org ON users(org_id);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id),
    kind       TEXT NOT NULL,
    csrf       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen  BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE login_throttle (
    key          TEXT PRIMARY KEY,
    failures     BIGINT NOT NULL,
    locked_until BIGINT NOT NULL,
    last_failure BIGINT NOT NULL
);

CREATE TABLE persons (
    id               TEXT PRIMARY KEY,
    org_id           TEXT NOT NULL REFERENCES organisations(id),
    created_by       TEXT NOT NULL REFERENCES users(id),
    given_name       BYTEA NOT NULL,
    family_name      BYTEA NOT NULL,
    date_of_birth    BYTEA,
    sex              BYTEA,
    citizenships     BYTEA,
    migration_status BYTEA,
    created_at       BIGINT NOT NULL,
    version          BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX persons_org ON persons(org_id);

CREATE TABLE person_name_terms (
    person_id TEXT NOT NULL REFERENCES persons(id),
    term      BIGINT NOT NULL,
    PRIMARY KEY (term, person_id)
);

CREATE TABLE cases (
    id          TEXT PRIMARY KEY,
    person_id   TEXT NOT NULL REFERENCES persons(id),
    org_id      TEXT NOT NULL REFERENCES organisations(id),
    created_by  TEXT NOT NULL REFERENCES users(id),
    assigned_to TEXT REFERENCES users(id),
    stage       TEXT NOT NULL,
    status      TEXT NOT NULL,
    summary     BYTEA NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    version     BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX cases_org_created ON cases(org_id, created_at);
CREATE INDEX cases_person ON cases(person_id);
CREATE INDEX cases_assigned ON cases(assigned_to);

CREATE TABLE case_types (
    case_id   TEXT NOT NULL REFERENCES cases(id),
    case_type TEXT NOT NULL,
    PRIMARY KEY (case_id, case_type)
);

CREATE TABLE case_shares (
    case_id     TEXT NOT NULL REFERENCES cases(id),
    org_id      TEXT NOT NULL REFERENCES organisations(id),
    legal_basis TEXT NOT NULL,
    created_by  TEXT NOT NULL REFERENCES users(id),
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (case_id, org_id)
);
CREATE INDEX case_shares_org ON case_shares(org_id);

CREATE TABLE audit_events (
    seq         BIGINT PRIMARY KEY,
    at          BIGINT NOT NULL,
    actor_user  TEXT,
    actor_org   TEXT,
    action      TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id   TEXT,
    outcome     TEXT NOT NULL,
    purpose     TEXT,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);

CREATE TABLE audit_head (
    id   BIGINT PRIMARY KEY,
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
