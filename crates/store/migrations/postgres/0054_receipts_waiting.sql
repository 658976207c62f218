-- Receipts are stored first under a fast keyed hash ('p:…') and hardened within seconds
-- ('h:…'); the hardener finds the few waiting ones through this index, not by reading every
-- report.
CREATE INDEX reports_receipt_waiting ON reports(received_at) WHERE receipt_hash LIKE 'p:%';
