-- Issue 20: the gate every churn model passes before it serves (docs/metrics.md, "The gate"). On
-- the held-out week: the candidate's AUC (the logistic regression, whether it serves or not), the
-- recency baseline's AUC, Brier and ECE (the calibrated recency buckets that serve when the
-- candidate loses), the AUC of the student's own activity rate alone, and the margin the candidate
-- had to beat the better baseline by. NULL for models stored before, or without a held-out week.
ALTER TABLE churn_models
  ADD COLUMN IF NOT EXISTS candidate_auc     DOUBLE PRECISION CHECK (candidate_auc >= 0 AND candidate_auc <= 1),
  ADD COLUMN IF NOT EXISTS recency_auc       DOUBLE PRECISION CHECK (recency_auc >= 0 AND recency_auc <= 1),
  ADD COLUMN IF NOT EXISTS recency_brier     DOUBLE PRECISION CHECK (recency_brier >= 0 AND recency_brier <= 1),
  ADD COLUMN IF NOT EXISTS recency_ece       DOUBLE PRECISION CHECK (recency_ece >= 0 AND recency_ece <= 1),
  ADD COLUMN IF NOT EXISTS activity_rate_auc DOUBLE PRECISION CHECK (activity_rate_auc >= 0 AND activity_rate_auc <= 1),
  ADD COLUMN IF NOT EXISTS min_auc_gain      DOUBLE PRECISION CHECK (min_auc_gain >= 0 AND min_auc_gain < 1);
