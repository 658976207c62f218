-- The four Ps (issue 18): event facts copied at each day's release, and a count of rights pages
-- read. An event is one piece of an organisation's work (a report received, a case open, a
-- service delivered, a referral sent or accepted, a proceeding opened, a compensation payment),
-- keyed by its source. `org_id` and `country` are the organisation whose work it is and that
-- organisation's country. An event about a person whose statistics consent is not in force at
-- the cut keeps only what places it in a measure (kind, day, organisation, receiver kind and
-- cross-border flag), to be counted as left out: no stage, value, currency or subject.
-- `subject` is a keyed pseudonym of the person (so that persons are counted once), never the
-- person's id. `until_day` is the day a case was closed. `value` is days (first service) or
-- minor currency units (compensation).
CREATE TABLE stats_events (
    source_kind   TEXT NOT NULL,
    source_id     TEXT NOT NULL,
    org_id        TEXT NOT NULL,
    country       TEXT NOT NULL,
    day           TEXT NOT NULL,
    until_day     TEXT,
    consented     INTEGER NOT NULL,
    record_key    INTEGER NOT NULL,
    case_id       TEXT,
    subject       TEXT,
    stage         TEXT,
    cross_border  INTEGER,
    receiver_kind TEXT,
    value         INTEGER,
    currency      TEXT,
    refreshed_at  INTEGER NOT NULL,
    PRIMARY KEY (source_kind, source_id)
);
CREATE INDEX stats_events_day ON stats_events(source_kind, country, day);

-- Rights pages served, per day, country, stage, page and language: a number and nothing about
-- who read. Pages served from a cache are not counted, so it is a lower bound.
CREATE TABLE stats_rights_reads (
    day      TEXT NOT NULL,
    country  TEXT NOT NULL,
    stage    TEXT NOT NULL,
    slug     TEXT NOT NULL,
    language TEXT NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (day, country, stage, slug, language)
);
