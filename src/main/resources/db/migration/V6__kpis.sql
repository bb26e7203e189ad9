-- Workstreams D and F: daily KPIs with goal probability P and churn S, the churn models behind S,
-- and the inactivity events of the hourly trigger (docs/metrics.md, section "KPIs").
--
-- Every double that holds an estimate is checked finite (NaN and ±Infinity rejected: in
-- PostgreSQL NaN sorts above every number, so "x > '-Infinity' AND x < 'Infinity'" excludes all
-- three); probabilities are checked to lie in [0, 1].

-- One row per student and week-ending day: the student's KPIs for the 7 days ending on
-- week_ending, and the inputs that explain them. Written by compute-daily-kpis (computed_by
-- 'daily', the final row of a day) and by detect-inactivity (computed_by 'trigger', a provisional
-- row for a student who crossed the 7-day line or came back; the nightly run replaces it and the
-- trigger never touches a key the nightly run has written).
CREATE TABLE IF NOT EXISTS weekly_kpi (
  user_id                BIGINT NOT NULL,
  week_ending            DATE NOT NULL,
  -- the KPIs
  a_t                    DOUBLE PRECISION CHECK (a_t >= 0 AND a_t <= 1),
  i_t                    DOUBLE PRECISION CHECK (i_t > '-Infinity' AND i_t < 'Infinity'),
  i_source               TEXT CHECK (i_source IN ('theta', 'accuracy')),
  e_t                    DOUBLE PRECISION NOT NULL CHECK (e_t >= 0 AND e_t <= 1),
  r_t                    DOUBLE PRECISION CHECK (r_t >= 0 AND r_t <= 2),
  p_goal                 DOUBLE PRECISION CHECK (p_goal >= 0 AND p_goal <= 1),
  s_churn                DOUBLE PRECISION CHECK (s_churn >= 0 AND s_churn <= 1),
  -- P: the goal and the ability state it was computed from
  target_theta           DOUBLE PRECISION NOT NULL CHECK (target_theta > '-Infinity' AND target_theta < 'Infinity'),
  target_source          TEXT NOT NULL CHECK (target_source IN ('goal', 'default')),
  goal_date              DATE,
  horizon_days           INTEGER NOT NULL CHECK (horizon_days >= 0),
  theta_source           TEXT NOT NULL CHECK (theta_source IN ('calibrated', 'accuracy')),
  theta                  DOUBLE PRECISION CHECK (theta > '-Infinity' AND theta < 'Infinity'),
  theta_se               DOUBLE PRECISION CHECK (theta_se > 0 AND theta_se < 'Infinity'),
  theta_as_of            TIMESTAMPTZ,
  trend                  DOUBLE PRECISION CHECK (trend > '-Infinity' AND trend < 'Infinity'),
  trend_se               DOUBLE PRECISION CHECK (trend_se >= 0 AND trend_se < 'Infinity'),
  predictive_mean        DOUBLE PRECISION NOT NULL CHECK (predictive_mean > '-Infinity' AND predictive_mean < 'Infinity'),
  predictive_sd          DOUBLE PRECISION NOT NULL CHECK (predictive_sd > 0 AND predictive_sd < 'Infinity'),
  -- S: the model that scored it
  model_version          TEXT,
  churn_source           TEXT NOT NULL CHECK (churn_source IN ('model', 'fallback', 'none')),
  -- the activity behind A_t, E_t, R_t, I_t and the churn features
  attempts_7d            INTEGER NOT NULL CHECK (attempts_7d >= 0),
  correct_7d             INTEGER NOT NULL CHECK (correct_7d >= 0 AND correct_7d <= attempts_7d),
  active_days_7d         INTEGER NOT NULL CHECK (active_days_7d BETWEEN 0 AND 7),
  time_on_task_7d_s      DOUBLE PRECISION NOT NULL CHECK (time_on_task_7d_s >= 0 AND time_on_task_7d_s < 'Infinity'),
  baseline_day_time_s    DOUBLE PRECISION CHECK (baseline_day_time_s >= 0 AND baseline_day_time_s < 'Infinity'),
  a_prev                 DOUBLE PRECISION CHECK (a_prev >= 0 AND a_prev <= 1),
  attempts_prev_7d       INTEGER NOT NULL CHECK (attempts_prev_7d >= 0),
  attempts_window        INTEGER NOT NULL CHECK (attempts_window > 0),
  active_days_window     INTEGER NOT NULL CHECK (active_days_window > 0),
  last_active_day        DATE NOT NULL,
  recency_days           INTEGER NOT NULL CHECK (recency_days >= 0),
  tenure_days            INTEGER NOT NULL CHECK (tenure_days >= 0),
  revisited_topics       INTEGER NOT NULL CHECK (revisited_topics >= 0),
  -- the settings the row was computed with
  lookback_days          INTEGER NOT NULL CHECK (lookback_days > 0),
  bayesian               BOOLEAN NOT NULL,
  computed_by            TEXT NOT NULL CHECK (computed_by IN ('daily', 'trigger')),
  run_id                 UUID NOT NULL,
  updated_at             TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, week_ending),
  CHECK (last_active_day <= week_ending)
);
CREATE INDEX IF NOT EXISTS weekly_kpi_week_idx ON weekly_kpi (week_ending);

-- One row per churn model: the model that scores S for the days from serves_from on (until a
-- newer one), how it was trained and how it did on the held-out week. fallback = true: too little
-- labelled history for the logistic regression, S comes from recency buckets (algorithm
-- 'recency_buckets'); the metrics are then those of the buckets on the held-out week, NULL when
-- there was none. A rerun never retrains a day that has a model (docs/metrics.md, "Retraining").
CREATE TABLE IF NOT EXISTS churn_models (
  model_version    TEXT PRIMARY KEY,
  serves_from      DATE NOT NULL UNIQUE,
  trained_at       TIMESTAMPTZ NOT NULL,
  outcomes_through DATE NOT NULL,
  algorithm        TEXT NOT NULL CHECK (algorithm IN ('logistic_regression', 'recency_buckets')),
  fallback         BOOLEAN NOT NULL,
  fallback_reason  TEXT,
  train_weeks      TEXT NOT NULL,
  test_week        DATE,
  n_train          BIGINT NOT NULL CHECK (n_train >= 0),
  n_test           BIGINT NOT NULL CHECK (n_test >= 0),
  positive_rate_train DOUBLE PRECISION CHECK (positive_rate_train >= 0 AND positive_rate_train <= 1),
  positive_rate_test  DOUBLE PRECISION CHECK (positive_rate_test >= 0 AND positive_rate_test <= 1),
  auc              DOUBLE PRECISION CHECK (auc >= 0 AND auc <= 1),
  brier            DOUBLE PRECISION CHECK (brier >= 0 AND brier <= 1),
  ece              DOUBLE PRECISION CHECK (ece >= 0 AND ece <= 1),
  features         TEXT NOT NULL,
  coefficients     TEXT NOT NULL,
  intercept        DOUBLE PRECISION NOT NULL CHECK (intercept > '-Infinity' AND intercept < 'Infinity'),
  params           TEXT NOT NULL,
  run_id           UUID NOT NULL,
  updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  CHECK (outcomes_through < serves_from)
);

-- Each crossing of the 7-day inactivity line, and each return after such a gap, once: the key is
-- the student, the kind and the UTC day it happened, so the hourly trigger may see it any number
-- of times. detected_at / run_id are those of the first run that saw it.
CREATE TABLE IF NOT EXISTS inactivity_events (
  user_id          BIGINT NOT NULL,
  event_type       TEXT NOT NULL CHECK (event_type IN ('inactive_7d', 'returned')),
  event_day        DATE NOT NULL,
  event_at         TIMESTAMPTZ NOT NULL,
  last_active_at   TIMESTAMPTZ NOT NULL,
  gap_days         DOUBLE PRECISION NOT NULL CHECK (gap_days >= 7 AND gap_days < 'Infinity'),
  detected_at      TIMESTAMPTZ NOT NULL,
  run_id           UUID NOT NULL,
  updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, event_type, event_day)
);
CREATE INDEX IF NOT EXISTS inactivity_events_day_idx ON inactivity_events (event_day);
