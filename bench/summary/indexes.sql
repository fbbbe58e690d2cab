-- The indexes this benchmark suggests (not in the migrations yet): each turns a full scan in the summary into an index range.
CREATE INDEX IF NOT EXISTS bench_ix_erasure_requests_completed_at ON privacy.erasure_requests (completed_at) WHERE completed_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS bench_ix_erasure_requests_status_regulation ON privacy.erasure_requests (status, regulation);
CREATE INDEX IF NOT EXISTS bench_ix_work_items_failed ON privacy.work_items (environment) WHERE state = 'failed';
CREATE INDEX IF NOT EXISTS bench_ix_work_items_environment_deleted ON privacy.work_items (environment, deleted_at) WHERE deleted_at IS NOT NULL;
VACUUM ANALYZE;
