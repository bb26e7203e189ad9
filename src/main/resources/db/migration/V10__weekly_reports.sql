-- Workstream E: the weekly student report (docs/reports.md). Written by `generate-weekly-reports`.

-- One row per stored report object: the student, the week it covers (the 7 days ending on
-- week_ending), its language, where it is (s3://bucket/key, or file:///… in embedded mode), the
-- SHA-256 and size of its bytes. A row is written only after its object exists; an upload that
-- failed leaves the previous row (which still describes the object that is there) or none.
-- rendered_at / run_id are those of the run that first stored these bytes (a rerun that finds the
-- same checksum changes nothing).
CREATE TABLE IF NOT EXISTS report_artifact (
  user_id      BIGINT NOT NULL,
  week_ending  DATE NOT NULL,
  locale       TEXT NOT NULL CHECK (locale IN ('ko', 'en')),
  url          TEXT NOT NULL,
  sha256       TEXT NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  bytes        BIGINT NOT NULL CHECK (bytes > 0),
  rendered_at  TIMESTAMPTZ NOT NULL,
  run_id       UUID NOT NULL,
  updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, week_ending, locale)
);
CREATE INDEX IF NOT EXISTS report_artifact_week_idx ON report_artifact (week_ending);

-- The report's recommended top-N, for the platform to serve. kind 'item': a calibrated item of one
-- of her weakest topics that she has not answered in the 4 weeks ending on week_ending, ranked by
-- Fisher information at her θ, with her success probability inside the band (docs/metrics.md,
-- "Recommendations"); kind 'topic': topic-level advice for a student without a calibrated θ
-- (item_id, p_success, information NULL).
CREATE TABLE IF NOT EXISTS report_recommendations (
  user_id         BIGINT NOT NULL,
  week_ending     DATE NOT NULL,
  rank            INTEGER NOT NULL CHECK (rank >= 1),
  kind            TEXT NOT NULL CHECK (kind IN ('item', 'topic')),
  item_id         BIGINT,
  topic           TEXT NOT NULL,
  p_success       DOUBLE PRECISION CHECK (p_success >= 0 AND p_success <= 1),
  information     DOUBLE PRECISION CHECK (information >= 0 AND information < 'Infinity'),
  topic_accuracy  DOUBLE PRECISION CHECK (topic_accuracy >= 0 AND topic_accuracy <= 1),
  theta           DOUBLE PRECISION CHECK (theta > '-Infinity' AND theta < 'Infinity'),
  run_id          UUID NOT NULL,
  updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, week_ending, rank),
  CHECK ((kind = 'item') = (item_id IS NOT NULL))
);
CREATE INDEX IF NOT EXISTS report_recommendations_week_idx ON report_recommendations (week_ending);
