-- Statistical facts (issue 18): one row per case with the few coarse values figures are counted
-- from, refreshed at each day's release. A case whose person has no statistics consent or other
-- basis for statistics in force keeps only its opening day and cell key (to count how many were
-- left out): its stage, sex, age band, citizenship and types are not copied here at all.
CREATE TABLE stats_facts (
    case_id      TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL,
    opened_on    TEXT NOT NULL,
    consented    BIGINT NOT NULL,
    record_key   BIGINT NOT NULL,
    country      TEXT,
    stage        TEXT,
    status       TEXT,
    sex          TEXT,
    age_band     TEXT,
    citizenship  TEXT,
    refreshed_at BIGINT NOT NULL
);
CREATE INDEX stats_facts_opened ON stats_facts(opened_on, consented);

CREATE TABLE stats_fact_types (
    case_id   TEXT NOT NULL,
    case_type TEXT NOT NULL,
    PRIMARY KEY (case_id, case_type)
);

-- The day's release: facts are refreshed once per UTC day, at the first question of the day.
CREATE TABLE stats_cuts (
    day    TEXT PRIMARY KEY,
    cut_at BIGINT NOT NULL,
    cases  BIGINT NOT NULL
);

-- The counts-only daily release this replaces.
DROP TABLE stats_releases;
