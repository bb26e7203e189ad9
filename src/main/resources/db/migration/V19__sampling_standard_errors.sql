-- Issue 19: item drift. The drift test compares two calibrations' estimates of an item, so it needs
-- how far an estimate moves from sample to sample: the sandwich H⁻¹·I·H⁻¹ of the MAP estimate
-- (irt/ParameterCovariance.samplingStandardError). Under the default priors the posterior SEs in
-- se_a / se_b are about 1.3× wider and the test lost power (docs/irt.md, "Item drift"). Stored on
-- the history, where the next calibration reads the previous one; equal to se_a / se_b without
-- priors; NULL in rows written before this version (the test then uses se_a / se_b).
ALTER TABLE mirt_item_params_history
  ADD COLUMN IF NOT EXISTS sampling_se_a DOUBLE PRECISION CHECK (sampling_se_a > 0 AND sampling_se_a < 'Infinity'),
  ADD COLUMN IF NOT EXISTS sampling_se_b DOUBLE PRECISION CHECK (sampling_se_b > 0 AND sampling_se_b < 'Infinity');
