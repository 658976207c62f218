-- The four Ps grouped at the release cut (issue 18, performance): the dashboards read a few
-- hundred rows rather than every event. A counted measure has a row per country,
-- organisation, month and consent (`until_month` ''); the median's rows are by value (days);
-- compensation's rows by currency with the sum and the distinct cases; persons assisted and
-- the cases left out of it are cells of a (first month, last month) grid whose weights count
-- the persons open in any range of months (passage_stats::spans), where `org_id` '' holds
-- the country's own grid (a person helped by two organisations is one person there).
-- Counts and cell-key sums only: nothing here is finer than the event facts.
CREATE TABLE stats_measure_cells (
    measure     TEXT NOT NULL,
    country     TEXT NOT NULL,
    org_id      TEXT NOT NULL,
    month       TEXT NOT NULL,
    until_month TEXT NOT NULL,
    consented   INTEGER NOT NULL,
    currency    TEXT NOT NULL,
    value       INTEGER,
    n           INTEGER NOT NULL,
    key_sum     INTEGER NOT NULL,
    total       INTEGER NOT NULL,
    cases       INTEGER NOT NULL
);
CREATE INDEX stats_measure_cells_at ON stats_measure_cells(measure, country, month);

-- A release cut before this table existed is grouped again at its next question.
UPDATE stats_cuts SET grouped = 0;
