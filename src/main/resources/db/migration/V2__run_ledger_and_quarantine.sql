-- What every job records about itself (docs/operations.md).

CREATE TABLE IF NOT EXISTS job_runs (
  run_id            UUID PRIMARY KEY,
  job               TEXT NOT NULL,
  window_from       DATE,
  window_to         DATE,
  args              TEXT NOT NULL,
  started_at        TIMESTAMPTZ NOT NULL,
  finished_at       TIMESTAMPTZ,
  status            TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'dry_run')),
  rows_read         BIGINT,
  rows_written      BIGINT,
  rows_quarantined  BIGINT,
  message           TEXT
);
CREATE INDEX IF NOT EXISTS job_runs_job_idx ON job_runs (job, started_at DESC);

-- Rows that broke the contract, one per offending input row, with the reason.
CREATE TABLE IF NOT EXISTS quarantine (
  run_id          UUID NOT NULL,
  job             TEXT NOT NULL,
  reason          TEXT NOT NULL,
  source_key      TEXT NOT NULL,
  payload         TEXT,
  quarantined_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, source_key, reason)
);
CREATE INDEX IF NOT EXISTS quarantine_reason_idx ON quarantine (job, reason, quarantined_at DESC);
