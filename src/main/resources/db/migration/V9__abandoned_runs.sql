-- A run whose process died (kill -9, a lost pod) cannot finish its own job_runs row: the next run
-- of that job finds it 'running' with its lock free and marks it 'abandoned' (docs/operations.md).
ALTER TABLE job_runs DROP CONSTRAINT IF EXISTS job_runs_status_check;
ALTER TABLE job_runs ADD CONSTRAINT job_runs_status_check
  CHECK (status IN ('running', 'succeeded', 'failed', 'dry_run', 'abandoned'));
-- The next run looks for its job's unfinished rows; few, so a partial index finds them at once.
CREATE INDEX IF NOT EXISTS job_runs_running_idx ON job_runs (job) WHERE status = 'running';
