-- A photo or document sent with a public report: its metadata stripped before it is stored,
-- content and file name sealed (bound to the row's id). Erased with its report when the
-- retention period ends.
CREATE TABLE report_attachments (
    id           TEXT PRIMARY KEY,
    report_id    TEXT NOT NULL REFERENCES reports(id),
    filename     BLOB NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    content      BLOB NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE INDEX report_attachments_report ON report_attachments(report_id);

-- The retention purge looks for public reports (those with a receipt) by age.
CREATE INDEX reports_retention ON reports(received_at) WHERE receipt_hash IS NOT NULL;
