package io.seedtest.analytics.sim;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Names and schemas of what the simulator writes. The same names are used for the Delta lake
 * folders and the PostgreSQL tables (V1 for exam_results / item_bank, V4 for the truth tables and
 * goals). Column order of each schema is the order of the PostgreSQL COPY.
 */
public final class SimTables {
  public static final String EXAM_RESULTS = "exam_results";
  public static final String ITEM_BANK = "item_bank";
  public static final String SIM_ITEMS = "sim_items";
  public static final String SIM_STUDENTS = "sim_students";
  public static final String SIM_STUDENT_DAYS = "sim_student_days";
  public static final String GOALS = "goals";
  public static final String SIM_SPEC = "sim_spec";
  /** What the simulator injected for issue 19's detectors: leaked and misfitting items, rapid guesses. */
  public static final String SIM_INJECTIONS = "sim_injections";
  public static final String LEAKED_ITEM = "leaked_item";
  public static final String MISFIT_ITEM = "misfit_item";
  public static final String RAPID_GUESSER = "rapid_guesser";
  public static final String RAPID_GUESS = "rapid_guess";

  public static final StructType ITEM_BANK_SCHEMA = new StructType()
      .add("item_id", DataTypes.LongType, false)
      .add("topic", DataTypes.StringType, false);

  public static final StructType SIM_ITEMS_SCHEMA = new StructType()
      .add("item_id", DataTypes.LongType, false)
      .add("topic", DataTypes.StringType, false)
      .add("a", DataTypes.DoubleType, false)
      .add("b", DataTypes.DoubleType, false)
      .add("c", DataTypes.DoubleType, false)
      .add("time_intensity", DataTypes.DoubleType, false)
      .add("time_sd", DataTypes.DoubleType, false);

  public static final StructType SIM_STUDENTS_SCHEMA = new StructType()
      .add("user_id", DataTypes.LongType, false)
      .add("theta0", DataTypes.DoubleType, false)
      .add("learning_rate", DataTypes.DoubleType, false)
      .add("engagement", DataTypes.DoubleType, true)
      .add("speed", DataTypes.DoubleType, false)
      .add("hint_propensity", DataTypes.DoubleType, false)
      .add("break_propensity", DataTypes.DoubleType, true)
      .add("join_day", DataTypes.DateType, false)
      .add("churn_day", DataTypes.DateType, true)
      .add("final_theta", DataTypes.DoubleType, false)
      .add("sessions", DataTypes.IntegerType, false)
      .add("answers", DataTypes.IntegerType, false);

  public static final StructType SIM_STUDENT_DAYS_SCHEMA = new StructType()
      .add("user_id", DataTypes.LongType, false)
      .add("day", DataTypes.DateType, false)
      .add("theta", DataTypes.DoubleType, false)
      .add("active", DataTypes.BooleanType, false)
      .add("sessions", DataTypes.IntegerType, false)
      .add("answers", DataTypes.IntegerType, false)
      .add("p_session", DataTypes.DoubleType, false)
      .add("churn_hazard", DataTypes.DoubleType, false)
      .add("churned", DataTypes.BooleanType, false);

  public static final StructType GOALS_SCHEMA = new StructType()
      .add("user_id", DataTypes.LongType, false)
      .add("target_theta", DataTypes.DoubleType, false)
      .add("goal_date", DataTypes.DateType, false);

  /**
   * One row per injected effect (V18): {@code kind} {@value #LEAKED_ITEM} (item_id; detail: the
   * shift and first day), {@value #MISFIT_ITEM} (item_id; detail: the true curve),
   * {@value #RAPID_GUESSER} (user_id) and {@value #RAPID_GUESS} (user_id, result_id, seq, item_id:
   * one answer). Empty when every switch is off.
   */
  public static final StructType SIM_INJECTIONS_SCHEMA = new StructType()
      .add("kind", DataTypes.StringType, false)
      .add("user_id", DataTypes.LongType, true)
      .add("item_id", DataTypes.LongType, true)
      .add("result_id", DataTypes.LongType, true)
      .add("seq", DataTypes.IntegerType, true)
      .add("detail", DataTypes.StringType, true);

  /** exam_results as the API writes it (V1); {@code responses} is the JSON array as text. */
  public static final StructType EXAM_RESULTS_SCHEMA = new StructType()
      .add("id", DataTypes.LongType, false)
      .add("session_id", DataTypes.LongType, false)
      .add("user_id", DataTypes.LongType, false)
      .add("started_at", DataTypes.TimestampType, false)
      .add("finished_at", DataTypes.TimestampType, false)
      .add("responses", DataTypes.StringType, false);

  /** One row: the spec that produced the data, so a score can always name its truth. */
  public static final StructType SIM_SPEC_SCHEMA = new StructType()
      .add("mode", DataTypes.StringType, false)
      .add("seed", DataTypes.LongType, false)
      .add("students", DataTypes.IntegerType, false)
      .add("items", DataTypes.IntegerType, false)
      .add("topics", DataTypes.IntegerType, false)
      .add("start_day", DataTypes.DateType, false)
      .add("days", DataTypes.IntegerType, false)
      .add("mean_sessions_per_active_day", DataTypes.DoubleType, false)
      .add("min_answers_per_session", DataTypes.IntegerType, false)
      .add("max_answers_per_session", DataTypes.IntegerType, false)
      .add("items_per_student", DataTypes.IntegerType, false);

  private SimTables() {}

  public static List<String> columns(StructType schema) {
    return Arrays.asList(schema.fieldNames());
  }
}
