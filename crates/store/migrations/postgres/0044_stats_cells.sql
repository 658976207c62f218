-- The day's release, grouped (issue 18, performance): at each cut the facts are counted once by
-- month of opening, organisation, consent and the values of one dimension, so that a question
-- by one dimension groups a few hundred rows rather than every case. `dimension` names the
-- dimension (`type`, `stage`, …; the rows of case types count a case with two types in both),
-- and '' marks the rows of all cases of the month (`value` NULL), consented or not. Counts and
-- cell-key sums only: nothing here is finer than the facts.
CREATE TABLE stats_cells (
    month       TEXT NOT NULL,
    org_id      TEXT NOT NULL,
    consented   BIGINT NOT NULL,
    dimension   TEXT NOT NULL,
    value       TEXT,
    cases       BIGINT NOT NULL,
    key_sum     BIGINT NOT NULL
);
CREATE INDEX stats_cells_dimension ON stats_cells(dimension, consented, month);

-- A release cut before this table existed is grouped at its next question.
ALTER TABLE stats_cuts ADD COLUMN grouped BIGINT NOT NULL DEFAULT 0;
