-- Duplicate detection. Each person has keyed linkage keys (32-bit blind tags of the sounds of
-- their names and of their date of birth, keyed by the installation's master key, never the
-- values): a new person's candidates are the persons sharing enough of them. Scores are
-- computed in the store on decrypted identities and only the score and which fields agreed
-- leave it.
CREATE TABLE person_link_keys (
    person_id TEXT NOT NULL REFERENCES persons(id),
    link_key  INTEGER NOT NULL,
    PRIMARY KEY (link_key, person_id)
);
CREATE INDEX person_link_keys_person ON person_link_keys(person_id);

-- Candidate duplicates within one organisation, for its review queue.
CREATE TABLE duplicate_candidates (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organisations(id),
    person_id   TEXT NOT NULL REFERENCES persons(id),
    other_id    TEXT NOT NULL REFERENCES persons(id),
    probability REAL NOT NULL,
    explanation TEXT NOT NULL,
    status      TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    decided_by  TEXT REFERENCES users(id),
    decided_at  INTEGER,
    UNIQUE (person_id, other_id)
);
CREATE INDEX duplicate_candidates_queue ON duplicate_candidates(org_id, status, created_at);

-- A merge moves the merged person's cases to the kept person and marks the merged person; the
-- moved cases are kept so an unmerge moves exactly those back.
CREATE TABLE person_merges (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES organisations(id),
    candidate_id TEXT NOT NULL REFERENCES duplicate_candidates(id),
    kept_id      TEXT NOT NULL REFERENCES persons(id),
    merged_id    TEXT NOT NULL REFERENCES persons(id),
    moved_cases  TEXT NOT NULL,
    by_user      TEXT NOT NULL REFERENCES users(id),
    at           INTEGER NOT NULL,
    undone_by    TEXT REFERENCES users(id),
    undone_at    INTEGER
);
ALTER TABLE persons ADD COLUMN merged_into TEXT;
-- When the person's linkage keys were last built (persons from before this migration, or
-- registered in bulk, have none until the start-up pass builds them).
ALTER TABLE persons ADD COLUMN link_keyed_at INTEGER;

-- A probable match across organisations: each side sees only that a partner may hold a record
-- of its own person, never who or what, until a consented referral resolves it.
CREATE TABLE partner_signals (
    id            TEXT PRIMARY KEY,
    person_id     TEXT NOT NULL REFERENCES persons(id),
    org_id        TEXT NOT NULL REFERENCES organisations(id),
    partner_person_id TEXT NOT NULL REFERENCES persons(id),
    partner_org_id    TEXT NOT NULL REFERENCES organisations(id),
    probability   REAL NOT NULL,
    status        TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    UNIQUE (person_id, partner_person_id)
);
CREATE INDEX partner_signals_person ON partner_signals(person_id);
CREATE INDEX partner_signals_partner ON partner_signals(partner_person_id);
