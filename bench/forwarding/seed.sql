-- 1,000,000 active suppressions whose hashes are the real HMACs (under the service's key, passed as :key) of
-- user ids bench-user-1 .. bench-user-1000000, so the load's 10 % of records naming them are dropped.
CREATE EXTENSION IF NOT EXISTS pgcrypto;
WITH state AS (UPDATE privacy.suppression_state SET version = version + 1 WHERE id = 1 RETURNING version)
INSERT INTO privacy.suppressions (kind, hash, created_at, version)
SELECT 'user_id', hmac(convert_to('u:bench-user-' || i, 'UTF8'), decode(:'key', 'base64'), 'sha256'), now(), state.version
FROM generate_series(1, 1000000) AS i, state;
