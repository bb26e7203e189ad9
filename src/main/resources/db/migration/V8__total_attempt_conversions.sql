-- The attempt view can no longer fail on any answer (docs/data-contract.md, "What the view
-- accepts"). V1's conversions raised on inputs their patterns let through (an offset of +19:00,
-- "1e400", "1e-999"), so one answer stopped every job whose window held it. Each conversion below
-- is total: a pattern decides, and only then a cast that cannot fail for what the pattern
-- admitted (bounds checked on NUMERIC before narrowing). Still plain SQL, inlined into the view:
-- no exception block (that would be a subtransaction per answer).
--
-- A value that cannot be read becomes NULL and the new last column `problem` says which field and
-- why ("answered_at: not an ISO-8601 timestamp ..."), so the jobs quarantine it with that rule.
-- A session whose `responses` is not an array is one row (seq 0) with the problem "responses: ...",
-- instead of vanishing.

-- Whole numbers: the common short form is cast at once; anything longer goes through NUMERIC with
-- the type's bounds (19-digit ids are valid BIGINTs). Integral decimals ("7.0") are accepted.
CREATE OR REPLACE FUNCTION seedtest_try_bigint(v TEXT) RETURNS BIGINT
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN v ~ '^-?[0-9]{1,18}$' THEN v::BIGINT
    WHEN octet_length(v) <= 40 AND v ~ '^ *[-+]?[0-9]+(\.0*)? *$' THEN
      CASE WHEN v::NUMERIC BETWEEN -9223372036854775808 AND 9223372036854775807 THEN v::NUMERIC::BIGINT END
  END
$$;

CREATE OR REPLACE FUNCTION seedtest_try_int(v TEXT) RETURNS INTEGER
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN v ~ '^-?[0-9]{1,9}$' THEN v::INTEGER
    WHEN octet_length(v) <= 40 AND v ~ '^ *[-+]?[0-9]+(\.0*)? *$' THEN
      CASE WHEN v::NUMERIC BETWEEN -2147483648 AND 2147483647 THEN v::NUMERIC::INTEGER END
  END
$$;

-- Decimal numbers whose magnitude is 0 or within [1e-6, 1e15]: a DOUBLE holds them without
-- overflow or underflow (which raise), and a response time outside that span is not one anyway.
-- NaN and Infinity are not JSON numbers and are not accepted as strings either.
CREATE OR REPLACE FUNCTION seedtest_try_double(v TEXT) RETURNS DOUBLE PRECISION
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN v ~ '^-?[0-9]{1,15}(\.[0-9]{1,6})?$' THEN v::DOUBLE PRECISION
    WHEN octet_length(v) <= 64 AND v ~ '^ *[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]{1,3})? *$' THEN
      CASE WHEN v::NUMERIC = 0 OR abs(v::NUMERIC) BETWEEN 1e-6 AND 1e15 THEN v::NUMERIC::DOUBLE PRECISION END
  END
$$;

-- ISO-8601 with an explicit offset (a timestamp without zone is ambiguous). Years 1000-2999 (a
-- year of 0 or 99999 is not a time anybody answered at), seconds 00-59 (PostgreSQL has no leap
-- second), up to 9 fraction digits (rounded to microseconds), offsets up to ±15:59 (PostgreSQL's
-- limit; real ones stop at +14:00). The inner CASE rejects days past the month's end (2026-02-30).
CREATE OR REPLACE FUNCTION seedtest_try_timestamptz(v TEXT) RETURNS TIMESTAMPTZ
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN octet_length(v) <= 40
     AND v ~ '^[12][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,9})?)?(Z|[+-](0[0-9]|1[0-5])(:?[0-5][0-9])?)$'
    THEN CASE
      WHEN substr(v, 9, 2)::INT <= extract(day FROM (make_date(substr(v, 1, 4)::INT, substr(v, 6, 2)::INT, 1)
                                                    + INTERVAL '1 month - 1 day'))
      THEN v::TIMESTAMPTZ END
  END
$$;

-- "<field>: <rule>" for a JSON value the view could not use: missing, null, of another JSON
-- type, or not of the expected form. Rules are a fixed vocabulary (never the value), so quarantine counts group well.
CREATE OR REPLACE FUNCTION seedtest_json_problem(field TEXT, v JSONB, expected TEXT) RETURNS TEXT
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT field || ': ' || CASE
    WHEN v IS NULL THEN 'missing'
    WHEN jsonb_typeof(v) = 'null' THEN 'null'
    WHEN jsonb_typeof(v) IN ('object', 'array') THEN 'an ' || jsonb_typeof(v) || ', not ' || expected
    WHEN expected IN ('an array', 'an object') THEN 'a ' || jsonb_typeof(v) || ', not ' || expected
    ELSE 'not ' || expected
  END
$$;

-- The topic is cut to 201 characters here: the jobs quarantine anything longer than 200
-- (topic_too_long) and need not receive a 20,000-character string to know it.
CREATE OR REPLACE VIEW attempt AS
SELECT e.id                                                    AS result_id,
       e.session_id                                            AS session_id,
       e.user_id                                               AS user_id,
       CASE WHEN s.is_array THEN r.ord::INTEGER ELSE 0 END     AS seq,
       c.item_id                                               AS item_id,
       c.topic                                                 AS topic,
       c.correct                                               AS correct,
       c.response_time_ms                                      AS response_time_ms,
       c.hints_used                                            AS hints_used,
       c.answered_at                                           AS answered_at,
       e.finished_at                                           AS finished_at,
       CASE
         WHEN NOT s.is_array THEN seedtest_json_problem('responses', e.responses, 'an array')
         WHEN jsonb_typeof(r.doc) <> 'object' THEN seedtest_json_problem('answer', r.doc, 'an object')
         WHEN c.item_id IS NULL
           THEN seedtest_json_problem('item_id', r.doc -> 'item_id', 'a whole number in the BIGINT range')
         WHEN c.correct IS NULL THEN seedtest_json_problem('correct', r.doc -> 'correct', 'a boolean')
         WHEN c.answered_at IS NULL THEN seedtest_json_problem('answered_at', r.doc -> 'answered_at',
             'an ISO-8601 timestamp with an offset, years 1000-2999')
         WHEN c.response_time_ms IS NULL THEN seedtest_json_problem('response_time_ms', r.doc -> 'response_time_ms',
             'a number of magnitude 0 or 1e-6 to 1e15')
         WHEN c.hints_used IS NULL
           THEN seedtest_json_problem('hints_used', r.doc -> 'hints_used', 'a whole number in the INTEGER range')
         WHEN jsonb_typeof(r.doc -> 'topic') NOT IN ('string', 'null')
           THEN seedtest_json_problem('topic', r.doc -> 'topic', 'a string')
       END                                                     AS problem
FROM exam_results e
CROSS JOIN LATERAL (SELECT coalesce(jsonb_typeof(e.responses) = 'array', false) AS is_array) s
CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN s.is_array THEN e.responses ELSE '[null]'::JSONB END)
  WITH ORDINALITY AS r(doc, ord)
-- OFFSET 0 keeps this subquery from being pulled up, so each conversion runs once per answer even
-- though `problem` looks at its result again (docs/benchmarks.md, attempt view).
CROSS JOIN LATERAL (
  SELECT seedtest_try_bigint(r.doc ->> 'item_id')                          AS item_id,
         CASE WHEN jsonb_typeof(r.doc -> 'topic') = 'string'
              THEN NULLIF(left(r.doc ->> 'topic', 201), '') END            AS topic,
         CASE WHEN jsonb_typeof(r.doc -> 'correct') = 'boolean'
              THEN (r.doc ->> 'correct')::BOOLEAN END                      AS correct,
         seedtest_try_double(r.doc ->> 'response_time_ms')                 AS response_time_ms,
         seedtest_try_int(r.doc ->> 'hints_used')                          AS hints_used,
         seedtest_try_timestamptz(r.doc ->> 'answered_at')                 AS answered_at
  OFFSET 0
) c;
