-- A partner signal is resolved through a consented referral. Each side records that its person
-- agrees to be connected with the partner who may hold their record; only when both sides have
-- does each learn the other organisation (and nothing else), and a referral consent naming it
-- is recorded for each person. Either side may record that its person does not agree: the
-- signal then closes for both, and the other side learns nothing.
ALTER TABLE partner_signals ADD COLUMN person_consent_at BIGINT;
ALTER TABLE partner_signals ADD COLUMN person_consent_by TEXT REFERENCES users(id);
ALTER TABLE partner_signals ADD COLUMN person_consent_method TEXT;
ALTER TABLE partner_signals ADD COLUMN person_consent_language TEXT;
ALTER TABLE partner_signals ADD COLUMN partner_consent_at BIGINT;
ALTER TABLE partner_signals ADD COLUMN partner_consent_by TEXT REFERENCES users(id);
ALTER TABLE partner_signals ADD COLUMN partner_consent_method TEXT;
ALTER TABLE partner_signals ADD COLUMN partner_consent_language TEXT;
-- 'person' or 'partner': the side whose person did not agree.
ALTER TABLE partner_signals ADD COLUMN declined_side TEXT;
ALTER TABLE partner_signals ADD COLUMN resolved_at BIGINT;
