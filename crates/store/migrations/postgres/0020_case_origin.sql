-- A case opened from a report keeps where it came from: the report's place and employer,
-- sealed like the report's own, and its categories (vocabulary ids, comma-separated; they
-- identify no one). The country goes to the existing plain cases.country.
ALTER TABLE cases ADD COLUMN origin_place BYTEA;
ALTER TABLE cases ADD COLUMN origin_employer BYTEA;
ALTER TABLE cases ADD COLUMN origin_categories TEXT;
