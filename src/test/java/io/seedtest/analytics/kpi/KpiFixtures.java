package io.seedtest.analytics.kpi;

import io.seedtest.analytics.attempts.AttemptValidation;
import io.seedtest.analytics.io.Attempts;
import io.seedtest.analytics.testing.SparkTestSession;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Hand-made frames for the KPI tests: valid answers, ability history, goals. */
final class KpiFixtures {
  static final StructType ANSWERS = Attempts.SCHEMA.add(AttemptValidation.EVENT_DAY, DataTypes.DateType, true);
  static final StructType HISTORY = new StructType().add("user_id", DataTypes.LongType).add("as_of", DataTypes.TimestampType)
      .add("theta", DataTypes.DoubleType).add("theta_se", DataTypes.DoubleType).add("source", DataTypes.StringType);
  static final StructType GOALS = new StructType().add("user_id", DataTypes.LongType)
      .add("target_theta", DataTypes.DoubleType).add("goal_date", DataTypes.DateType);

  private final List<Row> rows = new ArrayList<>();
  private long resultId = 1;

  /**
   * One session of {@code user}: answers spaced a minute apart from {@code start}, every answer
   * with the same response time; {@code correct} as a string of 1/0.
   */
  KpiFixtures session(long user, long session, String start, String topic, String correct, double rtMs) {
    Instant t0 = Instant.parse(start);
    Instant finished = t0.plusSeconds(60L * correct.length() + 5);
    for (int i = 0; i < correct.length(); i++) {
      Instant at = t0.plusSeconds(60L * i);
      rows.add(RowFactory.create(resultId, session, user, i + 1, 1000L + i, topic, correct.charAt(i) == '1', rtMs, 0,
          Timestamp.from(at), Timestamp.from(finished), Date.valueOf(at.atZone(ZoneOffset.UTC).toLocalDate())));
    }
    resultId++;
    return this;
  }

  Dataset<Row> answers() {
    return SparkTestSession.get().createDataFrame(rows, ANSWERS);
  }

  KpiPipeline.Inputs inputs(Dataset<Row> history, Dataset<Row> goals) {
    Dataset<Row> a = answers();
    return new KpiPipeline.Inputs(ActivityDays.userDays(a), ActivityDays.topicDays(a), history, goals);
  }

  static Dataset<Row> history(Object[]... rows) {
    List<Row> out = new ArrayList<>();
    for (Object[] r : rows) {
      out.add(RowFactory.create(((Number) r[0]).longValue(), Timestamp.from(Instant.parse((String) r[1])),
          ((Number) r[2]).doubleValue(), ((Number) r[3]).doubleValue(), r.length > 4 ? r[4] : "calibration"));
    }
    return SparkTestSession.get().createDataFrame(out, HISTORY);
  }

  static Dataset<Row> goals(Object[]... rows) {
    List<Row> out = new ArrayList<>();
    for (Object[] r : rows) {
      out.add(RowFactory.create(((Number) r[0]).longValue(), ((Number) r[1]).doubleValue(),
          Date.valueOf(LocalDate.parse((String) r[2]))));
    }
    return SparkTestSession.get().createDataFrame(out, GOALS);
  }

  static Instant endOf(String day) {
    return LocalDate.parse(day).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  static Object[] r(Object... v) {
    return v;
  }
}
