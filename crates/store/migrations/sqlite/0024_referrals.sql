-- Issue 14: referrals. A case's organisation asks a service of another organisation to work
-- with the person. The case does not move: the receiver reads only what the referral carries.
-- `shared_fields` lists the ShareField spellings chosen (comma-separated, fixed order); the
-- values themselves are sealed in `snapshot` at the time of sending, so the receiver never reads
-- the live case. `consent_id` is the basis that covered the receiving organisation: when it is
-- withdrawn the referral becomes 'withdrawn' in the same transaction and the receiver's reads
-- answer as for a referral that does not exist (the snapshot stays sealed for the referrer's
-- history only). `place_taken` says an acceptance took one place of the service's capacity.
CREATE TABLE referrals (
    id             TEXT PRIMARY KEY,
    case_id        TEXT NOT NULL REFERENCES cases(id),
    from_org       TEXT NOT NULL REFERENCES organisations(id),
    service_id     TEXT NOT NULL REFERENCES directory_services(id),
    to_org         TEXT NOT NULL REFERENCES organisations(id),
    purpose        TEXT NOT NULL,
    consent_id     TEXT REFERENCES consents(id),
    shared_fields  TEXT NOT NULL,
    snapshot       BLOB NOT NULL,
    note           BLOB,
    status         TEXT NOT NULL,
    outcome        BLOB,
    sent_by        TEXT NOT NULL REFERENCES users(id),
    sent_at        INTEGER NOT NULL,
    answer_due     INTEGER NOT NULL,
    answered_by    TEXT REFERENCES users(id),
    answered_at    INTEGER,
    place_taken    INTEGER NOT NULL DEFAULT 0,
    version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX referrals_to_org ON referrals(to_org, sent_at);
CREATE INDEX referrals_from_org ON referrals(from_org, sent_at);
CREATE INDEX referrals_consent ON referrals(consent_id);
CREATE INDEX referrals_case ON referrals(case_id, sent_at);
