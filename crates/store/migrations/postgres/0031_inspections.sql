-- Issue 15 items 5 and 6: labour inspection. A visit to an entity by a labour inspectorate
-- (planned, done or cancelled), the organisations it was joint with, what it found (per ILO
-- forced-labour indicator and per labour-law category: codes, never free text about a
-- person), the orders it issued with their compliance deadlines, and the follow-up it planned
-- (`follow_up_of`). A sanction a visit confirmed is an `entity_sanctions` row that names the
-- visit, so the public recruiter check shows it. No row here names a complaint, a case, a
-- report or a person: an inspection never reveals who complained.
CREATE TABLE inspections (
    id            TEXT PRIMARY KEY,
    entity_id     TEXT NOT NULL REFERENCES entities(id),
    org_id        TEXT NOT NULL REFERENCES organisations(id),
    status        TEXT NOT NULL,
    planned_on    TEXT NOT NULL,
    done_on       TEXT,
    follow_up_of  TEXT REFERENCES inspections(id),
    created_by    TEXT REFERENCES users(id),
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    version       BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX inspections_entity ON inspections(entity_id);
CREATE INDEX inspections_org ON inspections(org_id, status, planned_on);

CREATE TABLE inspection_agencies (
    inspection_id TEXT NOT NULL REFERENCES inspections(id),
    org_id        TEXT NOT NULL REFERENCES organisations(id),
    PRIMARY KEY (inspection_id, org_id)
);

CREATE TABLE inspection_findings (
    inspection_id TEXT NOT NULL REFERENCES inspections(id),
    kind          TEXT NOT NULL,
    code          TEXT NOT NULL,
    PRIMARY KEY (inspection_id, kind, code)
);

CREATE TABLE inspection_orders (
    id            TEXT PRIMARY KEY,
    inspection_id TEXT NOT NULL REFERENCES inspections(id),
    category      TEXT NOT NULL,
    deadline      TEXT NOT NULL,
    complied_on   TEXT,
    created_at    BIGINT NOT NULL
);
CREATE INDEX inspection_orders_inspection ON inspection_orders(inspection_id);

ALTER TABLE entity_sanctions ADD COLUMN inspection_id TEXT REFERENCES inspections(id);
