-- What happened to the worker (issue 15 item 3) and their remedies (item 4), on a case.
-- Amounts are integers in the currency's minor units with the ISO 4217 code beside them, kinds
-- and stages are vocabulary values, dates are text (YYYY, YYYY-MM or YYYY-MM-DD; a claim's
-- deadline always a day). Whom a fee was paid to, whom a debt is owed, the evidence, the terms
-- of a debt, both contracts' terms and a claim's note are sealed: they name people and
-- businesses in the worker's account. entity_id is kept for linking to the register of
-- recruiters and employers later; it refers to nothing yet.
CREATE TABLE labour_fees (
    id            TEXT PRIMARY KEY,
    case_id       TEXT NOT NULL REFERENCES cases(id),
    kind          TEXT NOT NULL,
    amount_minor  INTEGER NOT NULL,
    currency      TEXT NOT NULL,
    paid_to       BLOB NOT NULL,
    paid_on       TEXT,
    evidence      BLOB,
    entity_id     TEXT,
    recorded_by   TEXT NOT NULL REFERENCES users(id),
    recorded_at   INTEGER NOT NULL
);
CREATE INDEX labour_fees_case ON labour_fees(case_id, recorded_at);
CREATE TABLE labour_debts (
    id            TEXT PRIMARY KEY,
    case_id       TEXT NOT NULL REFERENCES cases(id),
    amount_minor  INTEGER NOT NULL,
    currency      TEXT NOT NULL,
    owed_to       BLOB NOT NULL,
    terms         BLOB,
    entity_id     TEXT,
    recorded_by   TEXT NOT NULL REFERENCES users(id),
    recorded_at   INTEGER NOT NULL
);
CREATE INDEX labour_debts_case ON labour_debts(case_id, recorded_at);
-- A case's contract promised and contract found: the latest of each version counts.
CREATE TABLE labour_contracts (
    id            TEXT PRIMARY KEY,
    case_id       TEXT NOT NULL REFERENCES cases(id),
    version       TEXT NOT NULL,
    terms         BLOB NOT NULL,
    entity_id     TEXT,
    recorded_by   TEXT NOT NULL REFERENCES users(id),
    recorded_at   INTEGER NOT NULL
);
CREATE INDEX labour_contracts_case ON labour_contracts(case_id, version, recorded_at);
CREATE TABLE labour_wages (
    id            TEXT PRIMARY KEY,
    case_id       TEXT NOT NULL REFERENCES cases(id),
    period_from   TEXT NOT NULL,
    period_to     TEXT,
    amount_minor  INTEGER NOT NULL,
    currency      TEXT NOT NULL,
    recorded_by   TEXT NOT NULL REFERENCES users(id),
    recorded_at   INTEGER NOT NULL
);
CREATE INDEX labour_wages_case ON labour_wages(case_id, recorded_at);
CREATE TABLE labour_claims (
    id               TEXT PRIMARY KEY,
    case_id          TEXT NOT NULL REFERENCES cases(id),
    kind             TEXT NOT NULL,
    subject          TEXT NOT NULL,
    stage            TEXT NOT NULL,
    amount_claimed   INTEGER NOT NULL,
    amount_recovered INTEGER NOT NULL,
    currency         TEXT NOT NULL,
    deadline         TEXT,
    note             BLOB,
    version          INTEGER NOT NULL,
    recorded_by      TEXT NOT NULL REFERENCES users(id),
    recorded_at      INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX labour_claims_case ON labour_claims(case_id, recorded_at);
