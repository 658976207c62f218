-- International protection as part of the person's protection (issue 17 item 2): who raised a
-- need, its status and its reviews, its end, and the referrals made for it.
-- Existing needs were recorded by a caseworker of the case's organisation and are in force.
ALTER TABLE protection_needs ADD COLUMN raised_by TEXT NOT NULL DEFAULT 'caseworker';
ALTER TABLE protection_needs ADD COLUMN status TEXT NOT NULL DEFAULT 'in_force';
ALTER TABLE protection_needs ADD COLUMN next_review_on TEXT;
-- The next review is a task on the case's work list: the task it keeps up to date.
ALTER TABLE protection_needs ADD COLUMN task_id TEXT REFERENCES tasks(id);
ALTER TABLE protection_needs ADD COLUMN ended_by TEXT REFERENCES users(id);
ALTER TABLE protection_needs ADD COLUMN ended_at INTEGER;
-- Why it ended (protection_needs.end_reason, sealed).
ALTER TABLE protection_needs ADD COLUMN end_reason BLOB;
-- A review: the day, the outcome (confirmed, changed, ended), a note (sealed,
-- protection_reviews.note), the next review day; when the countries changed, the countries
-- before (sealed, protection_reviews.countries_before) so the history shows the change.
CREATE TABLE protection_reviews (
    id               TEXT PRIMARY KEY,
    need_id          TEXT NOT NULL REFERENCES protection_needs(id),
    reviewed_on      TEXT NOT NULL,
    outcome          TEXT NOT NULL,
    note             BLOB NOT NULL,
    countries_before BLOB,
    next_review_on   TEXT,
    recorded_by      TEXT NOT NULL REFERENCES users(id),
    recorded_at      INTEGER NOT NULL
);
CREATE INDEX protection_reviews_need ON protection_reviews(need_id, recorded_at);
-- A referral made for a protection need (an asylum procedure, a refugee agency).
ALTER TABLE referrals ADD COLUMN protection_need_id TEXT REFERENCES protection_needs(id);
