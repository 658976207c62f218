-- Statistics by sector and by means of control (issue 18): the values of a consented case's
-- linked entities' sectors and of its completed screenings' means of control, copied at the
-- release cut as the case types are. Coarse picklist values only.
CREATE TABLE stats_fact_values (
    case_id   TEXT NOT NULL,
    dimension TEXT NOT NULL,
    value     TEXT NOT NULL,
    PRIMARY KEY (case_id, dimension, value)
);
CREATE INDEX stats_fact_values_dimension ON stats_fact_values(dimension, value);

-- Every fact is refreshed, and today's release cut again, so that the new values are there.
UPDATE stats_facts SET refreshed_at = 0;
DELETE FROM stats_cuts;
