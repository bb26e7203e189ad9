-- Baseline (a) of `seedtest bench-features`: PostgreSQL computes features_topic_daily by itself
-- in one statement (the platform's original plan), for comparison with the Spark job
-- aggregate-features-daily. Same columns and definitions as docs/metrics.md (granularity day,
-- theta_mean / theta_sd NULL: no ability history; rapid_guess_share against
-- mirt_item_params.rapid_guess_ms), same read window and validity rules as
-- AttemptValidation, same changed-only upsert as PgUpsertWriter.
--
-- Placeholders (names in double braces) are filled in by io.seedtest.analytics.bench.BaselineSql with SQL literals:
--   read_from, read_to    finished_at window the job reads: [from - 7 days, to + 2 days)
--   lookback_from, to     event days aggregated (the 7 lookback days feed `improvement`)
--   window_from           first day written (days before it are lookback only)
--   now                   the run's clock (answers after it are "future")
--   check_items           true when item_bank has rows (unknown items are then invalid)
--   dedup_rank            row_number() over (session_id, item_id) for the full validation, or 1
--                         (the basic variant keeps every row-level-valid answer)
--   run_id                the uuid written into run_id
INSERT INTO features_topic_daily AS t
  (user_id, topic, granularity, period_start, day, attempts, correct, acc, rt_median, hints,
   theta_mean, theta_sd, improvement, rapid_guess_share, run_id)
WITH src AS MATERIALIZED (
  -- The view's columns computed once per answer, joined with the item bank. Without MATERIALIZED,
  -- PostgreSQL inlines the view and re-evaluates e.g. seedtest_try_timestamptz (a regular
  -- expression) for every reference to answered_at below, about 8 times per answer; and the
  -- bank join goes here because after the filters below the planner expects ~1 row and would
  -- pick a nested loop over item_bank for each answer.
  SELECT a.result_id, a.session_id, a.user_id, a.seq, a.item_id, a.correct, a.response_time_ms,
         a.hints_used, a.answered_at, a.finished_at,
         COALESCE(a.topic, b.topic) AS topic, b.item_id AS bank_item, ip.rapid_guess_ms
  FROM attempt a
  LEFT JOIN item_bank b ON b.item_id = a.item_id
  LEFT JOIN mirt_item_params ip ON ip.item_id = a.item_id
  WHERE a.finished_at >= {{read_from}} AND a.finished_at < {{read_to}}
),
valid AS (
  -- Row-level rules of docs/data-contract.md ("Quarantine rules"): a row breaking any is left out.
  SELECT a.result_id, a.session_id, a.item_id, a.seq, a.user_id, a.answered_at, a.topic,
         a.correct, a.response_time_ms, a.hints_used, a.rapid_guess_ms
  FROM src a
  WHERE a.user_id IS NOT NULL AND a.session_id IS NOT NULL AND a.item_id IS NOT NULL
    AND a.correct IS NOT NULL AND a.answered_at IS NOT NULL
    AND a.response_time_ms IS NOT NULL AND a.hints_used IS NOT NULL
    AND a.response_time_ms >= 0 AND a.response_time_ms <= 7200000      -- NaN sorts above every number
    AND a.hints_used BETWEEN 0 AND 20
    AND a.answered_at <= a.finished_at + INTERVAL '5 minutes' AND a.answered_at <= {{now}}
    AND a.answered_at >= a.finished_at - INTERVAL '24 hours'
    AND (NOT {{check_items}} OR a.bank_item IS NOT NULL)
    AND a.topic IS NOT NULL
),
ranked AS (
  SELECT v.*, {{dedup_rank}} AS rk FROM valid v
),
periods AS (
  SELECT user_id, topic, date_trunc('day', answered_at, 'UTC') AS period_start,
         count(*)::INT                                                    AS attempts,
         count(*) FILTER (WHERE correct)::INT                             AS correct,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY response_time_ms)    AS rt_median,
         sum(hints_used)::INT                                             AS hints,
         -- no threshold (NULL): the comparison is not true, the answer is no rapid guess
         (count(*) FILTER (WHERE response_time_ms < rapid_guess_ms))::FLOAT8 / count(*) AS rapid_guess_share
  FROM ranked
  WHERE rk = 1
    AND (answered_at AT TIME ZONE 'UTC')::DATE BETWEEN {{lookback_from}} AND {{to}}
  GROUP BY 1, 2, 3
),
features AS (
  SELECT p.*, p.correct::FLOAT8 / p.attempts AS acc,
         sum(p.correct) OVER w  AS prev_correct,
         sum(p.attempts) OVER w AS prev_attempts
  FROM periods p
  WINDOW w AS (PARTITION BY user_id, topic ORDER BY period_start
               RANGE BETWEEN INTERVAL '7 days' PRECEDING AND INTERVAL '1 second' PRECEDING)
)
SELECT user_id, topic, 'day', period_start, (period_start AT TIME ZONE 'UTC')::DATE,
       attempts, correct, acc, rt_median, hints, NULL::FLOAT8, NULL::FLOAT8,
       CASE WHEN prev_attempts > 0 THEN acc - prev_correct::FLOAT8 / prev_attempts END,
       rapid_guess_share, {{run_id}}
FROM features
WHERE (period_start AT TIME ZONE 'UTC')::DATE BETWEEN {{window_from}} AND {{to}}
ON CONFLICT (user_id, topic, granularity, period_start) DO UPDATE SET
  day = EXCLUDED.day, attempts = EXCLUDED.attempts, correct = EXCLUDED.correct, acc = EXCLUDED.acc,
  rt_median = EXCLUDED.rt_median, hints = EXCLUDED.hints, theta_mean = EXCLUDED.theta_mean,
  theta_sd = EXCLUDED.theta_sd, improvement = EXCLUDED.improvement,
  rapid_guess_share = EXCLUDED.rapid_guess_share, run_id = EXCLUDED.run_id,
  updated_at = now()
WHERE (t.day, t.attempts, t.correct, t.acc, t.rt_median, t.hints, t.theta_mean, t.theta_sd, t.improvement,
       t.rapid_guess_share)
  IS DISTINCT FROM (EXCLUDED.day, EXCLUDED.attempts, EXCLUDED.correct, EXCLUDED.acc, EXCLUDED.rt_median,
                    EXCLUDED.hints, EXCLUDED.theta_mean, EXCLUDED.theta_sd, EXCLUDED.improvement,
                    EXCLUDED.rapid_guess_share)
