-- Issue 14: a report in triage handed over to the competent organisation. The report row moves
-- (its org_id changes); this table keeps who handed it over, when, from and to which
-- organisation, and why (sealed). The sending organisation keeps these rows as its stub of the
-- report; the receiving organisation reads them with the report.
CREATE TABLE report_handovers (
    id          TEXT PRIMARY KEY,
    report_id   TEXT NOT NULL REFERENCES reports(id),
    from_org    TEXT NOT NULL REFERENCES organisations(id),
    to_org      TEXT NOT NULL REFERENCES organisations(id),
    by_user     TEXT NOT NULL REFERENCES users(id),
    reason      BLOB NOT NULL,
    received_at INTEGER NOT NULL,
    at          INTEGER NOT NULL
);
CREATE INDEX report_handovers_from ON report_handovers(from_org, at);
CREATE INDEX report_handovers_report ON report_handovers(report_id, at);
