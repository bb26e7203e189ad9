package io.seedtest.analytics.calibration;

import io.seedtest.analytics.io.UpsertSpec;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The five result tables of a calibration (DDL in V5__irt_calibration.sql; meaning in
 * docs/irt.md and docs/data-contract.md): their names, Spark schemas and how they are upserted.
 * None has a scope: a calibration never deletes rows it did not produce (an item absent from this
 * window keeps its row; a student without answers keeps her last θ).
 */
public final class IrtTables {
  public static final String CALIBRATIONS = "calibrations";
  public static final String ITEM_PARAMS = "mirt_item_params";
  public static final String ITEM_PARAMS_HISTORY = "mirt_item_params_history";
  public static final String ABILITY = "mirt_ability";
  /** Read by the features job by this name (user_id, as_of, theta, theta_se). */
  public static final String ABILITY_HISTORY = "mirt_ability_history";
  /** The drift test of each common item against the previous calibration (V15). */
  public static final String ITEM_DRIFT = "item_drift";
  /** The five tables, in the order a run publishes them. */
  public static final List<String> ALL = List.of(CALIBRATIONS, ITEM_PARAMS_HISTORY, ABILITY_HISTORY, ITEM_PARAMS,
      ABILITY);
  /** {@code source} of abilities written by the weekly calibration. */
  public static final String SOURCE_CALIBRATION = "calibration";

  /**
   * The sampling SEs of a and b on the history (V19): what the next calibration's drift test
   * compares against (irt.ParameterCovariance#samplingStandardError); NULL in rows written before.
   */
  public static final String SAMPLING_SE_A = "sampling_se_a";
  public static final String SAMPLING_SE_B = "sampling_se_b";

  private static final List<String> ITEM_VALUES = List.of("model", "a", "b", "c", "se_a", "se_b", "se_c",
      "answers", "calibrated", "flag", "rmsd", "mean_deviation", "rapid_guess_ms");

  public static final StructType ITEM_PARAMS_SCHEMA = new StructType()
      .add("item_id", DataTypes.LongType, false)
      .add("model", DataTypes.StringType, false)
      .add("a", DataTypes.DoubleType, true)
      .add("b", DataTypes.DoubleType, true)
      .add("c", DataTypes.DoubleType, true)
      .add("se_a", DataTypes.DoubleType, true)
      .add("se_b", DataTypes.DoubleType, true)
      .add("se_c", DataTypes.DoubleType, true)
      .add("answers", DataTypes.IntegerType, false)
      .add("calibration_id", DataTypes.StringType, false)
      .add("calibrated", DataTypes.BooleanType, false)
      .add("flag", DataTypes.StringType, true)
      .add("rmsd", DataTypes.DoubleType, true)
      .add("mean_deviation", DataTypes.DoubleType, true)
      .add("rapid_guess_ms", DataTypes.DoubleType, true);

  public static final UpsertSpec ITEM_PARAMS_SPEC = new UpsertSpec(ITEM_PARAMS, List.of("item_id"),
      concat(ITEM_VALUES, List.of("calibration_id")), List.of(), null, null);

  public static final StructType ITEM_PARAMS_HISTORY_SCHEMA = new StructType()
      .add("calibration_id", DataTypes.StringType, false)
      .add("item_id", DataTypes.LongType, false)
      .add("as_of", DataTypes.DateType, false)
      .add("model", DataTypes.StringType, false)
      .add("a", DataTypes.DoubleType, true)
      .add("b", DataTypes.DoubleType, true)
      .add("c", DataTypes.DoubleType, true)
      .add("se_a", DataTypes.DoubleType, true)
      .add("se_b", DataTypes.DoubleType, true)
      .add("se_c", DataTypes.DoubleType, true)
      .add("answers", DataTypes.IntegerType, false)
      .add("calibrated", DataTypes.BooleanType, false)
      .add("flag", DataTypes.StringType, true)
      .add("rmsd", DataTypes.DoubleType, true)
      .add("mean_deviation", DataTypes.DoubleType, true)
      .add("rapid_guess_ms", DataTypes.DoubleType, true)
      .add(SAMPLING_SE_A, DataTypes.DoubleType, true)
      .add(SAMPLING_SE_B, DataTypes.DoubleType, true);

  public static final UpsertSpec ITEM_PARAMS_HISTORY_SPEC = new UpsertSpec(ITEM_PARAMS_HISTORY,
      List.of("calibration_id", "item_id"), concat(concat(List.of("as_of"), ITEM_VALUES),
          List.of(SAMPLING_SE_A, SAMPLING_SE_B)), List.of(), null, null);

  public static final StructType CALIBRATIONS_SCHEMA = new StructType()
      .add("calibration_id", DataTypes.StringType, false)
      .add("as_of", DataTypes.DateType, false)
      .add("window_from", DataTypes.DateType, false)
      .add("window_to", DataTypes.DateType, false)
      .add("model", DataTypes.StringType, false)
      .add("priors", DataTypes.BooleanType, false)
      .add("students", DataTypes.LongType, false)
      .add("items", DataTypes.IntegerType, false)
      .add("items_calibrated", DataTypes.IntegerType, false)
      .add("answers", DataTypes.LongType, false)
      .add("answers_repeated", DataTypes.LongType, false)
      .add("min_answers", DataTypes.IntegerType, false)
      .add("max_iterations", DataTypes.IntegerType, false)
      .add("iterations", DataTypes.IntegerType, false)
      .add("log_likelihood", DataTypes.DoubleType, false)
      .add("converged", DataTypes.BooleanType, false)
      .add("max_gradient", DataTypes.DoubleType, true)
      .add("max_scaled_gradient", DataTypes.DoubleType, true)
      .add("link_method", DataTypes.StringType, false)
      .add("link_reference", DataTypes.StringType, true)
      .add("link_a", DataTypes.DoubleType, false)
      .add("link_b", DataTypes.DoubleType, false)
      .add("link_common_items", DataTypes.IntegerType, false)
      .add("seconds_estep", DataTypes.DoubleType, true)
      .add("seconds_total", DataTypes.DoubleType, true)
      .add("run_id", DataTypes.StringType, false)
      .add("created_at", DataTypes.TimestampType, false);

  /**
   * Timings, the run id and created_at are bookkeeping: they are written with a changed row but a
   * rerun that reproduces the same numbers changes nothing.
   */
  public static final UpsertSpec CALIBRATIONS_SPEC = new UpsertSpec(CALIBRATIONS, List.of("calibration_id"),
      List.of("as_of", "window_from", "window_to", "model", "priors", "students", "items", "items_calibrated",
          "answers", "answers_repeated", "min_answers", "max_iterations", "iterations", "log_likelihood",
          "converged", "max_gradient", "max_scaled_gradient", "link_method", "link_reference", "link_a",
          "link_b", "link_common_items"),
      List.of("seconds_estep", "seconds_total", "run_id", "created_at"), null, null);

  /** What the scoring pass produces per student. */
  public static final StructType SCORES_SCHEMA = new StructType()
      .add("user_id", DataTypes.LongType, false)
      .add("theta", DataTypes.DoubleType, false)
      .add("theta_se", DataTypes.DoubleType, false)
      .add("answers_used", DataTypes.IntegerType, false);

  public static final UpsertSpec ABILITY_SPEC = new UpsertSpec(ABILITY, List.of("user_id"),
      List.of("theta", "theta_se", "answers_used", "as_of", "calibration_id", "source"), List.of(), null, null);

  /**
   * Keyed by the calibration too (V13): a 3PL and a 2PL calibration of the same window share
   * (user_id, as_of, source) and both estimates are kept; {@link AbilityHistory#latest} picks one.
   */
  public static final UpsertSpec ABILITY_HISTORY_SPEC = new UpsertSpec(ABILITY_HISTORY,
      List.of("user_id", "as_of", "source", "calibration_id"), List.of("theta", "theta_se", "answers_used"),
      List.of(), null, null);

  /**
   * One row per item calibrated in both this calibration and the one it links to: Δ = linked
   * current − previous, z = Δ / √(SE_prev² + SE_cur²), p = Bonferroni min over a and b, q =
   * Benjamini–Hochberg across the calibration's common items ({@link
   * io.seedtest.analytics.irt.ItemDrift}); anchor = used in the final (purified) link.
   */
  public static final StructType ITEM_DRIFT_SCHEMA = new StructType()
      .add("calibration_id", DataTypes.StringType, false)
      .add("item_id", DataTypes.LongType, false)
      .add("reference_calibration_id", DataTypes.StringType, false)
      .add("delta_a", DataTypes.DoubleType, true)
      .add("delta_b", DataTypes.DoubleType, true)
      .add("z_a", DataTypes.DoubleType, true)
      .add("z_b", DataTypes.DoubleType, true)
      .add("p", DataTypes.DoubleType, true)
      .add("q", DataTypes.DoubleType, true)
      .add("flag", DataTypes.BooleanType, false)
      .add("anchor", DataTypes.BooleanType, false);

  public static final UpsertSpec ITEM_DRIFT_SPEC = new UpsertSpec(ITEM_DRIFT, List.of("calibration_id", "item_id"),
      List.of("reference_calibration_id", "delta_a", "delta_b", "z_a", "z_b", "p", "q", "flag", "anchor"),
      List.of(), null, null);

  private IrtTables() {}

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
