-- A return that is safe (issue 17 item 5). Notes, the person's own words, the language they
-- were informed in, the country of return, the route, the reception and the survey answers
-- are sealed; the rest is vocabulary, dates and the ids of referrals of the referral network.
-- A return's id is its case's id (one return per case): sealed values are bound to it.
CREATE TABLE returns (
    id                   TEXT PRIMARY KEY,
    case_id              TEXT NOT NULL UNIQUE REFERENCES cases(id),
    family_willing       TEXT,
    family_note          BLOB,
    country              BLOB,
    departure_on         TEXT,
    legs                 BLOB,
    escort               INTEGER,
    reception            BLOB,
    arrival_on           TEXT,
    documents_referral_id TEXT REFERENCES referrals(id),
    document_status      TEXT,
    handover_referral_id TEXT REFERENCES referrals(id),
    updated_by           TEXT NOT NULL REFERENCES users(id),
    updated_at           INTEGER NOT NULL
);
CREATE INDEX returns_handover ON returns(handover_referral_id);
CREATE TABLE return_risks (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases(id),
    risk        TEXT NOT NULL,
    note        BLOB,
    created_by  TEXT NOT NULL REFERENCES users(id),
    created_at  INTEGER NOT NULL
);
CREATE INDEX return_risks_case ON return_risks(case_id, created_at);
CREATE TABLE return_choices (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases(id),
    language    BLOB NOT NULL,
    informed_on TEXT NOT NULL,
    interpreter INTEGER NOT NULL,
    choice      TEXT NOT NULL,
    voluntary   INTEGER NOT NULL,
    own_words   BLOB,
    created_by  TEXT NOT NULL REFERENCES users(id),
    created_at  INTEGER NOT NULL
);
CREATE INDEX return_choices_case ON return_choices(case_id, created_at);
CREATE TABLE reintegration_visits (
    id          TEXT PRIMARY KEY,
    referral_id TEXT NOT NULL REFERENCES referrals(id),
    month       TEXT NOT NULL,
    visited_on  TEXT NOT NULL,
    answers     BLOB NOT NULL,
    note        BLOB,
    recorded_by TEXT NOT NULL REFERENCES users(id),
    created_at  INTEGER NOT NULL,
    UNIQUE (referral_id, month)
);
