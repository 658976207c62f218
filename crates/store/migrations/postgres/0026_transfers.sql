-- Issue 14: transfers. The case itself moves to another organisation (a hotline hands over to
-- the shelter). A transfer is proposed by the owning organisation on a basis covering the
-- receiving one (`consent_id`, as for a referral); while it is 'pending' the receiver reads only
-- the sealed `snapshot` (name, languages, needs) and the reason, never the live case. On
-- acceptance the case and its person get the receiver's org_id in the same transaction and this
-- row stays as the sender's read-only stub: when, to whom, the status, and the outcome the
-- receiver records when it closes the transfer. A withdrawn consent ends a pending transfer
-- ('withdrawn'). At most one pending transfer per case (the partial unique index): of two
-- proposals at once, one is written.
CREATE TABLE case_transfers (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES cases(id),
    from_org     TEXT NOT NULL REFERENCES organisations(id),
    to_org       TEXT NOT NULL REFERENCES organisations(id),
    consent_id   TEXT REFERENCES consents(id),
    reason       BYTEA NOT NULL,
    note         BYTEA,
    snapshot     BYTEA NOT NULL,
    status       TEXT NOT NULL,
    answer       BYTEA,
    outcome      BYTEA,
    proposed_by  TEXT NOT NULL REFERENCES users(id),
    proposed_at  BIGINT NOT NULL,
    answered_by  TEXT REFERENCES users(id),
    answered_at  BIGINT,
    closed_at    BIGINT,
    version      BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX case_transfers_one_pending ON case_transfers(case_id) WHERE status = 'pending';
CREATE INDEX case_transfers_to_org ON case_transfers(to_org, proposed_at);
CREATE INDEX case_transfers_from_org ON case_transfers(from_org, proposed_at);
CREATE INDEX case_transfers_consent ON case_transfers(consent_id);
