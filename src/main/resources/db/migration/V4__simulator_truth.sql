-- The simulator's ground truth (io.seedtest.analytics.sim): what the generated data really was,
-- so calibration (sim_items), ability estimates and goal probabilities (sim_student_days.theta)
-- and the churn model (sim_student_days.churn_hazard, sim_students.churn_day) can be scored.
-- Only `goals` is a platform table (the KPI job reads it); the sim_* tables exist for simulated
-- databases and are empty elsewhere.

-- The platform's goals: a student's target ability and the date she wants it by (her exam).
-- Students without a row fall back to METRICS_DEFAULT_TARGET.
CREATE TABLE IF NOT EXISTS goals (
  user_id       BIGINT PRIMARY KEY,
  target_theta  DOUBLE PRECISION NOT NULL,
  goal_date     DATE NOT NULL
);

-- True item parameters: 3PL (logistic metric, D = 1) and the lognormal response-time model
-- (ln seconds ~ N(time_intensity - speed + 0.2 * clamp(b - theta, -3, 3), time_sd^2)).
CREATE TABLE IF NOT EXISTS sim_items (
  item_id         BIGINT PRIMARY KEY,
  topic           TEXT NOT NULL,
  a               DOUBLE PRECISION NOT NULL,
  b               DOUBLE PRECISION NOT NULL,
  c               DOUBLE PRECISION NOT NULL,
  time_intensity  DOUBLE PRECISION NOT NULL,
  time_sd         DOUBLE PRECISION NOT NULL
);

-- True student traits. engagement / break_propensity are NULL in RECOVERY mode; churn_day is
-- NULL for students who did not churn within the simulated window.
CREATE TABLE IF NOT EXISTS sim_students (
  user_id           BIGINT PRIMARY KEY,
  theta0            DOUBLE PRECISION NOT NULL,
  learning_rate     DOUBLE PRECISION NOT NULL,
  engagement        DOUBLE PRECISION,
  speed             DOUBLE PRECISION NOT NULL,
  hint_propensity   DOUBLE PRECISION NOT NULL,
  break_propensity  DOUBLE PRECISION,
  join_day          DATE NOT NULL,
  churn_day         DATE,
  final_theta       DOUBLE PRECISION NOT NULL,
  sessions          INTEGER NOT NULL,
  answers           INTEGER NOT NULL
);

-- One row per student and enrolled day (join day .. churn day or the end of the window):
-- theta at the end of the day, whether she had a session, the true probability of a session
-- that day (0 on a break), and the true hazard of churning that day given she was still enrolled
-- at its start (0 on the join day). The churn day has churned = true and no activity.
CREATE TABLE IF NOT EXISTS sim_student_days (
  user_id       BIGINT NOT NULL,
  day           DATE NOT NULL,
  theta         DOUBLE PRECISION NOT NULL,
  active        BOOLEAN NOT NULL,
  sessions      INTEGER NOT NULL,
  answers       INTEGER NOT NULL,
  p_session     DOUBLE PRECISION NOT NULL,
  churn_hazard  DOUBLE PRECISION NOT NULL,
  churned       BOOLEAN NOT NULL,
  PRIMARY KEY (user_id, day)
);
CREATE INDEX IF NOT EXISTS sim_student_days_day_idx ON sim_student_days (day);

-- The spec that produced the data (one row).
CREATE TABLE IF NOT EXISTS sim_spec (
  mode                          TEXT NOT NULL,
  seed                          BIGINT NOT NULL,
  students                      INTEGER NOT NULL,
  items                         INTEGER NOT NULL,
  topics                        INTEGER NOT NULL,
  start_day                     DATE NOT NULL,
  days                          INTEGER NOT NULL,
  mean_sessions_per_active_day  DOUBLE PRECISION NOT NULL,
  min_answers_per_session       INTEGER NOT NULL,
  max_answers_per_session       INTEGER NOT NULL,
  items_per_student             INTEGER NOT NULL
);
