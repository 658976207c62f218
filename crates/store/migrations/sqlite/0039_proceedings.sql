-- Proceedings, perpetrators and the victim's rights in them (issue 17 item 3). Perpetrators'
-- facts, authorities, references, places and sentences are sealed; the rest is vocabulary,
-- dates, amounts and who changed what when. Perpetrators are never persons in care: they have
-- no row in persons and no blind index.
CREATE TABLE perpetrators (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases(id),
    facts       BLOB NOT NULL,
    details     BLOB,
    created_by  TEXT NOT NULL REFERENCES users(id),
    created_at  INTEGER NOT NULL
);
CREATE INDEX perpetrators_case ON perpetrators(case_id, created_at);
CREATE TABLE proceedings (
    id                 TEXT PRIMARY KEY,
    case_id            TEXT NOT NULL REFERENCES cases(id),
    kind               TEXT NOT NULL,
    stage              TEXT NOT NULL,
    authority          BLOB,
    reference          BLOB,
    victim_role        TEXT NOT NULL,
    outcome            TEXT,
    sentence           BLOB,
    decided_on         TEXT,
    compensation_minor INTEGER,
    currency           TEXT,
    created_by         TEXT NOT NULL REFERENCES users(id),
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
);
CREATE INDEX proceedings_case ON proceedings(case_id, created_at);
CREATE TABLE proceeding_stages (
    id            TEXT PRIMARY KEY,
    proceeding_id TEXT NOT NULL REFERENCES proceedings(id),
    from_stage    TEXT,
    to_stage      TEXT NOT NULL,
    changed_by    TEXT NOT NULL REFERENCES users(id),
    changed_at    INTEGER NOT NULL
);
CREATE INDEX proceeding_stages_proceeding ON proceeding_stages(proceeding_id, changed_at);
CREATE TABLE proceeding_perpetrators (
    proceeding_id  TEXT NOT NULL REFERENCES proceedings(id),
    perpetrator_id TEXT NOT NULL REFERENCES perpetrators(id),
    created_at     INTEGER NOT NULL,
    PRIMARY KEY (proceeding_id, perpetrator_id)
);
CREATE TABLE proceeding_measures (
    id            TEXT PRIMARY KEY,
    proceeding_id TEXT NOT NULL REFERENCES proceedings(id),
    kind          TEXT NOT NULL,
    status        TEXT NOT NULL,
    updated_by    TEXT NOT NULL REFERENCES users(id),
    updated_at    INTEGER NOT NULL,
    UNIQUE (proceeding_id, kind)
);
CREATE TABLE hearings (
    id            TEXT PRIMARY KEY,
    proceeding_id TEXT NOT NULL REFERENCES proceedings(id),
    held_on       TEXT NOT NULL,
    at_time       TEXT,
    kind          TEXT NOT NULL,
    place         BLOB,
    cancelled_at  INTEGER,
    task_id       TEXT REFERENCES tasks(id),
    created_by    TEXT NOT NULL REFERENCES users(id),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX hearings_proceeding ON hearings(proceeding_id, held_on);
CREATE TABLE compensation_payments (
    id            TEXT PRIMARY KEY,
    proceeding_id TEXT NOT NULL REFERENCES proceedings(id),
    amount_minor  INTEGER NOT NULL,
    paid_on       TEXT NOT NULL,
    recorded_by   TEXT NOT NULL REFERENCES users(id),
    recorded_at   INTEGER NOT NULL
);
CREATE INDEX compensation_payments_proceeding ON compensation_payments(proceeding_id, paid_on);
CREATE TABLE cooperation_stances (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases(id),
    stance      TEXT NOT NULL,
    stated_on   TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users(id),
    recorded_at INTEGER NOT NULL
);
CREATE INDEX cooperation_stances_case ON cooperation_stances(case_id, recorded_at);
