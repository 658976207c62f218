-- Staff replies leave through the gateway their report came in on (issue 19 item 4). A reply
-- is linked to the thread message staff read (`message_id`), goes through `gateway`, and is
-- tried until the gateway takes it: `attempts` so far, due again at `next_at` (a claim leases
-- it by moving `next_at`), the last attempt's error code (`last_error`: an HTTP status or a
-- gateway's error number, never the number or the text), the gateway's own id for it
-- (`provider_id`, which its status callbacks name) and, when it failed, the reason staff see
-- (`reason`). Every change of state is kept in `outbound_message_events`: time, state, error
-- code, and who said so (the sender or a gateway's callback), numbered in order (`seq`). Nothing personal in either.
ALTER TABLE outbound_messages ADD COLUMN message_id TEXT;
ALTER TABLE outbound_messages ADD COLUMN gateway TEXT;
ALTER TABLE outbound_messages ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbound_messages ADD COLUMN next_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbound_messages ADD COLUMN last_error TEXT;
ALTER TABLE outbound_messages ADD COLUMN reason TEXT;
ALTER TABLE outbound_messages ADD COLUMN provider_id TEXT;
ALTER TABLE outbound_messages ADD COLUMN updated_at INTEGER;
UPDATE outbound_messages SET gateway = CASE channel WHEN 'sms' THEN 'twilio' ELSE 'rapidpro' END,
    updated_at = created_at;
CREATE INDEX outbound_due ON outbound_messages(status, next_at);
CREATE INDEX outbound_provider ON outbound_messages(gateway, provider_id);
CREATE INDEX outbound_thread ON outbound_messages(message_id);

CREATE TABLE outbound_message_events (
    outbound_id TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    at          INTEGER NOT NULL,
    status      TEXT NOT NULL,
    error_code  TEXT,
    source      TEXT NOT NULL
);
CREATE UNIQUE INDEX outbound_message_events_of ON outbound_message_events(outbound_id, seq);
