-- Case work: the free text that 0004 kept in plain TEXT columns is sealed instead. A plan
-- item's responsible is a user id (plain, in plan_items.responsible) or free text
-- (responsible_text, sealed); a service's provider is sealed in provider_sealed and the plain
-- provider column holds an empty string.

ALTER TABLE plan_items ADD COLUMN responsible_text BYTEA;
ALTER TABLE services ADD COLUMN provider_sealed BYTEA;
