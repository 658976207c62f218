-- The organisation's time zone (an IANA name): staff pages show times and countdowns in it.
ALTER TABLE organisations ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
