-- Exports and differentially private releases (issue 18). One row per export written: its
-- kind ('htcds', 'ctdc'), its dataset (kind and period: 'ctdc:2025-01..2025-12', 'ctdc:all'),
-- the months it covers (YYYY-MM, '' for open), the epsilon it spent in ten-thousandths (NULL
-- for the k-anonymised HTCDS file, which spends none), the dataset's budget when it was
-- released (ten-thousandths), its parameters as JSON text (k, epsilon per marginal, marginals,
-- columns), the rows written, when and by whom ('operator:<purpose>' or a user id). Ids and
-- parameters only: nothing here is about a person.
CREATE TABLE stats_exports (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    dataset      TEXT NOT NULL,
    period_from  TEXT NOT NULL,
    period_to    TEXT NOT NULL,
    epsilon      INTEGER,
    budget       INTEGER,
    parameters   TEXT NOT NULL,
    rows_written INTEGER NOT NULL,
    released_at  INTEGER NOT NULL,
    released_by  TEXT NOT NULL
);
CREATE INDEX stats_exports_kind ON stats_exports(kind, released_at);
