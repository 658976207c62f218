-- Issue 14: a referral's working life after acceptance. The receiver may open a case of its
-- own from the shared snapshot (`linked_case_id`, the receiver's case: the referrer never reads
-- it), and closes the referral with an outcome (kept sealed in `outcome`, as a decline's
-- reason is) at `closed_at` by `closed_by`; closing gives back a place the acceptance took.
ALTER TABLE referrals ADD COLUMN linked_case_id TEXT REFERENCES cases(id);
ALTER TABLE referrals ADD COLUMN closed_at BIGINT;
ALTER TABLE referrals ADD COLUMN closed_by TEXT REFERENCES users(id);
