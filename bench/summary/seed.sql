-- 1,000,000 requests over about two years, one user id subject each, one work item each (eu/us),
-- an active suppression for every request that is not cancelled, and a short audit chain for the marker.
-- 90% completed (12 h to 20 d after receipt), 5% pending, 2% in progress, 1% failed, 2% cancelled.
SET synchronous_commit = off;
INSERT INTO privacy.erasure_requests (id, regulation, status, requested_by, created_by, received_at, submitted_at, due_at,
                                      completed_at, cancelled_at, user_id_count, anonymous_id_count)
SELECT gen_random_uuid(), (ARRAY['gdpr', 'gdpr', 'ccpa', 'other'])[1 + i % 4], s.status, 'bench', 'bench', r.t, r.t,
       r.t + CASE WHEN i % 4 = 2 THEN interval '45 days' ELSE interval '30 days' END,
       CASE WHEN s.status = 'completed' THEN least(r.t + (1 + i % 40) * interval '12 hours', now()) END,
       CASE WHEN s.status = 'cancelled' THEN r.t + interval '1 hour' END, 1, 0
  FROM generate_series(1, 1000000) AS i,
       LATERAL (SELECT now() - i * interval '63 seconds' AS t) r,
       LATERAL (SELECT CASE WHEN i % 100 < 90 THEN 'completed' WHEN i % 100 < 95 THEN 'pending' WHEN i % 100 < 97 THEN 'in_progress'
                            WHEN i % 100 < 98 THEN 'failed' ELSE 'cancelled' END AS status) s;
INSERT INTO privacy.request_subjects (request_id, kind, value, hash, status)
SELECT id, 'user_id', NULL, sha256(id::text::bytea),
       CASE status WHEN 'completed' THEN 'deleted' WHEN 'failed' THEN 'failed' WHEN 'cancelled' THEN 'cancelled' ELSE 'pending' END
  FROM privacy.erasure_requests;
INSERT INTO privacy.suppressions (kind, hash, lookup_key, created_at, request_id)
SELECT 'user_id', s.hash, ('x' || encode(substr(s.hash, 1, 8), 'hex'))::bit(64)::bigint, r.received_at, r.id
  FROM privacy.request_subjects s JOIN privacy.erasure_requests r ON r.id = s.request_id WHERE r.status <> 'cancelled';
INSERT INTO privacy.work_items (request_id, subject_id, environment, operation, state, attempts, next_attempt_at, created_at, deleted_at)
SELECT r.id, s.id, CASE WHEN s.id % 2 = 0 THEN 'eu' ELSE 'us' END, 'delete_interactions',
       CASE r.status WHEN 'completed' THEN 'deleted' WHEN 'failed' THEN 'failed' WHEN 'cancelled' THEN 'cancelled'
                     WHEN 'in_progress' THEN 'in_flight' ELSE 'pending' END,
       1, r.received_at, r.received_at, r.completed_at
  FROM privacy.request_subjects s JOIN privacy.erasure_requests r ON r.id = s.request_id;
INSERT INTO privacy.audit_events (seq, occurred_at, actor, action, details, prev_hash, hash)
SELECT g, now(), 'bench', 'bench.seeded', '{}', sha256(int8send(g - 1)), sha256(int8send(g)) FROM generate_series(1, 10) g;
VACUUM ANALYZE;
