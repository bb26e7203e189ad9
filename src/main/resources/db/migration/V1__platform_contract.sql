-- The platform's contract (docs/data-contract.md): exam_results as the API writes it, the item
-- bank, and the attempt view our jobs read. IF NOT EXISTS so the migration is harmless against a
-- platform database that already has them.

CREATE TABLE IF NOT EXISTS item_bank (
  item_id     BIGINT PRIMARY KEY,
  topic       TEXT NOT NULL,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS exam_results (
  id           BIGSERIAL PRIMARY KEY,
  session_id   BIGINT NOT NULL UNIQUE,
  user_id      BIGINT,
  started_at   TIMESTAMPTZ,
  finished_at  TIMESTAMPTZ NOT NULL,
  -- JSON array, one object per answered item:
  -- {"item_id": 17, "topic": "algebra", "correct": true, "response_time_ms": 41250,
  --  "hints_used": 0, "answered_at": "2026-11-25T09:14:03Z"}
  responses    JSONB NOT NULL,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS exam_results_finished_at_idx ON exam_results (finished_at);
CREATE INDEX IF NOT EXISTS exam_results_user_idx ON exam_results (user_id, finished_at);

-- Casts that return NULL instead of failing, so one malformed answer never breaks a read: the
-- jobs quarantine NULLs with a reason. Plain SQL (inlinable), no exception blocks (those would
-- cost a subtransaction per row).
CREATE OR REPLACE FUNCTION seedtest_try_bigint(v TEXT) RETURNS BIGINT
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN v ~ '^\s*-?[0-9]{1,18}\s*$' THEN v::BIGINT END
$$;

CREATE OR REPLACE FUNCTION seedtest_try_int(v TEXT) RETURNS INTEGER
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN v ~ '^\s*-?[0-9]{1,9}\s*$' THEN v::INTEGER END
$$;

CREATE OR REPLACE FUNCTION seedtest_try_double(v TEXT) RETURNS DOUBLE PRECISION
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN v ~ '^\s*-?[0-9]{1,15}(\.[0-9]+)?([eE][-+]?[0-9]{1,3})?\s*$' THEN v::DOUBLE PRECISION END
$$;

-- ISO-8601 timestamps with an explicit offset only (a timestamp without zone is ambiguous).
-- The day-of-month check keeps e.g. 2026-02-30 from raising an error.
CREATE OR REPLACE FUNCTION seedtest_try_timestamptz(v TEXT) RETURNS TIMESTAMPTZ
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN v ~ '^[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?(Z|[+-][01][0-9](:?[0-5][0-9])?)$'
     AND substr(v, 9, 2)::INT <= extract(day FROM (make_date(substr(v, 1, 4)::INT, substr(v, 6, 2)::INT, 1)
                                                   + INTERVAL '1 month - 1 day'))
    THEN v::TIMESTAMPTZ END
$$;

CREATE OR REPLACE VIEW attempt AS
SELECT e.id                                                    AS result_id,
       e.session_id                                            AS session_id,
       e.user_id                                               AS user_id,
       r.ord::INTEGER                                          AS seq,
       seedtest_try_bigint(r.doc ->> 'item_id')                AS item_id,
       NULLIF(r.doc ->> 'topic', '')                           AS topic,
       CASE WHEN jsonb_typeof(r.doc -> 'correct') = 'boolean'
            THEN (r.doc ->> 'correct')::BOOLEAN END            AS correct,
       seedtest_try_double(r.doc ->> 'response_time_ms')       AS response_time_ms,
       seedtest_try_int(r.doc ->> 'hints_used')                AS hints_used,
       seedtest_try_timestamptz(r.doc ->> 'answered_at')       AS answered_at,
       e.finished_at                                           AS finished_at
FROM exam_results e
CROSS JOIN LATERAL jsonb_array_elements(
  CASE WHEN jsonb_typeof(e.responses) = 'array' THEN e.responses ELSE '[]'::JSONB END
) WITH ORDINALITY AS r(doc, ord);
