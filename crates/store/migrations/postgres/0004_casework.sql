-- Case management: full identity, lifecycle, needs, plan, tasks, notes, attachments, services,
-- consent, identification and deadlines, durable solutions and follow-ups, children, history
-- and approvals. Free text and identity are sealed (BLOB); vocabularies and dates are plain.

ALTER TABLE persons ADD COLUMN given_name_latin BYTEA;
ALTER TABLE persons ADD COLUMN family_name_latin BYTEA;
ALTER TABLE persons ADD COLUMN aliases BYTEA;
ALTER TABLE persons ADD COLUMN languages BYTEA;
ALTER TABLE persons ADD COLUMN contacts BYTEA;
ALTER TABLE persons ADD COLUMN vulnerabilities BYTEA;
ALTER TABLE persons ADD COLUMN updated_at BIGINT;

CREATE TABLE person_documents (
    id         TEXT PRIMARY KEY,
    person_id  TEXT NOT NULL REFERENCES persons(id),
    kind       TEXT NOT NULL,
    number     BYTEA,
    country    TEXT,
    held_by    TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    version    BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX person_documents_person ON person_documents(person_id);

ALTER TABLE cases ADD COLUMN risk TEXT NOT NULL DEFAULT 'medium';
ALTER TABLE cases ADD COLUMN country TEXT;
ALTER TABLE cases ADD COLUMN outcome TEXT;
ALTER TABLE cases ADD COLUMN closure_reason BYTEA;
ALTER TABLE cases ADD COLUMN closed_at BIGINT;
ALTER TABLE cases ADD COLUMN identification_status TEXT;
ALTER TABLE cases ADD COLUMN identification_by TEXT;
ALTER TABLE cases ADD COLUMN identification_on TEXT;
ALTER TABLE cases ADD COLUMN conclusive_on TEXT;
CREATE INDEX cases_org_status ON cases(org_id, status, created_at);

CREATE TABLE case_transitions (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases(id),
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    reason      BYTEA,
    outcome     TEXT,
    by_user     TEXT NOT NULL REFERENCES users(id),
    approved_by TEXT REFERENCES users(id),
    at          BIGINT NOT NULL
);
CREATE INDEX case_transitions_case ON case_transitions(case_id, at);

CREATE TABLE case_history (
    id        TEXT PRIMARY KEY,
    case_id   TEXT NOT NULL REFERENCES cases(id),
    field     TEXT NOT NULL,
    old_value BYTEA,
    new_value BYTEA,
    by_user   TEXT NOT NULL REFERENCES users(id),
    at        BIGINT NOT NULL
);
CREATE INDEX case_history_case ON case_history(case_id, at);

CREATE TABLE approvals (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES cases(id),
    org_id       TEXT NOT NULL REFERENCES organisations(id),
    kind         TEXT NOT NULL,
    payload      BYTEA NOT NULL,
    requested_by TEXT NOT NULL REFERENCES users(id),
    requested_at BIGINT NOT NULL,
    decided_by   TEXT REFERENCES users(id),
    decided_at   BIGINT,
    decision     TEXT
);
CREATE INDEX approvals_pending ON approvals(org_id, decision);

CREATE TABLE needs (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases(id),
    domain      TEXT NOT NULL,
    urgency     TEXT NOT NULL,
    description BYTEA,
    met         BIGINT NOT NULL DEFAULT 0,
    created_by  TEXT NOT NULL REFERENCES users(id),
    updated_at  BIGINT NOT NULL,
    version     BIGINT NOT NULL DEFAULT 1,
    UNIQUE (case_id, domain)
);

CREATE TABLE plan_items (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases(id),
    domain      TEXT,
    goal        BYTEA NOT NULL,
    action      BYTEA,
    responsible TEXT,
    due_on      TEXT,
    done        BIGINT NOT NULL DEFAULT 0,
    created_by  TEXT NOT NULL REFERENCES users(id),
    created_at  BIGINT NOT NULL,
    version     BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX plan_items_case ON plan_items(case_id);

CREATE TABLE tasks (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases(id),
    org_id      TEXT NOT NULL REFERENCES organisations(id),
    title       BYTEA NOT NULL,
    assigned_to TEXT REFERENCES users(id),
    due_on      TEXT,
    done_at     BIGINT,
    created_by  TEXT NOT NULL REFERENCES users(id),
    created_at  BIGINT NOT NULL,
    version     BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX tasks_assignee ON tasks(assigned_to, done_at, due_on);
CREATE INDEX tasks_case ON tasks(case_id);
CREATE INDEX tasks_org ON tasks(org_id, done_at, due_on);

CREATE TABLE notes (
    id              TEXT PRIMARY KEY,
    case_id         TEXT NOT NULL REFERENCES cases(id),
    confidentiality TEXT NOT NULL,
    body            BYTEA NOT NULL,
    created_by      TEXT NOT NULL REFERENCES users(id),
    created_at      BIGINT NOT NULL
);
CREATE INDEX notes_case ON notes(case_id, created_at);

CREATE TABLE attachments (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES cases(id),
    filename     BYTEA NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    content      BYTEA NOT NULL,
    created_by   TEXT NOT NULL REFERENCES users(id),
    created_at   BIGINT NOT NULL
);
CREATE INDEX attachments_case ON attachments(case_id);

CREATE TABLE services (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES cases(id),
    service_type TEXT NOT NULL,
    provider     TEXT NOT NULL,
    delivered_on TEXT NOT NULL,
    note         BYTEA,
    created_by   TEXT NOT NULL REFERENCES users(id),
    created_at   BIGINT NOT NULL
);
CREATE INDEX services_case ON services(case_id);

CREATE TABLE consents (
    id              TEXT PRIMARY KEY,
    person_id       TEXT NOT NULL REFERENCES persons(id),
    purpose         TEXT NOT NULL,
    organisation_id TEXT REFERENCES organisations(id),
    basis           TEXT NOT NULL,
    method          TEXT,
    language        TEXT,
    reason          BYTEA,
    recorded_by     TEXT NOT NULL REFERENCES users(id),
    given_at        BIGINT NOT NULL,
    withdrawn_at    BIGINT,
    withdrawn_by    TEXT REFERENCES users(id),
    withdrawal_method TEXT
);
CREATE INDEX consents_person ON consents(person_id, purpose);

CREATE TABLE follow_ups (
    id            TEXT PRIMARY KEY,
    case_id       TEXT NOT NULL REFERENCES cases(id),
    due_on        TEXT NOT NULL,
    done_on       TEXT,
    economic      BIGINT,
    social        BIGINT,
    psychosocial  BIGINT,
    note          BYTEA,
    recorded_by   TEXT REFERENCES users(id),
    version       BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX follow_ups_case ON follow_ups(case_id, due_on);

CREATE TABLE best_interests (
    id            TEXT PRIMARY KEY,
    case_id       TEXT NOT NULL REFERENCES cases(id),
    guardian      BYTEA,
    assessment    BYTEA NOT NULL,
    decision      BYTEA NOT NULL,
    created_by    TEXT NOT NULL REFERENCES users(id),
    created_at    BIGINT NOT NULL,
    signed_off_by TEXT REFERENCES users(id),
    signed_off_at BIGINT
);
CREATE INDEX best_interests_case ON best_interests(case_id);
