-- Workstream B: weekly IRT calibration (docs/irt.md). Written by `calibrate-irt`.
--
-- Every double column that holds an estimate is checked finite: NaN and ±Infinity are rejected
-- by the database as the last line of defence (the job never writes them: it flags the item or
-- fails the run first). NULL means "not estimated" (an SE of a parameter on its bound, c in 2PL).
-- In PostgreSQL NaN sorts above every number, so "x > '-Infinity' AND x < 'Infinity'" excludes
-- NaN and both infinities.

-- One row per calibration run (one per as-of day and model; a rerun replaces its own row).
CREATE TABLE IF NOT EXISTS calibrations (
  calibration_id       TEXT PRIMARY KEY,
  as_of                DATE NOT NULL,
  window_from          DATE NOT NULL,
  window_to            DATE NOT NULL,
  model                TEXT NOT NULL CHECK (model IN ('3pl', '2pl', 'rasch')),
  priors               BOOLEAN NOT NULL,
  students             BIGINT NOT NULL,
  items                INTEGER NOT NULL,
  items_calibrated     INTEGER NOT NULL,
  answers              BIGINT NOT NULL,
  answers_repeated     BIGINT NOT NULL,
  min_answers          INTEGER NOT NULL,
  max_iterations       INTEGER NOT NULL,
  iterations           INTEGER NOT NULL,
  log_likelihood       DOUBLE PRECISION NOT NULL CHECK (log_likelihood > '-Infinity' AND log_likelihood < 'Infinity'),
  converged            BOOLEAN NOT NULL,
  max_gradient         DOUBLE PRECISION CHECK (max_gradient > '-Infinity' AND max_gradient < 'Infinity'),
  max_scaled_gradient  DOUBLE PRECISION CHECK (max_scaled_gradient > '-Infinity' AND max_scaled_gradient < 'Infinity'),
  link_method          TEXT NOT NULL,
  link_reference       TEXT,
  link_a               DOUBLE PRECISION NOT NULL CHECK (link_a > 0 AND link_a < 'Infinity'),
  link_b               DOUBLE PRECISION NOT NULL CHECK (link_b > '-Infinity' AND link_b < 'Infinity'),
  link_common_items    INTEGER NOT NULL,
  seconds_estep        DOUBLE PRECISION,
  seconds_total        DOUBLE PRECISION,
  run_id               UUID,
  created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
  CHECK (window_from <= window_to AND window_to = as_of)
);
CREATE INDEX IF NOT EXISTS calibrations_as_of_idx ON calibrations (as_of DESC);

-- Current item parameters (IRT form, logistic, D = 1): one row per item ever seen by a
-- calibration. calibrated = false: the latest calibration did not estimate it (flag says why);
-- a, b, c are then the last estimates it had, or NULL.
CREATE TABLE IF NOT EXISTS mirt_item_params (
  item_id         BIGINT PRIMARY KEY,
  model           TEXT NOT NULL,
  a               DOUBLE PRECISION CHECK (a > 0 AND a < 'Infinity'),
  b               DOUBLE PRECISION CHECK (b > '-Infinity' AND b < 'Infinity'),
  c               DOUBLE PRECISION CHECK (c >= 0 AND c < 1),
  se_a            DOUBLE PRECISION CHECK (se_a >= 0 AND se_a < 'Infinity'),
  se_b            DOUBLE PRECISION CHECK (se_b >= 0 AND se_b < 'Infinity'),
  se_c            DOUBLE PRECISION CHECK (se_c >= 0 AND se_c < 'Infinity'),
  answers         INTEGER NOT NULL,
  calibration_id  TEXT NOT NULL,
  calibrated      BOOLEAN NOT NULL,
  flag            TEXT,
  updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- What each calibration estimated, per item (params NULL where it did not estimate the item).
CREATE TABLE IF NOT EXISTS mirt_item_params_history (
  calibration_id  TEXT NOT NULL,
  item_id         BIGINT NOT NULL,
  as_of           DATE NOT NULL,
  model           TEXT NOT NULL,
  a               DOUBLE PRECISION CHECK (a > 0 AND a < 'Infinity'),
  b               DOUBLE PRECISION CHECK (b > '-Infinity' AND b < 'Infinity'),
  c               DOUBLE PRECISION CHECK (c >= 0 AND c < 1),
  se_a            DOUBLE PRECISION CHECK (se_a >= 0 AND se_a < 'Infinity'),
  se_b            DOUBLE PRECISION CHECK (se_b >= 0 AND se_b < 'Infinity'),
  se_c            DOUBLE PRECISION CHECK (se_c >= 0 AND se_c < 'Infinity'),
  answers         INTEGER NOT NULL,
  calibrated      BOOLEAN NOT NULL,
  flag            TEXT,
  updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (calibration_id, item_id)
);
CREATE INDEX IF NOT EXISTS mirt_item_params_history_item_idx ON mirt_item_params_history (item_id, as_of);

-- Each student's latest ability (EAP posterior mean and SD on the linked scale). source says
-- who wrote it: 'calibration' (the weekly job) or 'session' (the session-end update).
CREATE TABLE IF NOT EXISTS mirt_ability (
  user_id         BIGINT PRIMARY KEY,
  theta           DOUBLE PRECISION NOT NULL CHECK (theta > '-Infinity' AND theta < 'Infinity'),
  theta_se        DOUBLE PRECISION NOT NULL CHECK (theta_se > 0 AND theta_se < 'Infinity'),
  answers_used    INTEGER NOT NULL,
  as_of           TIMESTAMPTZ NOT NULL,
  calibration_id  TEXT,
  source          TEXT NOT NULL,
  updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Every ability estimate by time: the features job (theta_mean, theta_sd) and the KPIs read the
-- latest row with as_of before their period end.
CREATE TABLE IF NOT EXISTS mirt_ability_history (
  user_id         BIGINT NOT NULL,
  as_of           TIMESTAMPTZ NOT NULL,
  source          TEXT NOT NULL,
  theta           DOUBLE PRECISION NOT NULL CHECK (theta > '-Infinity' AND theta < 'Infinity'),
  theta_se        DOUBLE PRECISION NOT NULL CHECK (theta_se > 0 AND theta_se < 'Infinity'),
  answers_used    INTEGER NOT NULL,
  calibration_id  TEXT,
  updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, as_of, source)
);
CREATE INDEX IF NOT EXISTS mirt_ability_history_as_of_idx ON mirt_ability_history (as_of);
