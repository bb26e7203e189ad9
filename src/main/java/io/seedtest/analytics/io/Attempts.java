package io.seedtest.analytics.io;

import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Column names and Spark schema of one attempt (one item response), as the {@code attempt} view
 * exposes it (docs/data-contract.md). Every {@link AttemptSource} returns exactly this schema;
 * values may be null or out of range: validation and quarantine happen after reading.
 */
public final class Attempts {
  public static final String RESULT_ID = "result_id";
  public static final String SESSION_ID = "session_id";
  public static final String USER_ID = "user_id";
  public static final String SEQ = "seq";
  public static final String ITEM_ID = "item_id";
  public static final String TOPIC = "topic";
  public static final String CORRECT = "correct";
  public static final String RESPONSE_TIME_MS = "response_time_ms";
  public static final String HINTS_USED = "hints_used";
  public static final String ANSWERED_AT = "answered_at";
  public static final String FINISHED_AT = "finished_at";
  /**
   * Not part of {@link #SCHEMA}: the {@code attempt} view's "field: rule" for a value it could not
   * read (docs/data-contract.md). {@link #conform} carries it, null when the source has none.
   */
  public static final String PROBLEM = "problem";

  public static final StructType SCHEMA = new StructType()
      .add(RESULT_ID, DataTypes.LongType, true)
      .add(SESSION_ID, DataTypes.LongType, true)
      .add(USER_ID, DataTypes.LongType, true)
      .add(SEQ, DataTypes.IntegerType, true)
      .add(ITEM_ID, DataTypes.LongType, true)
      .add(TOPIC, DataTypes.StringType, true)
      .add(CORRECT, DataTypes.BooleanType, true)
      .add(RESPONSE_TIME_MS, DataTypes.DoubleType, true)
      .add(HINTS_USED, DataTypes.IntegerType, true)
      .add(ANSWERED_AT, DataTypes.TimestampType, true)
      .add(FINISHED_AT, DataTypes.TimestampType, true);

  private Attempts() {}

  /**
   * Selects and casts exactly the contract's columns, in order, then {@link #PROBLEM} (null when the
   * source has no such column, as the lake's typed table); other source columns are dropped.
   */
  public static Dataset<Row> conform(Dataset<Row> rows) {
    Column[] cols = Arrays.copyOf(Arrays.stream(SCHEMA.fields())
        .map(f -> functions.col(f.name()).cast(f.dataType()).as(f.name())).toArray(Column[]::new), SCHEMA.size() + 1);
    cols[SCHEMA.size()] = problem(rows).as(PROBLEM);
    return rows.select(cols);
  }

  /** The rows' {@link #PROBLEM} column, or a null string when they have none. */
  public static Column problem(Dataset<Row> rows) {
    return Arrays.asList(rows.columns()).contains(PROBLEM)
        ? functions.col(PROBLEM).cast(DataTypes.StringType) : functions.lit(null).cast(DataTypes.StringType);
  }
}
