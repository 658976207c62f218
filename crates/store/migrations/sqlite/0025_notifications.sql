-- Issue 14 item 8 and item 2: the in-app inbox, per-organisation signed webhooks, and answer
-- reminders. A notification names only ids (the referral, the other organisation) and a kind:
-- never a name or a note. It is written in the transaction of the event it announces.
CREATE TABLE notifications (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    kind        TEXT NOT NULL,
    referral_id TEXT NOT NULL REFERENCES referrals(id),
    other_org   TEXT NOT NULL REFERENCES organisations(id),
    created_at  INTEGER NOT NULL,
    read_at     INTEGER
);
CREATE INDEX notifications_user ON notifications(user_id, created_at);

-- One endpoint per organisation, registered by its administrator; the signing secret is
-- sealed (`org_webhooks.secret`) and shown once when it is made.
CREATE TABLE org_webhooks (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL UNIQUE REFERENCES organisations(id),
    url        TEXT NOT NULL,
    secret     BLOB NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL
);

-- An outbox row with an `org_id` goes to that organisation's endpoint; without one, to the
-- configured alert address as before. `last_at` and `last_result` are the delivery log.
ALTER TABLE webhook_outbox ADD COLUMN org_id TEXT REFERENCES organisations(id);
ALTER TABLE webhook_outbox ADD COLUMN last_at INTEGER;
ALTER TABLE webhook_outbox ADD COLUMN last_result TEXT;
CREATE INDEX webhook_outbox_org ON webhook_outbox(org_id, created_at);

-- A service's answer time sets the `answer_due` of the referrals it receives; `reminded_at`
-- marks the one overdue reminder a referral gets.
ALTER TABLE directory_services ADD COLUMN answer_hours INTEGER NOT NULL DEFAULT 72;
ALTER TABLE referrals ADD COLUMN reminded_at INTEGER;
CREATE INDEX referrals_due ON referrals(status, answer_due);
