package io.seedtest.analytics.calibration;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.io.ServingTables;
import io.seedtest.analytics.irt.ItemParams;
import io.seedtest.analytics.irt.ScaleTransform;
import java.sql.Date;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The calibration a new one links to: the latest one of the same scope with an earlier as-of day
 * (the same model preferred on a tie), with its item parameters on the common scale and its own link constants.
 *
 * <p>A scope is named ({@code --scope}) or, without a name, derived from the data: the item bank
 * of the window's items, i.e. the unnamed calibrations that calibrated at least one of them. Two
 * exams whose items never meet are therefore two scopes even without {@code --scope}: neither
 * links to the other ("0 items in common") nor keeps the other from updating the current tables.
 * Read from PostgreSQL or the lake like every other result table ({@link ServingTables}); absent
 * on the first calibration.
 *
 * <p>"Earlier as-of day", not "latest": a rerun or backfill of a past week links to the week
 * before it, exactly as the original run did, so it reproduces the original numbers.
 *
 * @param items calibrated items of that calibration, linked (on the common scale), by item id
 * @param link that calibration's own transform (its raw scale → the common scale)
 */
public record PreviousCalibration(String calibrationId, LocalDate asOf, ScaleTransform link,
    Map<Long, ItemParams> items) {

  /**
   * @param itemIds the window's items: without a named scope, only calibrations that calibrated
   *     one of them are of this scope
   */
  public static Optional<PreviousCalibration> find(SparkSession spark, Settings settings, LocalDate asOf,
      String modelCode, String scope, long[] itemIds) {
    Optional<Dataset<Row>> calibrations = ServingTables.readIfExists(spark, settings, IrtTables.CALIBRATIONS);
    Optional<Dataset<Row>> history = ServingTables.readIfExists(spark, settings, IrtTables.ITEM_PARAMS_HISTORY);
    if (calibrations.isEmpty() || history.isEmpty()) {
      return Optional.empty();
    }
    Dataset<Row> earlier = calibrations.get()
        .where(col("as_of").lt(lit(Date.valueOf(asOf))).and(col("items_calibrated").gt(0)).and(inScope(scope)));
    List<Row> latest = ofThisScope(spark, earlier, history.get(), scope, itemIds)
        .select(col("calibration_id"), col("as_of"), col("link_a"), col("link_b"),
            col("model").equalTo(lit(modelCode)).as("same_model"))
        .orderBy(col("as_of").desc(), col("same_model").desc(), col("calibration_id"))
        .limit(1).collectAsList();
    if (latest.isEmpty()) {
      return Optional.empty();
    }
    Row r = latest.get(0);
    String id = r.getString(0);
    Map<Long, ItemParams> items = new HashMap<>();
    Dataset<Row> rows = history.get();
    List<String> has = java.util.Arrays.asList(rows.columns());
    // the drift test wants the sampling SEs; a row from before V19 (or a lake table not yet
    // evolved) has only the posterior ones, which make the test conservative, not wrong
    org.apache.spark.sql.Column seA = has.contains(IrtTables.SAMPLING_SE_A)
        ? org.apache.spark.sql.functions.coalesce(col(IrtTables.SAMPLING_SE_A), col("se_a")) : col("se_a");
    org.apache.spark.sql.Column seB = has.contains(IrtTables.SAMPLING_SE_B)
        ? org.apache.spark.sql.functions.coalesce(col(IrtTables.SAMPLING_SE_B), col("se_b")) : col("se_b");
    for (Row p : rows
        .where(col("calibration_id").equalTo(lit(id)).and(col("calibrated")))
        .select(col("item_id"), col("a"), col("b"), col("c"), seA, seB, col("se_c")).collectAsList()) {
      items.put(p.getLong(0), new ItemParams(p.getDouble(1), p.getDouble(2), p.getDouble(3), nan(p, 4),
          nan(p, 5), nan(p, 6)));
    }
    return Optional.of(new PreviousCalibration(id, toLocalDate(r.get(1)),
        new ScaleTransform(r.getDouble(2), r.getDouble(3)), items));
  }

  /**
   * True when a calibration of this scope with a later as-of day exists: then this run must not
   * overwrite the current tables. Without a named scope, "of this scope" means it calibrated one
   * of {@code itemIds} (a later calibration of another exam's items is no reason to hold back).
   */
  public static boolean laterExists(SparkSession spark, Settings settings, LocalDate asOf, String scope,
      long[] itemIds) {
    Optional<Dataset<Row>> calibrations = ServingTables.readIfExists(spark, settings, IrtTables.CALIBRATIONS);
    if (calibrations.isEmpty()) {
      return false;
    }
    Dataset<Row> later = calibrations.get().where(col("as_of").gt(lit(Date.valueOf(asOf))).and(inScope(scope)));
    if (scope != null || later.isEmpty()) {
      return !later.isEmpty();
    }
    Optional<Dataset<Row>> history = ServingTables.readIfExists(spark, settings, IrtTables.ITEM_PARAMS_HISTORY);
    return history.isPresent() && !ofThisScope(spark, later, history.get(), null, itemIds).isEmpty();
  }

  /**
   * {@code calibrations} restricted to this scope's: a named scope is already selected by its id
   * prefix ({@link #inScope}); the unnamed one keeps the calibrations that calibrated at least one
   * of {@code itemIds}.
   */
  private static Dataset<Row> ofThisScope(SparkSession spark, Dataset<Row> calibrations, Dataset<Row> history,
      String scope, long[] itemIds) {
    if (scope != null || itemIds == null) {
      return calibrations;
    }
    List<Long> ids = java.util.Arrays.stream(itemIds).boxed().toList();
    Dataset<Row> items = spark.createDataset(ids, org.apache.spark.sql.Encoders.LONG()).toDF("item_id");
    Dataset<Row> sharing = history.where(col("calibrated")).join(items, "item_id").select("calibration_id")
        .distinct();
    return calibrations.join(sharing, scala.jdk.javaapi.CollectionConverters.asScala(List.of("calibration_id"))
        .toSeq(), "left_semi");
  }

  /** Calibrations of one scope: ids {@code <scope>:...}, or ids without a scope for the default (null). */
  static org.apache.spark.sql.Column inScope(String scope) {
    return scope == null ? org.apache.spark.sql.functions.not(col("calibration_id").contains(":"))
        : col("calibration_id").startsWith(scope + ":");
  }

  /**
   * The current parameters of the given items, for items this run cannot calibrate (they keep
   * their last estimates): item id → parameters, only items that have estimates.
   */
  public static Map<Long, ItemParams> currentParams(SparkSession spark, Settings settings, long[] itemIds) {
    Map<Long, ItemParams> out = new HashMap<>();
    if (itemIds.length == 0) {
      return out;
    }
    Optional<Dataset<Row>> current = ServingTables.readIfExists(spark, settings, IrtTables.ITEM_PARAMS);
    if (current.isEmpty()) {
      return out;
    }
    java.util.Set<Long> wanted = new java.util.HashSet<>();
    for (long id : itemIds) {
      wanted.add(id);
    }
    for (Row p : current.get().where(col("a").isNotNull().and(col("b").isNotNull()).and(col("c").isNotNull()))
        .select("item_id", "a", "b", "c", "se_a", "se_b", "se_c").collectAsList()) {
      if (wanted.contains(p.getLong(0))) {
        out.put(p.getLong(0), new ItemParams(p.getDouble(1), p.getDouble(2), p.getDouble(3), nan(p, 4),
            nan(p, 5), nan(p, 6)));
      }
    }
    return out;
  }

  static LocalDate toLocalDate(Object v) {
    return v instanceof LocalDate d ? d : ((Date) v).toLocalDate();
  }

  private static double nan(Row r, int i) {
    return r.isNullAt(i) ? Double.NaN : r.getDouble(i);
  }
}
