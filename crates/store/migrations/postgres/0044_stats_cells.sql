-- The day's release, grouped (issue 18, performance): at each cut the facts are counted once by
-- month of opening, organisation, consent and every coarse value, so that a question groups a
-- few thousand rows rather than every case. `case_type` is '' for the row of the cases
-- themselves and names the type for the rows of case types (a case with two types is in two
-- of those). Counts and cell-key sums only: nothing here is finer than the facts.
CREATE TABLE stats_cells (
    month       TEXT NOT NULL,
    org_id      TEXT NOT NULL,
    consented   BIGINT NOT NULL,
    case_type   TEXT NOT NULL,
    country     TEXT,
    stage       TEXT,
    status      TEXT,
    sex         TEXT,
    age_band    TEXT,
    citizenship TEXT,
    cases       BIGINT NOT NULL,
    key_sum     BIGINT NOT NULL
);
CREATE INDEX stats_cells_month ON stats_cells(consented, case_type, month);

-- A release cut before this table existed is grouped at its next question.
ALTER TABLE stats_cuts ADD COLUMN grouped BIGINT NOT NULL DEFAULT 0;
