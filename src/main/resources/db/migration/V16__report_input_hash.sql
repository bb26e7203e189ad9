-- Issue 14: a rerun of a week skips a student before rendering when her report's inputs did not
-- change. input_hash is the SHA-256 of everything the page depends on (docs/reports.md, "Reruns");
-- NULL in rows written before this column, whose students are rendered once more and compared by
-- checksum as before.
ALTER TABLE report_artifact
  ADD COLUMN IF NOT EXISTS input_hash TEXT CHECK (input_hash ~ '^[0-9a-f]{64}$');
