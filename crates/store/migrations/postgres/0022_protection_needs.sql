-- International protection needs (issue 14 item 5): a person who seeks asylum, is a refugee or
-- fears return is never referred, transferred or shown to an authority of a country they fled.
-- The kind is a vocabulary value (plain); the countries and the reason are sealed
-- (protection_needs.countries, protection_needs.reason): which state a person fled is as
-- telling as a citizenship, and no blind index is kept on it.
CREATE TABLE protection_needs (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES cases(id),
    kind         TEXT NOT NULL,
    countries    BYTEA NOT NULL,
    reason       BYTEA NOT NULL,
    recorded_by  TEXT NOT NULL REFERENCES users(id),
    recorded_at  BIGINT NOT NULL
);
CREATE INDEX protection_needs_case ON protection_needs(case_id, recorded_at);
