-- Case lists walk one index per scope in (created_at, id) order and cut the page from it.
-- With the id in every list index, a page at any depth is cut from the index alone (page 1,001
-- of an organisation's 100k cases read 50,050 table rows for their ids before), and an index
-- with an equality on a filter column (status, stage, risk, assigned to, created by) orders
-- fully, so SQLite prefers it to walking the whole organisation: a filter that matches nothing
-- answers at once instead of after reading every case.
DROP INDEX cases_org_created;
DROP INDEX cases_org_status;
DROP INDEX cases_org_assigned;
CREATE INDEX cases_list ON cases(org_id, created_at, id);
CREATE INDEX cases_list_status ON cases(org_id, status, created_at, id);
CREATE INDEX cases_list_stage ON cases(org_id, stage, created_at, id);
CREATE INDEX cases_list_risk ON cases(org_id, risk, created_at, id);
CREATE INDEX cases_list_assigned ON cases(org_id, assigned_to, created_at, id);
CREATE INDEX cases_list_created_by ON cases(org_id, created_by, created_at, id);
