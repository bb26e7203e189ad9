package io.seedtest.analytics.io;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The quarantine table: one row per input row that broke the contract, with the reason and the
 * row itself as JSON. Written with the run's results, in the same transaction.
 */
public final class Quarantine {
  public static final String TABLE = "quarantine";
  public static final StructType SCHEMA = new StructType()
      .add("run_id", DataTypes.StringType, false)
      .add("job", DataTypes.StringType, false)
      .add("reason", DataTypes.StringType, false)
      .add("source_key", DataTypes.StringType, false)
      .add("payload", DataTypes.StringType, true)
      .add("quarantined_at", DataTypes.TimestampType, false);

  public static final UpsertSpec SPEC = new UpsertSpec(TABLE, List.of("run_id", "source_key", "reason"),
      List.of("job", "payload", "quarantined_at"), List.of(), null, null);

  private Quarantine() {}
}
