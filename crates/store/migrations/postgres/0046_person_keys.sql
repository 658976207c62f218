-- Crypto-erasure (issue 19): each person's data key, wrapped (sealed) by the field key under
-- the label person_keys.wrapped, bound to the person's id. Erasing the person deletes the row;
-- data backups never hold this table (the keys travel in a separate keyring file), so an
-- erased person stays unreadable in every older backup.
CREATE TABLE person_keys (
    id         TEXT PRIMARY KEY REFERENCES persons(id),
    key_id     TEXT NOT NULL,
    wrapped    BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);

-- When the person was erased (their identity is gone; the row stays for the case shell).
ALTER TABLE persons ADD COLUMN erased_at BIGINT;

-- A legal hold on a case: while set, nobody erases the person of the case.
ALTER TABLE cases ADD COLUMN legal_hold BIGINT NOT NULL DEFAULT 0;
