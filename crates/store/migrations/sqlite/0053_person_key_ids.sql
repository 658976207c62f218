-- A reader that meets a value sealed under a person key this server does not hold yet (made by
-- another server since it started) loads that key by the id the envelope names.
CREATE INDEX person_keys_by_key_id ON person_keys (key_id);
