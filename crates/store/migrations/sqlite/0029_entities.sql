-- Issue 15 items 1, 2 and 7: the register of recruiters and employers. One register shared by
-- the network. A business's name is kept in the clear (`name`, found by similarity); a
-- household's name may be a private person's, so it is sealed (`name_sealed`) and `name` stays
-- empty. A merge keeps both rows: the absorbed one points to the survivor (`merged_into`), and
-- undoing it clears the pointer. Who named an entity is in `entity_links` with the naming
-- organisation, read back only by that organisation; others get counts.
CREATE TABLE entities (
    id                TEXT PRIMARY KEY,
    kind              TEXT NOT NULL,
    name              TEXT NOT NULL,
    name_sealed       BLOB,
    country           TEXT NOT NULL,
    licence_number    TEXT,
    licence_status    TEXT NOT NULL DEFAULT 'unknown',
    licence_authority TEXT,
    licence_date      TEXT,
    sector            TEXT,
    merged_into       TEXT REFERENCES entities(id),
    merged_at         INTEGER,
    created_by        TEXT REFERENCES users(id),
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX entities_licence ON entities(licence_number);
CREATE INDEX entities_merged ON entities(merged_into);

CREATE TABLE entity_workplaces (
    id         TEXT PRIMARY KEY,
    entity_id  TEXT NOT NULL REFERENCES entities(id),
    address    BLOB NOT NULL,
    created_by TEXT REFERENCES users(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX entity_workplaces_entity ON entity_workplaces(entity_id);

CREATE TABLE entity_links (
    id          TEXT PRIMARY KEY,
    entity_id   TEXT NOT NULL REFERENCES entities(id),
    record      TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    role        TEXT NOT NULL,
    org_id      TEXT NOT NULL REFERENCES organisations(id),
    created_by  TEXT NOT NULL REFERENCES users(id),
    created_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX entity_links_once ON entity_links(entity_id, record, record_id, role);
CREATE INDEX entity_links_record ON entity_links(record, record_id);

CREATE TABLE entity_sanctions (
    id          TEXT PRIMARY KEY,
    entity_id   TEXT NOT NULL REFERENCES entities(id),
    description TEXT NOT NULL,
    authority   TEXT NOT NULL,
    decided_on  TEXT NOT NULL,
    org_id      TEXT NOT NULL REFERENCES organisations(id),
    created_by  TEXT REFERENCES users(id),
    created_at  INTEGER NOT NULL
);
CREATE INDEX entity_sanctions_entity ON entity_sanctions(entity_id);
