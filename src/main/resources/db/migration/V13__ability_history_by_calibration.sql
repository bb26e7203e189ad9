-- Issue 15: every ability estimate is kept. mirt_ability_history was keyed (user_id, as_of,
-- source), so a 3PL calibration after a 2PL one of the same window (same as_of) replaced the 2PL
-- θ rows. The key now includes the calibration that produced the estimate (for a session-end
-- update: the calibration whose items it used). Readers that want one θ per (user_id, as_of,
-- source) take the latest calibration (calibrations.created_at), as AbilityHistory.latest does.
UPDATE mirt_ability_history SET calibration_id = 'unknown' WHERE calibration_id IS NULL;
ALTER TABLE mirt_ability_history ALTER COLUMN calibration_id SET NOT NULL;
ALTER TABLE mirt_ability_history DROP CONSTRAINT IF EXISTS mirt_ability_history_pkey;
ALTER TABLE mirt_ability_history
  ADD CONSTRAINT mirt_ability_history_pkey PRIMARY KEY (user_id, as_of, source, calibration_id);

-- seedtest import (issue 15): the names an imported file used for students, items and sessions,
-- and the BIGINT ids they were given (a whole number is kept; any other name gets a stable id),
-- so results can be read by the names people know.
CREATE TABLE IF NOT EXISTS import_ids (
  kind         TEXT NOT NULL CHECK (kind IN ('user', 'item', 'session')),
  external_id  TEXT NOT NULL,
  id           BIGINT NOT NULL,
  PRIMARY KEY (kind, external_id)
);
