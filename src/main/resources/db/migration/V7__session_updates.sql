-- Workstream C: the session-end θ update (docs/irt-online.md). Written by the batch job
-- `update-abilities` and by the endpoint `POST /analysis/irt/update` (`seedtest serve`); both also
-- write mirt_ability and mirt_ability_history (V5) with source = 'session'.
--
-- V6 is reserved for the KPI work; this file only creates tables of its own.

-- One row per exam session whose θ update has been decided, whoever decided it. The primary key
-- is what makes an update exactly-once: a session is applied in the same transaction that inserts
-- its row here, and both writers skip sessions that already have one.
--   outcome 'updated'                 θ moved: mirt_ability and mirt_ability_history were written
--           'no_usable_answers'       no valid answer on a calibrated item: θ left as it was
--           'covered_by_calibration'  finished at or before the current θ's as_of, which came from
--                                     a calibration whose window already holds the session's answers
-- theta_before / se_before are NULL when the student had no θ (the population prior N(0, 1) was
-- used); prior_sd is the prior's SD after the drift for days_since (the days between the previous
-- θ's as_of and the session's finish).
CREATE TABLE IF NOT EXISTS session_ability_updates (
  session_id      BIGINT PRIMARY KEY,
  user_id         BIGINT NOT NULL,
  result_id       BIGINT NOT NULL,
  finished_at     TIMESTAMPTZ NOT NULL,
  outcome         TEXT NOT NULL CHECK (outcome IN ('updated', 'no_usable_answers', 'covered_by_calibration')),
  theta_before    DOUBLE PRECISION CHECK (theta_before > '-Infinity' AND theta_before < 'Infinity'),
  se_before       DOUBLE PRECISION CHECK (se_before > 0 AND se_before < 'Infinity'),
  prior_sd        DOUBLE PRECISION NOT NULL CHECK (prior_sd > 0 AND prior_sd < 'Infinity'),
  days_since      DOUBLE PRECISION NOT NULL CHECK (days_since >= 0 AND days_since < 'Infinity'),
  theta_after     DOUBLE PRECISION NOT NULL CHECK (theta_after > '-Infinity' AND theta_after < 'Infinity'),
  se_after        DOUBLE PRECISION NOT NULL CHECK (se_after > 0 AND se_after < 'Infinity'),
  answers_used    INTEGER NOT NULL CHECK (answers_used >= 0),
  skipped         INTEGER NOT NULL CHECK (skipped >= 0),
  invalid         INTEGER NOT NULL CHECK (invalid >= 0),
  calibration_id  TEXT,
  applied_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  applied_by      TEXT NOT NULL CHECK (applied_by IN ('batch', 'endpoint')),
  run_id          UUID
);
CREATE INDEX IF NOT EXISTS session_ability_updates_user_idx ON session_ability_updates (user_id, finished_at);
CREATE INDEX IF NOT EXISTS session_ability_updates_applied_idx ON session_ability_updates (applied_at);

-- Where the batch job is in exam_results (one row per job name). Every exam_results row with
-- id <= safe_result_id has been seen by a run. seen_result_id is the largest id a run saw
-- committed, at seen_at (database clock); it becomes the new safe_result_id only once seen_at is
-- older than the safety lag, so a transaction that took an id below it but committed later (ids
-- are handed out at INSERT, rows become visible at COMMIT) is still picked up, provided it
-- commits within the lag. Rows between safe_result_id and seen_result_id are read again by the
-- next run and skipped there if already applied (session_ability_updates).
CREATE TABLE IF NOT EXISTS session_update_watermark (
  name            TEXT PRIMARY KEY,
  safe_result_id  BIGINT NOT NULL CHECK (safe_result_id >= 0),
  seen_result_id  BIGINT CHECK (seen_result_id >= safe_result_id),
  seen_at         TIMESTAMPTZ,
  run_id          UUID,
  updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
