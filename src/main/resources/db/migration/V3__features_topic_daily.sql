-- Workstream A output. period_start is the UTC day (or hour with --granularity hour).

CREATE TABLE IF NOT EXISTS features_topic_daily (
  user_id       BIGINT NOT NULL,
  topic         TEXT NOT NULL,
  granularity   TEXT NOT NULL CHECK (granularity IN ('day', 'hour')),
  period_start  TIMESTAMPTZ NOT NULL,
  day           DATE NOT NULL,
  attempts      INTEGER NOT NULL,
  correct       INTEGER NOT NULL,
  acc           DOUBLE PRECISION NOT NULL,
  rt_median     DOUBLE PRECISION,
  hints         INTEGER NOT NULL,
  theta_mean    DOUBLE PRECISION,
  theta_sd      DOUBLE PRECISION,
  improvement   DOUBLE PRECISION,
  run_id        UUID NOT NULL,
  updated_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, topic, granularity, period_start)
);
CREATE INDEX IF NOT EXISTS features_topic_daily_day_idx ON features_topic_daily (day);
