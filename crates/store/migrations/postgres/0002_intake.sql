-- Intake: reports from every channel, their messages, routing rules, gateway idempotency,
-- queued replies, alerts and the webhook outbox. Narratives, places, employers, contacts and
-- phone numbers are sealed; the receipt exists only as a slow keyed hash.

CREATE TABLE reports (
    id               TEXT PRIMARY KEY,
    org_id           TEXT REFERENCES organisations(id),
    channel          TEXT NOT NULL,
    reporter_type    TEXT NOT NULL,
    language         TEXT NOT NULL,
    urgency          TEXT NOT NULL,
    status           TEXT NOT NULL,
    country          TEXT,
    place            BYTEA,
    employer         BYTEA,
    narrative        BYTEA NOT NULL,
    contact          BYTEA,
    callback_consent BIGINT NOT NULL DEFAULT 0,
    callback_time    BYTEA,
    receipt_hash     TEXT UNIQUE,
    sender_tag       TEXT,
    sender           BYTEA,
    case_id          TEXT REFERENCES cases(id),
    close_reason     TEXT,
    created_by       TEXT REFERENCES users(id),
    received_at      BIGINT NOT NULL,
    due_at           BIGINT NOT NULL,
    acknowledged_at  BIGINT,
    updated_at       BIGINT NOT NULL,
    version          BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX reports_queue ON reports(org_id, status, urgency, received_at);
CREATE INDEX reports_sender ON reports(sender_tag, status);

CREATE TABLE report_categories (
    report_id TEXT NOT NULL REFERENCES reports(id),
    category  TEXT NOT NULL,
    PRIMARY KEY (report_id, category)
);

CREATE TABLE report_messages (
    id          TEXT PRIMARY KEY,
    report_id   TEXT NOT NULL REFERENCES reports(id),
    author      TEXT NOT NULL,
    author_user TEXT REFERENCES users(id),
    body        BYTEA NOT NULL,
    at          BIGINT NOT NULL
);
CREATE INDEX report_messages_report ON report_messages(report_id, at);

CREATE TABLE routing_rules (
    id       TEXT PRIMARY KEY,
    position BIGINT NOT NULL,
    category TEXT,
    country  TEXT,
    org_id   TEXT NOT NULL REFERENCES organisations(id)
);

CREATE TABLE inbound_messages (
    provider   TEXT NOT NULL,
    message_id TEXT NOT NULL,
    report_id  TEXT NOT NULL REFERENCES reports(id),
    at         BIGINT NOT NULL,
    PRIMARY KEY (provider, message_id)
);

CREATE TABLE outbound_messages (
    id         TEXT PRIMARY KEY,
    report_id  TEXT NOT NULL REFERENCES reports(id),
    channel    TEXT NOT NULL,
    recipient  BYTEA NOT NULL,
    body       BYTEA NOT NULL,
    status     TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    sent_at    BIGINT
);
CREATE INDEX outbound_queue ON outbound_messages(status, created_at);

CREATE TABLE alerts (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL REFERENCES organisations(id),
    report_id       TEXT NOT NULL REFERENCES reports(id),
    kind            TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    acknowledged_at BIGINT
);
CREATE INDEX alerts_open ON alerts(org_id, acknowledged_at);

CREATE TABLE webhook_outbox (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    payload    TEXT NOT NULL,
    status     TEXT NOT NULL,
    attempts   BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    next_at    BIGINT NOT NULL
);
CREATE INDEX webhook_outbox_due ON webhook_outbox(status, next_at);
