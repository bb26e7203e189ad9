package io.seedtest.analytics.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.delta.tables.DeltaTable;
import io.seedtest.analytics.calibration.IrtTables;
import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.features.FeaturesTopicDaily;
import io.seedtest.analytics.io.Lake;
import io.seedtest.analytics.io.ServingTables;
import io.seedtest.analytics.io.UpsertSpec;
import io.seedtest.analytics.kpi.KpiTables;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The lake's record of completed report runs, one row per week, locale, users scope and store: the
 * Delta version of every input table the run read and the renderer's fingerprint, and how many
 * reports it left stored. A rerun whose inputs have the same versions has nothing to render, so it
 * stops before reading any input ({@link GenerateWeeklyReportsJob}) — provided the store still lists
 * that many objects and report_artifact still holds that many rows with an input hash (an object
 * deleted out of band or an artifact table rewritten sends the run through the per-student skip).
 *
 * <p>Lake mode only: a PostgreSQL source has no table version to compare (no watermark on the
 * serving tables), so there every run takes the per-student input-hash path and no row is written.
 */
final class ReportRuns {
  static final String TABLE = "report_runs";

  /** Every table {@link ReportInputs} reads (attempts and item_bank through the lake attempt source). */
  static final List<String> INPUTS = List.of(KpiTables.WEEKLY_KPI, IrtTables.ABILITY_HISTORY,
      FeaturesTopicDaily.TABLE, IrtTables.ITEM_PARAMS, Lake.ITEM_BANK, Lake.ATTEMPTS);

  static final StructType SCHEMA = new StructType()
      .add("week_ending", DataTypes.DateType, false)
      .add("locale", DataTypes.StringType, false)
      .add("users_scope", DataTypes.StringType, false)
      .add("store", DataTypes.StringType, false)
      .add("inputs", DataTypes.StringType, false)
      .add("reports", DataTypes.LongType, false)
      .add("completed_at", DataTypes.TimestampType, false)
      .add("run_id", DataTypes.StringType, false);

  /** No scope: a run only adds or replaces its own key's row. */
  static final UpsertSpec SPEC = new UpsertSpec(TABLE, List.of("week_ending", "locale", "users_scope", "store"),
      List.of("inputs", "reports"), List.of("completed_at", "run_id"), "week_ending", null);

  private ReportRuns() {}

  /**
   * What a run's reports depend on beyond the code: {@code fingerprint=…;weekly_kpi=v12;…} with each
   * input table's latest Delta version ({@code absent} before it exists). Empty with PostgreSQL.
   */
  static Optional<String> inputs(SparkSession spark, Settings settings, String fingerprint) {
    if (settings.database().isPresent()) {
      return Optional.empty();
    }
    Lake lake = new Lake(settings.lake());
    StringBuilder s = new StringBuilder("fingerprint=").append(fingerprint);
    for (String t : INPUTS) {
      s.append(';').append(t).append('=').append(version(spark, lake, t));
    }
    return Optional.of(s.toString());
  }

  /** The table's latest Delta version: the last commit in its history (read from the log, no scan). */
  private static String version(SparkSession spark, Lake lake, String table) {
    if (!lake.exists(spark, table)) {
      return "absent";
    }
    return "v" + DeltaTable.forPath(spark, lake.path(table)).history(1).head().<Long>getAs("version");
  }

  /** "all" for a run over the whole week, else the sorted users' count and hash. */
  static String scope(List<Long> users) {
    if (users.isEmpty()) {
      return "all";
    }
    String sorted = users.stream().distinct().sorted().map(String::valueOf).collect(Collectors.joining(","));
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(sorted.getBytes(StandardCharsets.UTF_8));
      return "users:" + users.stream().distinct().count() + ":" + HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The recorded run of this key with exactly these inputs: its row, or empty. */
  static Optional<Row> completed(SparkSession spark, Settings settings, LocalDate day, String locale, String scope,
      String store, String inputs) {
    return ServingTables.readIfExists(spark, settings, TABLE).flatMap(t -> t
        .where(col("week_ending").equalTo(lit(Date.valueOf(day))).and(col("locale").equalTo(locale))
            .and(col("users_scope").equalTo(scope)).and(col("store").equalTo(store))
            .and(col("inputs").equalTo(inputs)))
        .collectAsList().stream().findFirst());
  }

  /** report_artifact rows of the week and locale with an input hash, among {@code users} (all when empty). */
  static long artifactRows(SparkSession spark, Settings settings, LocalDate day, String locale, List<Long> users) {
    return ServingTables.readIfExists(spark, settings, ReportTables.ARTIFACT)
        .filter(t -> java.util.Arrays.asList(t.columns()).contains("input_hash"))
        .map(t -> {
          Dataset<Row> d = t.where(col("week_ending").equalTo(lit(Date.valueOf(day))).and(col("locale").equalTo(locale))
              .and(col("input_hash").isNotNull()));
          return (users.isEmpty() ? d : d.where(col("user_id").isin(users.toArray()))).count();
        })
        .orElse(0L);
  }

  static Dataset<Row> row(SparkSession spark, LocalDate day, String locale, String scope, String store, String inputs,
      long reports, Timestamp completedAt, String runId) {
    return spark.createDataFrame(List.of(RowFactory.create(Date.valueOf(day), locale, scope, store, inputs, reports,
        completedAt, runId)), SCHEMA);
  }
}
