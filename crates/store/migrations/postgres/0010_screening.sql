-- Screenings: an instrument (id and version), the interview language, the answers and the
-- result, both sealed (a yes to "were you hurt" is as sensitive as a note). The conclusion stays
-- readable for queues and statistics. A screening belongs to a case, or to a hotline report
-- until a case is opened from it. Re-screening adds a row: history is every row of a case.
CREATE TABLE screenings (
    id                 TEXT PRIMARY KEY,
    case_id            TEXT REFERENCES cases(id),
    report_id          TEXT REFERENCES reports(id),
    org_id             TEXT NOT NULL REFERENCES organisations(id),
    instrument_id      TEXT NOT NULL,
    instrument_version TEXT NOT NULL,
    language           TEXT NOT NULL,
    status             TEXT NOT NULL,
    answers            BYTEA NOT NULL,
    result             BYTEA,
    conclusion         TEXT,
    created_by         TEXT NOT NULL REFERENCES users(id),
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    completed_at       BIGINT,
    version            BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX screenings_case ON screenings(case_id, created_at);
CREATE INDEX screenings_report ON screenings(report_id);

-- HTCDS vic_MethodsOfControl and vic_TypeOfExploitation, as HTCDS multiselect values joined by
-- ';'. Screenings add to them; staff may add more.
ALTER TABLE cases ADD COLUMN methods_of_control TEXT;
ALTER TABLE cases ADD COLUMN type_of_exploitation TEXT;
-- The screening an identification decision refers to, if any.
ALTER TABLE cases ADD COLUMN identification_screening TEXT;
