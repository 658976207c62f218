-- Values that were kept plain are sealed like every other field about a person: the reason a
-- report was closed (free text), a document's issuing country and the language a consent was
-- explained in (each points at a nationality). The plain columns stay for the engines' sake;
-- the store seals what they held when it opens and empties them.
ALTER TABLE reports ADD COLUMN close_reason_sealed BLOB;
ALTER TABLE person_documents ADD COLUMN country_sealed BLOB;
ALTER TABLE consents ADD COLUMN language_sealed BLOB;
ALTER TABLE partner_signals ADD COLUMN person_consent_language_sealed BLOB;
ALTER TABLE partner_signals ADD COLUMN partner_consent_language_sealed BLOB;

-- Published statistics are the day's release: counts cut once a day (UTC) and served unchanged
-- until the next day, so no one can watch one person's case move by polling before and after.
CREATE TABLE stats_releases (
    day       TEXT PRIMARY KEY,
    cut_at    INTEGER NOT NULL,
    by_type   TEXT NOT NULL,
    by_stage  TEXT NOT NULL
);
