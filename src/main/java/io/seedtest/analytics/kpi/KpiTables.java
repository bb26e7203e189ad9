package io.seedtest.analytics.kpi;

import io.seedtest.analytics.io.UpsertSpec;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The three tables of the KPI work (DDL in V6__kpis.sql, meaning in docs/metrics.md "KPIs"): their
 * names, the Spark schemas the jobs produce (column order = the order of the PostgreSQL COPY) and
 * how each is upserted; plus the names of the tables the KPI jobs read.
 */
public final class KpiTables {
  public static final String WEEKLY_KPI = "weekly_kpi";
  public static final String CHURN_MODELS = "churn_models";
  public static final String INACTIVITY_EVENTS = "inactivity_events";

  /** Read, when present: ability history (calibration and session updates) and the platform's goals. */
  public static final String GOALS = "goals";

  public static final String COMPUTED_BY_DAILY = "daily";
  public static final String COMPUTED_BY_TRIGGER = "trigger";

  public static final StructType WEEKLY_KPI_SCHEMA = new StructType()
      .add("user_id", DataTypes.LongType, false)
      .add("week_ending", DataTypes.DateType, false)
      .add("a_t", DataTypes.DoubleType, true)
      .add("i_t", DataTypes.DoubleType, true)
      .add("i_source", DataTypes.StringType, true)
      .add("e_t", DataTypes.DoubleType, false)
      .add("r_t", DataTypes.DoubleType, true)
      .add("p_goal", DataTypes.DoubleType, true)
      .add("s_churn", DataTypes.DoubleType, true)
      .add("target_theta", DataTypes.DoubleType, false)
      .add("target_source", DataTypes.StringType, false)
      .add("goal_date", DataTypes.DateType, true)
      .add("horizon_days", DataTypes.IntegerType, false)
      .add("theta_source", DataTypes.StringType, false)
      .add("theta", DataTypes.DoubleType, true)
      .add("theta_se", DataTypes.DoubleType, true)
      .add("theta_as_of", DataTypes.TimestampType, true)
      .add("trend", DataTypes.DoubleType, true)
      .add("trend_se", DataTypes.DoubleType, true)
      .add("predictive_mean", DataTypes.DoubleType, false)
      .add("predictive_sd", DataTypes.DoubleType, false)
      .add("model_version", DataTypes.StringType, true)
      .add("churn_source", DataTypes.StringType, false)
      .add("attempts_7d", DataTypes.IntegerType, false)
      .add("correct_7d", DataTypes.IntegerType, false)
      .add("active_days_7d", DataTypes.IntegerType, false)
      .add("time_on_task_7d_s", DataTypes.DoubleType, false)
      .add("baseline_day_time_s", DataTypes.DoubleType, true)
      .add("a_prev", DataTypes.DoubleType, true)
      .add("attempts_prev_7d", DataTypes.IntegerType, false)
      .add("attempts_window", DataTypes.IntegerType, false)
      .add("active_days_window", DataTypes.IntegerType, false)
      .add("last_active_day", DataTypes.DateType, false)
      .add("recency_days", DataTypes.IntegerType, false)
      .add("tenure_days", DataTypes.IntegerType, false)
      .add("revisited_topics", DataTypes.IntegerType, false)
      .add("lookback_days", DataTypes.IntegerType, false)
      .add("bayesian", DataTypes.BooleanType, false)
      .add("computed_by", DataTypes.StringType, false)
      .add("run_id", DataTypes.StringType, false);

  private static final List<String> WEEKLY_KPI_VALUES = List.of(WEEKLY_KPI_SCHEMA.fieldNames()).subList(2,
      WEEKLY_KPI_SCHEMA.fieldNames().length - 1);

  /**
   * The nightly run owns its day: rows of the day it did not produce are deleted (scope =
   * week_ending), so a rerun after upstream data changed converges to exactly what it computed.
   */
  public static final UpsertSpec WEEKLY_KPI_SPEC = new UpsertSpec(WEEKLY_KPI, List.of("user_id", "week_ending"),
      WEEKLY_KPI_VALUES, List.of("run_id"), "week_ending", "week_ending");

  /** The trigger writes a few students' rows of a day and must never delete the others: no scope. */
  public static final UpsertSpec WEEKLY_KPI_TRIGGER_SPEC = new UpsertSpec(WEEKLY_KPI, List.of("user_id", "week_ending"),
      WEEKLY_KPI_VALUES, List.of("run_id"), "week_ending", null);

  public static final StructType CHURN_MODELS_SCHEMA = new StructType()
      .add("model_version", DataTypes.StringType, false)
      .add("serves_from", DataTypes.DateType, false)
      .add("trained_at", DataTypes.TimestampType, false)
      .add("outcomes_through", DataTypes.DateType, false)
      .add("algorithm", DataTypes.StringType, false)
      .add("fallback", DataTypes.BooleanType, false)
      .add("fallback_reason", DataTypes.StringType, true)
      .add("train_weeks", DataTypes.StringType, false)
      .add("test_week", DataTypes.DateType, true)
      .add("n_train", DataTypes.LongType, false)
      .add("n_test", DataTypes.LongType, false)
      .add("positive_rate_train", DataTypes.DoubleType, true)
      .add("positive_rate_test", DataTypes.DoubleType, true)
      .add("auc", DataTypes.DoubleType, true)
      .add("brier", DataTypes.DoubleType, true)
      .add("ece", DataTypes.DoubleType, true)
      .add("features", DataTypes.StringType, false)
      .add("coefficients", DataTypes.StringType, false)
      .add("intercept", DataTypes.DoubleType, false)
      .add("params", DataTypes.StringType, false)
      .add("run_id", DataTypes.StringType, false)
      .add("candidate_auc", DataTypes.DoubleType, true)
      .add("recency_auc", DataTypes.DoubleType, true)
      .add("recency_brier", DataTypes.DoubleType, true)
      .add("recency_ece", DataTypes.DoubleType, true)
      .add("activity_rate_auc", DataTypes.DoubleType, true)
      .add("min_auc_gain", DataTypes.DoubleType, true);

  /** A model is written once (a run only outputs models it trained); trained_at and run_id follow a change. */
  public static final UpsertSpec CHURN_MODELS_SPEC = new UpsertSpec(CHURN_MODELS, List.of("model_version"),
      List.of("serves_from", "outcomes_through", "algorithm", "fallback", "fallback_reason", "train_weeks",
          "test_week", "n_train", "n_test", "positive_rate_train", "positive_rate_test", "auc", "brier", "ece",
          "features", "coefficients", "intercept", "params", "candidate_auc", "recency_auc", "recency_brier",
          "recency_ece", "activity_rate_auc", "min_auc_gain"),
      List.of("trained_at", "run_id"), null, null);

  public static final StructType INACTIVITY_EVENTS_SCHEMA = new StructType()
      .add("user_id", DataTypes.LongType, false)
      .add("event_type", DataTypes.StringType, false)
      .add("event_day", DataTypes.DateType, false)
      .add("event_at", DataTypes.TimestampType, false)
      .add("last_active_at", DataTypes.TimestampType, false)
      .add("gap_days", DataTypes.DoubleType, false)
      .add("detected_at", DataTypes.TimestampType, false)
      .add("run_id", DataTypes.StringType, false);

  /**
   * Each event once: the key is (user, type, day); what a later run sees again changes nothing, and
   * detected_at / run_id (bookkeeping) stay those of the first run that saw it.
   */
  public static final UpsertSpec INACTIVITY_EVENTS_SPEC = new UpsertSpec(INACTIVITY_EVENTS,
      List.of("user_id", "event_type", "event_day"), List.of("event_at", "last_active_at", "gap_days"),
      List.of("detected_at", "run_id"), "event_day", null);

  private KpiTables() {}
}
