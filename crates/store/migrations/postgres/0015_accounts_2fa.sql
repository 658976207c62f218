-- Accounts an administrator creates wait for their person to enrol through a one-time link;
-- staff sign in with a second factor (a one-time code, or a recovery code); a role that reads
-- personal data is granted only once a second person approves.

-- The TOTP secret, sealed (users.totp_secret); the one being enrolled, sealed
-- (users.totp_pending); the last time step a code was accepted for, never accepted again.
ALTER TABLE users ADD COLUMN totp_secret BYTEA;
ALTER TABLE users ADD COLUMN totp_pending BYTEA;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;

-- One-time enrolment links: only the hash of the token is kept; used once, then deleted.
CREATE TABLE enrolments (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX enrolments_user ON enrolments(user_id);

-- Recovery codes: a keyed hash each, single use.
CREATE TABLE recovery_codes (
    code_hash TEXT PRIMARY KEY,
    user_id   TEXT NOT NULL REFERENCES users(id),
    used_at   BIGINT
);
CREATE INDEX recovery_codes_user ON recovery_codes(user_id);

-- A sign-in whose password was right and that waits for its second factor (or its
-- enrolment): the hash of a short-lived token the browser holds.
CREATE TABLE login_challenges (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id),
    expires_at BIGINT NOT NULL
);
CREATE INDEX login_challenges_user ON login_challenges(user_id);

-- Grants of roles, pending until a second person of the organisation approves.
CREATE TABLE role_grants (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES organisations(id),
    user_id      TEXT NOT NULL REFERENCES users(id),
    role         TEXT NOT NULL,
    requested_by TEXT,
    requested_at BIGINT NOT NULL,
    status       TEXT NOT NULL,
    decided_by   TEXT,
    decided_at   BIGINT
);
CREATE INDEX role_grants_org ON role_grants(org_id, requested_at);
