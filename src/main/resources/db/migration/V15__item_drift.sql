-- Issue 19: item drift between consecutive linked calibrations. One row per item calibrated in
-- both a calibration and the one it is linked to (calibrations.link_reference): the change of the
-- linked a and b, their Wald z (Δ / √(SE_prev² + SE_cur²)), the item's p-value (Bonferroni
-- minimum over a and b), the Benjamini–Hochberg q-value across the calibration's common items,
-- whether it was flagged (q below --drift-fdr) and whether it stayed in the linking anchor set
-- (flagged items are purged and the link recomputed). docs/irt.md, "Item drift".
CREATE TABLE IF NOT EXISTS item_drift (
  calibration_id            TEXT NOT NULL,
  item_id                   BIGINT NOT NULL,
  reference_calibration_id  TEXT NOT NULL,
  delta_a                   DOUBLE PRECISION CHECK (delta_a > '-Infinity' AND delta_a < 'Infinity'),
  delta_b                   DOUBLE PRECISION CHECK (delta_b > '-Infinity' AND delta_b < 'Infinity'),
  z_a                       DOUBLE PRECISION CHECK (z_a > '-Infinity' AND z_a < 'Infinity'),
  z_b                       DOUBLE PRECISION CHECK (z_b > '-Infinity' AND z_b < 'Infinity'),
  p                         DOUBLE PRECISION CHECK (p >= 0 AND p <= 1),
  q                         DOUBLE PRECISION CHECK (q >= 0 AND q <= 1),
  flag                      BOOLEAN NOT NULL,
  anchor                    BOOLEAN NOT NULL,
  updated_at                TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (calibration_id, item_id)
);
CREATE INDEX IF NOT EXISTS item_drift_flagged_idx ON item_drift (item_id) WHERE flag;
