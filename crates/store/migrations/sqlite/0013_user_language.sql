-- The language a signed-in user chose for the staff pages (a language code such as 'fr');
-- NULL means no choice: the browser's preference, else English.
ALTER TABLE users ADD COLUMN language TEXT;
