package io.seedtest.analytics.report;

import io.seedtest.analytics.io.UpsertSpec;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The two tables of the weekly report (DDL in V10__weekly_reports.sql, meaning in
 * docs/reports.md): names, the Spark schemas the job produces (column order = COPY order) and how
 * each is upserted.
 */
public final class ReportTables {
  public static final String ARTIFACT = "report_artifact";
  public static final String RECOMMENDATIONS = "report_recommendations";

  public static final StructType ARTIFACT_SCHEMA = new StructType()
      .add("user_id", DataTypes.LongType, false)
      .add("week_ending", DataTypes.DateType, false)
      .add("locale", DataTypes.StringType, false)
      .add("url", DataTypes.StringType, false)
      .add("sha256", DataTypes.StringType, false)
      .add("bytes", DataTypes.LongType, false)
      .add("input_hash", DataTypes.StringType, true)
      .add("rendered_at", DataTypes.TimestampType, false)
      .add("run_id", DataTypes.StringType, false);

  /**
   * No scope: a run never deletes artifact rows, because a report whose upload failed this time
   * still has its earlier object, which the earlier row describes. rendered_at / run_id follow a
   * change of the bytes or of the inputs' hash only, so a rerun that stores nothing new changes no
   * row. input_hash (V16; null in rows written before it) is what a rerun compares to skip a
   * student before rendering ({@link ReportInputHash}).
   */
  public static final UpsertSpec ARTIFACT_SPEC = new UpsertSpec(ARTIFACT, List.of("user_id", "week_ending", "locale"),
      List.of("url", "sha256", "bytes", "input_hash"), List.of("rendered_at", "run_id"), "week_ending", null);

  public static final StructType RECOMMENDATIONS_SCHEMA = new StructType()
      .add("user_id", DataTypes.LongType, false)
      .add("week_ending", DataTypes.DateType, false)
      .add("rank", DataTypes.IntegerType, false)
      .add("kind", DataTypes.StringType, false)
      .add("item_id", DataTypes.LongType, true)
      .add("topic", DataTypes.StringType, false)
      .add("p_success", DataTypes.DoubleType, true)
      .add("information", DataTypes.DoubleType, true)
      .add("topic_accuracy", DataTypes.DoubleType, true)
      .add("theta", DataTypes.DoubleType, true)
      .add("run_id", DataTypes.StringType, false);

  private static final List<String> RECOMMENDATION_VALUES = List.of("kind", "item_id", "topic", "p_success",
      "information", "topic_accuracy", "theta");

  /** A run over every student of a week owns that week: ranks it no longer produces are removed. */
  public static final UpsertSpec RECOMMENDATIONS_SPEC = new UpsertSpec(RECOMMENDATIONS,
      List.of("user_id", "week_ending", "rank"), RECOMMENDATION_VALUES, List.of("run_id"), "week_ending", "week_ending");

  /** A run over a --users subset must not delete the other students' rows: no scope. */
  public static final UpsertSpec RECOMMENDATIONS_SUBSET_SPEC = new UpsertSpec(RECOMMENDATIONS,
      List.of("user_id", "week_ending", "rank"), RECOMMENDATION_VALUES, List.of("run_id"), "week_ending", null);

  private ReportTables() {}
}
