package io.seedtest.analytics.kpi;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The one computation of weekly_kpi rows, shared by the nightly job and the inactivity trigger:
 * given the same inputs, the same day and the same churn model, both produce the same row. Each
 * step is a named, pure transform ({@link WeeklyActivity}, {@link Accuracy}, {@link AbilityTrend},
 * {@link Improvement}, {@link Retention}, {@link GoalProbability}, {@link ChurnFeatures},
 * {@link ChurnModel#score()}); this class only wires them.
 */
public final class KpiPipeline {
  private KpiPipeline() {}

  /**
   * What the KPIs are computed from.
   *
   * @param userDays {@link ActivityDays#userDays} of the valid answers before the cutoff
   * @param topicDays {@link ActivityDays#topicDays} of the same answers
   * @param abilityHistory mirt_ability_history rows, or null when there is none yet
   * @param goals the goals table (user_id, target_theta, goal_date), or null when there is none
   */
  public record Inputs(Dataset<Row> userDays, Dataset<Row> topicDays, Dataset<Row> abilityHistory,
      Dataset<Row> goals) {}

  /**
   * The weekly_kpi rows of {@code p.day()} ({@link KpiTables#WEEKLY_KPI_SCHEMA}) for every student
   * of the population, or only for {@code onlyUsers} (user_id) when given. Population-level
   * quantities (the Beta-Binomial prior of A_t, the trend prior of P) are always estimated over
   * the whole population, so restricting the students changes no value.
   *
   * @param model the churn model for the day, or null (S null, churn_source 'none')
   */
  public static Dataset<Row> weeklyKpi(SparkSession spark, Inputs in, KpiParams p, ChurnModel model,
      Dataset<Row> onlyUsers, String runId) {
    Dataset<Row> day = asOfDays(spark, List.of(p.day()));
    Dataset<Row> activity = WeeklyActivity.asOf(in.userDays().where(col("day").leq(lit(Date.valueOf(p.day())))), day,
        p.lookbackDays());
    Dataset<Row> windowPrior = BetaBinomialPrior.estimate(activity, "attempts_window", "correct_window", "_wn");
    Dataset<Row> rows = Accuracy.withAccuracy(activity, p.bayesian());
    if (onlyUsers != null) {
      rows = rows.join(onlyUsers.select("user_id").distinct(), new String[] {"user_id"}, "left_semi");
    }
    Dataset<Row> keys = rows.select(col("user_id"), col("as_of_day")).withColumn("_cutoff", lit(Timestamp.from(p.cutoff())));
    Dataset<Row> history = in.abilityHistory() == null ? null
        : onlyUsers == null ? in.abilityHistory()
        : in.abilityHistory().join(onlyUsers.select("user_id").distinct(), new String[] {"user_id"}, "left_semi");
    rows = rows.join(AbilityTrend.asOf(history, keys, p.lookbackDays()), new String[] {"user_id", "as_of_day"}, "left");
    rows = Improvement.withImprovement(rows);
    rows = rows.join(Retention.compute(in.topicDays().where(col("day").leq(lit(Date.valueOf(p.day())))), day,
        p.lookbackDays()), new String[] {"user_id", "as_of_day"}, "left");
    rows = withGoals(rows, in.goals());
    TrendPrior prior = p.bayesian() && in.abilityHistory() != null
        ? TrendPrior.estimate(AbilityTrend.populationSlopes(in.abilityHistory(), p.cutoff(), p.lookbackDays()))
        : TrendPrior.DEFAULT;
    TrendDynamics dynamics = TrendDynamics.estimate(in.abilityHistory(), p.cutoff(), p.lookbackDays(), p.bayesian());
    GoalDistancePrior distance = p.bayesian() ? GoalDistancePrior.estimate(in.abilityHistory(), in.goals(), p.cutoff())
        : GoalDistancePrior.NONE;
    rows = GoalProbability.withGoalProbability(rows, windowPrior, p.defaultTarget(), p.bayesian(), prior, dynamics,
        distance);
    rows = ChurnFeatures.withFeatures(rows, p.lookbackDays());
    Column s = model == null ? lit(null).cast("double") : model.score();
    rows = rows
        .withColumn("s_churn", s)
        .withColumn("model_version", lit(model == null ? null : model.version()).cast("string"))
        .withColumn("churn_source", lit(model == null ? "none" : model.fallback() ? "fallback" : "model"))
        .withColumn("week_ending", col("as_of_day"))
        .withColumn("revisited_topics", org.apache.spark.sql.functions.coalesce(col("revisited_topics"), lit(0)))
        .withColumn("lookback_days", lit(p.lookbackDays()))
        .withColumn("bayesian", lit(p.bayesian()))
        .withColumn("computed_by", lit(p.computedBy()))
        .withColumn("run_id", lit(runId));
    return conform(rows, KpiTables.WEEKLY_KPI_SCHEMA);
  }

  /**
   * Labelled churn-model rows for past as-of days (the training and test weeks): the features each
   * student had on that day, computed by the same transforms as today's, and whether she was active
   * in the following 7 days. Inputs must reach the end of the last outcome window.
   */
  public static Dataset<Row> churnTrainingRows(SparkSession spark, Inputs in, List<LocalDate> days, int lookbackDays) {
    Dataset<Row> asOf = asOfDays(spark, days);
    Dataset<Row> activity = WeeklyActivity.asOf(in.userDays(), asOf, lookbackDays);
    Dataset<Row> keys = activity.select(col("user_id"), col("as_of_day"))
        .withColumn("_cutoff", expr("CAST(date_add(as_of_day, 1) AS TIMESTAMP)"));
    Dataset<Row> rows = activity.join(AbilityTrend.asOf(in.abilityHistory(), keys, lookbackDays),
        new String[] {"user_id", "as_of_day"}, "left");
    rows = withGoals(rows, in.goals());
    rows = ChurnFeatures.withFeatures(rows, lookbackDays);
    rows = ChurnFeatures.withLabel(rows, in.userDays());
    // the model's features, and what the gate ranks its baselines by (recency, her activity rate)
    java.util.LinkedHashSet<String> keep = new java.util.LinkedHashSet<>(
        List.of("user_id", "as_of_day", "recency_days", "label", ChurnFeatures.ACTIVITY_RATE));
    keep.addAll(ChurnFeatures.FEATURES);
    return rows.selectExpr(keep.toArray(String[]::new));
  }

  /** One row per day: as_of_day. */
  public static Dataset<Row> asOfDays(SparkSession spark, List<LocalDate> days) {
    return spark.createDataFrame(days.stream().map(d -> RowFactory.create(Date.valueOf(d))).toList(),
        new StructType().add("as_of_day", DataTypes.DateType, false));
  }

  /** Adds target_theta_goal and goal_date (null for a student without a goal). */
  public static Dataset<Row> withGoals(Dataset<Row> rows, Dataset<Row> goals) {
    if (goals == null) {
      return rows.withColumn("target_theta_goal", lit(null).cast("double"))
          .withColumn("goal_date", lit(null).cast("date"));
    }
    Dataset<Row> g = goals.select(col("user_id"), col("target_theta").cast("double").as("target_theta_goal"),
            col("goal_date").cast("date").as("goal_date"))
        .where(col("target_theta_goal").isNotNull().and(when(col("target_theta_goal").isNaN(), false).otherwise(true)))
        .dropDuplicates("user_id");
    return rows.join(g, new String[] {"user_id"}, "left");
  }

  /** Exactly the schema's columns, in order, cast to its types. */
  static Dataset<Row> conform(Dataset<Row> rows, StructType schema) {
    return rows.select(Arrays.stream(schema.fields()).map(f -> col(f.name()).cast(f.dataType()).as(f.name()))
        .toArray(Column[]::new));
  }
}
