-- Issue 16 items 1 and 5: incidents of discrimination, xenophobic violence and abuse, recorded
-- as events without a named person, and monitors' visits to detention centres and forced-return
-- operations. Codes in the clear (what, where, when, how many) so the monitoring views count
-- them; the narrative, the findings and the link to a case or person are sealed (`link` holds
-- a sealed JSON naming them, so the database alone never ties an incident to anyone).
CREATE TABLE monitoring_visits (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organisations(id),
    kind          TEXT NOT NULL,
    place_name    TEXT NOT NULL,
    visited_on    TEXT NOT NULL,
    findings      BLOB NOT NULL,
    created_by    TEXT REFERENCES users(id),
    created_at    INTEGER NOT NULL
);
CREATE INDEX monitoring_visits_org ON monitoring_visits(org_id, visited_on);

CREATE TABLE incidents (
    id               TEXT PRIMARY KEY,
    org_id           TEXT NOT NULL REFERENCES organisations(id),
    occurred_on      TEXT NOT NULL,
    country          TEXT NOT NULL,
    region           TEXT,
    place_type       TEXT NOT NULL,
    perpetrator_type TEXT,
    women            INTEGER NOT NULL DEFAULT 0,
    men              INTEGER NOT NULL DEFAULT 0,
    girls            INTEGER NOT NULL DEFAULT 0,
    boys             INTEGER NOT NULL DEFAULT 0,
    unknown_sex      INTEGER NOT NULL DEFAULT 0,
    source           TEXT NOT NULL,
    verification     TEXT NOT NULL,
    narrative        BLOB NOT NULL,
    link             BLOB,
    report_id        TEXT REFERENCES reports(id),
    visit_id         TEXT REFERENCES monitoring_visits(id),
    created_by       TEXT REFERENCES users(id),
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX incidents_org ON incidents(org_id, occurred_on);
CREATE INDEX incidents_country ON incidents(country, occurred_on);

CREATE TABLE incident_kinds (
    incident_id TEXT NOT NULL REFERENCES incidents(id),
    kind        TEXT NOT NULL,
    PRIMARY KEY (incident_id, kind)
);

CREATE TABLE incident_motives (
    incident_id TEXT NOT NULL REFERENCES incidents(id),
    motive      TEXT NOT NULL,
    PRIMARY KEY (incident_id, motive)
);
