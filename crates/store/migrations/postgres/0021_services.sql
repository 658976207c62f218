-- The service directory: what providers offer, to whom, where and in which languages. An entry
-- describes an organisation's offer, not a person. The address is sealed (a shelter's keeps its
-- residents safe) and shown beyond the owning organisation only when address_public is set.
CREATE TABLE directory_services (
    id             TEXT PRIMARY KEY,
    org_id         TEXT NOT NULL REFERENCES organisations(id),
    name           TEXT NOT NULL,
    kind           TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    country        TEXT NOT NULL,
    sex            TEXT NOT NULL,
    ages           TEXT NOT NULL,
    status_blind   BIGINT NOT NULL DEFAULT 0,
    hours          TEXT NOT NULL DEFAULT '',
    contact        TEXT NOT NULL DEFAULT '',
    address        BYTEA,
    address_public BIGINT NOT NULL DEFAULT 0,
    public         BIGINT NOT NULL DEFAULT 0,
    version        BIGINT NOT NULL DEFAULT 1,
    created_by     TEXT,
    created_at     BIGINT NOT NULL,
    updated_by     TEXT,
    updated_at     BIGINT NOT NULL
);
CREATE INDEX directory_services_org ON directory_services (org_id, name);
CREATE INDEX directory_services_kind ON directory_services (kind, country);

-- The languages a service is given in (ISO 639).
CREATE TABLE directory_service_languages (
    service_id TEXT NOT NULL REFERENCES directory_services(id),
    language   TEXT NOT NULL,
    PRIMARY KEY (service_id, language)
);
CREATE INDEX directory_service_languages_language ON directory_service_languages (language, service_id);

-- Where a service reaches beyond its own country (region '') and the regions it covers.
CREATE TABLE directory_service_coverage (
    service_id TEXT NOT NULL REFERENCES directory_services(id),
    country    TEXT NOT NULL,
    region     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (service_id, country, region)
);
CREATE INDEX directory_service_coverage_country ON directory_service_coverage (country, service_id);

-- Places free out of a total, kept current by the provider; version guards against lost
-- updates, updated_at says how fresh the figure is.
CREATE TABLE directory_capacity (
    service_id TEXT PRIMARY KEY REFERENCES directory_services(id),
    free       BIGINT NOT NULL,
    total      BIGINT NOT NULL,
    version    BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT,
    CHECK (free >= 0 AND total >= 0 AND free <= total)
);
