-- Issue 19: item fit on sparse data. Each calibration stores, per item, the RMSD and the mean
-- deviation (MD) between the item's observed response curve (from the final E-step's
-- posterior pseudo-counts) and the fitted 3PL/2PL/Rasch curve (irt/ItemMisfit, docs/irt.md
-- "Item fit"). NULL where the item was not calibrated. An item with RMSD above the threshold
-- also carries "misfit" in flag.
ALTER TABLE mirt_item_params
  ADD COLUMN IF NOT EXISTS rmsd DOUBLE PRECISION CHECK (rmsd >= 0 AND rmsd < 'Infinity'),
  ADD COLUMN IF NOT EXISTS mean_deviation DOUBLE PRECISION CHECK (mean_deviation > '-Infinity' AND mean_deviation < 'Infinity');
ALTER TABLE mirt_item_params_history
  ADD COLUMN IF NOT EXISTS rmsd DOUBLE PRECISION CHECK (rmsd >= 0 AND rmsd < 'Infinity'),
  ADD COLUMN IF NOT EXISTS mean_deviation DOUBLE PRECISION CHECK (mean_deviation > '-Infinity' AND mean_deviation < 'Infinity');
