-- A share that rests on consent names the consent it rests on: withdrawing that consent ends
-- the share at once (the row goes, the end is audited). A share on another recorded basis
-- (best interests of a child, vital interest) names none.
ALTER TABLE case_shares ADD COLUMN consent_id TEXT REFERENCES consents(id);
CREATE INDEX case_shares_consent ON case_shares(consent_id);
-- A connected partner signal names the referral consent it recorded for each person, so that
-- withdrawing either ends the connection.
ALTER TABLE partner_signals ADD COLUMN person_referral_consent TEXT REFERENCES consents(id);
ALTER TABLE partner_signals ADD COLUMN partner_referral_consent TEXT REFERENCES consents(id);

-- Shares made on consent before this migration rest on the newest referral consent of the
-- case's person naming that organisation; those whose consent was withdrawn end now.
UPDATE case_shares SET consent_id = (
    SELECT c.id FROM consents c JOIN cases k ON k.person_id = c.person_id
    WHERE k.id = case_shares.case_id AND c.organisation_id = case_shares.org_id
      AND c.purpose IN ('referral', 'cross_border_sharing') AND c.basis = 'consent'
    ORDER BY c.withdrawn_at IS NULL DESC, c.given_at DESC, c.id DESC LIMIT 1
) WHERE legal_basis = 'consent';
DELETE FROM case_shares WHERE legal_basis = 'consent'
    AND consent_id IN (SELECT id FROM consents WHERE withdrawn_at IS NOT NULL);
-- Signals connected before this migration: the referral consents recorded when they were.
UPDATE partner_signals SET person_referral_consent = (
    SELECT c.id FROM consents c
    WHERE c.person_id = partner_signals.person_id AND c.organisation_id = partner_signals.partner_org_id
      AND c.purpose = 'referral' AND c.given_at = partner_signals.person_consent_at
    ORDER BY c.id LIMIT 1
), partner_referral_consent = (
    SELECT c.id FROM consents c
    WHERE c.person_id = partner_signals.partner_person_id AND c.organisation_id = partner_signals.org_id
      AND c.purpose = 'referral' AND c.given_at = partner_signals.partner_consent_at
    ORDER BY c.id LIMIT 1
) WHERE status = 'connected';
