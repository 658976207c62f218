-- Name search under variant spellings: `person_name_terms` also holds keyed tags of each name's
-- canonical spelling, phonetic skeleton and joined neighbouring tokens. This column says under
-- which derivation a person's tags were written (0: before variants); persons below the
-- current one are re-indexed when the store migrates (`Store::reindex_names`).
ALTER TABLE persons ADD COLUMN name_terms_version INTEGER NOT NULL DEFAULT 0;
CREATE INDEX persons_name_terms_version ON persons(name_terms_version);
