-- Residence and work permits on protection grounds (issue 17 item 1). A permit is the
-- person's migration status in another form: its kind and status are sealed as the migration
-- status is, with the authority, the reference number and the note. The dates stay readable
-- for the reminders; the reminder's task is the one task_id keeps up to date.
CREATE TABLE permits (
    id              TEXT PRIMARY KEY,
    case_id         TEXT NOT NULL REFERENCES cases(id),
    kind            BYTEA NOT NULL,
    status          BYTEA NOT NULL,
    authority       BYTEA,
    reference       BYTEA,
    note            BYTEA,
    applied_on      TEXT,
    decided_on      TEXT,
    valid_from      TEXT,
    expires_on      TEXT,
    appeal_deadline TEXT,
    task_id         TEXT REFERENCES tasks(id),
    task_kind       TEXT,
    created_by      TEXT NOT NULL REFERENCES users(id),
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    version         BIGINT NOT NULL
);
CREATE INDEX permits_case ON permits(case_id, created_at);
-- Every change of a permit's status: who, when, from and to (sealed).
CREATE TABLE permit_history (
    id          TEXT PRIMARY KEY,
    permit_id   TEXT NOT NULL REFERENCES permits(id),
    from_status BYTEA,
    to_status   BYTEA NOT NULL,
    by_user     TEXT NOT NULL REFERENCES users(id),
    at          BIGINT NOT NULL
);
CREATE INDEX permit_history_permit ON permit_history(permit_id, at);
