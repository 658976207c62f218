-- Referrals and transfers are the only ways data crosses organisations: the case share, which
-- only the demo world ever wrote, goes with everything that read it.
DROP TABLE case_shares;
-- When a referral's receiver lost access (the consent it rested on withdrawn, or an
-- international protection need recorded against the receiver's country), and why. From then
-- the receiver reads nothing of it, whatever its status; the referrer sees that it happened.
ALTER TABLE referrals ADD COLUMN access_ended_at BIGINT;
ALTER TABLE referrals ADD COLUMN access_ended_reason TEXT;
