-- Issue 19: rapid guessing. Each calibration stores, per item, the response time in ms below which
-- an answer to it counts as a rapid guess (calibration/RapidGuessRule: NT15, 15% of the item's mean
-- response time in the calibration window, at most 10 s; docs/irt.md "Rapid guesses"), so that the
-- daily features (rapid_guess_share) and the session-end update judge answers by the same
-- threshold the calibration used. NULL where the item had no timed answer in the window.
ALTER TABLE mirt_item_params
  ADD COLUMN IF NOT EXISTS rapid_guess_ms DOUBLE PRECISION CHECK (rapid_guess_ms >= 0 AND rapid_guess_ms < 'Infinity');
ALTER TABLE mirt_item_params_history
  ADD COLUMN IF NOT EXISTS rapid_guess_ms DOUBLE PRECISION CHECK (rapid_guess_ms >= 0 AND rapid_guess_ms < 'Infinity');
-- The share of a user × topic × period's answers given below their item's threshold (0 when no
-- item has one yet); docs/metrics.md.
ALTER TABLE features_topic_daily
  ADD COLUMN IF NOT EXISTS rapid_guess_share DOUBLE PRECISION NOT NULL DEFAULT 0
    CHECK (rapid_guess_share >= 0 AND rapid_guess_share <= 1);
-- The simulator's truth about what its issue-19 switches injected (sim/SimTables.SIM_INJECTIONS_SCHEMA):
-- leaked and misfitting items, rapid guessers and each of their rapid guesses, so the detectors can
-- be scored. Empty when the switches are off (and on real databases).
CREATE TABLE IF NOT EXISTS sim_injections (
  kind       TEXT NOT NULL CHECK (kind IN ('leaked_item', 'misfit_item', 'rapid_guesser', 'rapid_guess')),
  user_id    BIGINT,
  item_id    BIGINT,
  result_id  BIGINT,
  seq        INTEGER,
  detail     TEXT
);
CREATE INDEX IF NOT EXISTS sim_injections_kind_idx ON sim_injections (kind);
