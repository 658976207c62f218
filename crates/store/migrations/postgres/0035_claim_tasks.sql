-- A claim's deadline is a task on the case's work list: the task it keeps up to date.
ALTER TABLE labour_claims ADD COLUMN task_id TEXT REFERENCES tasks(id);
