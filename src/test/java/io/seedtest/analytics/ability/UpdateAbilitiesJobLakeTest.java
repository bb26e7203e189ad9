package io.seedtest.analytics.ability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.seedtest.analytics.calibration.IrtTables;
import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.io.Output;
import io.seedtest.analytics.job.JobResult;
import io.seedtest.analytics.job.RunContext;
import io.seedtest.analytics.testing.AttemptRows;
import io.seedtest.analytics.testing.SparkTestSession;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Embedded mode's computation ({@link UpdateAbilitiesJob#replay}) on in-memory frames: from each
 * student's latest calibration θ, every session after it, in order; and the summary figures
 * against a simulator truth. The lake reads and the Delta MERGE around it are the foundation's
 * (tested there); leaving Delta out keeps this test quick.
 */
@Tag("spark")
@Tag("postgres")
class UpdateAbilitiesJobLakeTest {
  @TempDir
  Path dir;

  @Test
  void replaysTheSessionsAfterEachStudentsCalibrationTheta() {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> attempts = new AttemptRows()
        // student 7: one session inside the calibration window (not replayed), two after it
        .raw(1L, 10L, 7L, 1, 101L, "algebra", true, 1000.0, 0, "2026-11-17T09:00:00Z", "2026-11-17T09:10:00Z")
        .raw(2L, 11L, 7L, 1, 104L, "algebra", false, 1000.0, 0, "2026-11-19T08:50:00Z", "2026-11-19T09:00:00Z")
        .raw(2L, 11L, 7L, 2, 105L, "algebra", true, 1000.0, 0, "2026-11-19T08:55:00Z", "2026-11-19T09:00:00Z")
        .raw(3L, 12L, 7L, 1, 101L, "algebra", true, 1000.0, 0, "2026-11-20T09:50:00Z", "2026-11-20T10:00:00Z")
        .raw(3L, 12L, 7L, 2, 102L, "algebra", true, 1000.0, 0, "2026-11-20T09:55:00Z", "2026-11-20T10:00:00Z")
        // student 8: no calibration θ; one bad answer
        .raw(4L, 13L, 8L, 1, 106L, "algebra", false, 1000.0, 0, "2026-11-20T10:50:00Z", "2026-11-20T11:00:00Z")
        .raw(4L, 13L, 8L, 2, 107L, "algebra", true, -4.0, 0, "2026-11-20T10:55:00Z", "2026-11-20T11:00:00Z")
        .toDataset();
    List<Row> bank = new ArrayList<>();
    List<Row> params = new ArrayList<>();
    for (Map.Entry<Long, double[]> e : SessionDb.ITEMS.entrySet()) {
      bank.add(RowFactory.create(e.getKey(), "algebra"));
      double[] p = e.getValue();
      params.add(RowFactory.create(e.getKey(), p[0], p[1], p[2], SessionDb.CALIBRATION, true));
    }
    params.add(RowFactory.create(109L, null, null, null, SessionDb.CALIBRATION, false));
    StructType historySchema = new StructType().add("user_id", DataTypes.LongType).add("as_of", DataTypes.TimestampType)
        .add("source", DataTypes.StringType).add("theta", DataTypes.DoubleType).add("theta_se", DataTypes.DoubleType)
        .add("answers_used", DataTypes.IntegerType).add("calibration_id", DataTypes.StringType);
    Dataset<Row> history = spark.createDataFrame(List.of(
        RowFactory.create(7L, Timestamp.from(Instant.parse("2026-11-11T00:00:00Z")), "calibration", 0.0, 0.4, 20, "old"),
        RowFactory.create(7L, Timestamp.from(Instant.parse("2026-11-18T00:00:00Z")), "calibration", 0.2, 0.3, 40,
            SessionDb.CALIBRATION)), historySchema);

    UpdateAbilitiesJob job = new UpdateAbilitiesJob(UpdateAbilitiesOptions.defaults());
    RunContext ctx = new RunContext(UUID.randomUUID(), job.name(), null, false, false, "test",
        new Settings(Optional.empty(), dir, 30, 0.0, false, 2).withMaxQuarantineShare(1.0), spark, RunContext.NONE);
    JobResult result = job.replay(ctx, attempts,
        spark.createDataFrame(bank, new StructType().add("item_id", DataTypes.LongType).add("topic", DataTypes.StringType)),
        spark.createDataFrame(params, new StructType().add("item_id", DataTypes.LongType).add("a", DataTypes.DoubleType)
            .add("b", DataTypes.DoubleType).add("c", DataTypes.DoubleType).add("calibration_id", DataTypes.StringType)
            .add("calibrated", DataTypes.BooleanType)),
        history, Instant.parse("2026-11-21T00:00:00Z"));
    try {
      assertThat(result.quarantine().count()).isEqualTo(1);
      assertThat(result.outputs()).extracting(o -> o.spec().table())
          .containsExactly(SessionTables.UPDATES, IrtTables.ABILITY_HISTORY, IrtTables.ABILITY);
      Dataset<Row> sessions = output(result, SessionTables.UPDATES);
      Dataset<Row> sessionHistory = output(result, IrtTables.ABILITY_HISTORY);
      Dataset<Row> ability = output(result, IrtTables.ABILITY);

      List<SessionUpdate> chain = UpdateRule.standard().applyInOrder(new AbilityState(0.2, 0.3,
          Instant.parse("2026-11-18T00:00:00Z"), AbilityState.SOURCE_CALIBRATION, SessionDb.CALIBRATION, 40), List.of(
          new SessionAnswers(2, 11, 7, Instant.parse("2026-11-19T09:00:00Z"), new long[] {104, 105},
              new boolean[] {false, true}, 0),
          new SessionAnswers(3, 12, 7, Instant.parse("2026-11-20T10:00:00Z"), new long[] {101, 102},
              new boolean[] {true, true}, 0)), UpdateAbilitiesJobPostgresTest.params());
      List<Row> rows = sessions.orderBy("session_id").select("session_id", "outcome", "theta_after", "se_after",
          "invalid", "applied_by").collectAsList();
      assertThat(rows).extracting(r -> r.getLong(0)).as("session 10 is in the calibration's window")
          .containsExactly(11L, 12L, 13L);
      assertThat(rows.get(0).getDouble(2)).isCloseTo(chain.get(0).thetaAfter(), within(1e-12));
      assertThat(rows.get(1).getDouble(2)).isCloseTo(chain.get(1).thetaAfter(), within(1e-12));
      assertThat(rows.get(1).getDouble(3)).isCloseTo(chain.get(1).seAfter(), within(1e-12));
      assertThat(rows.get(2).getInt(4)).isEqualTo(1);
      assertThat(rows).extracting(r -> r.getString(5)).containsOnly("batch");
      Row seven = ability.where("user_id = 7").first();
      assertThat(seven.getDouble(seven.fieldIndex("theta"))).isCloseTo(chain.get(1).thetaAfter(), within(1e-12));
      assertThat(seven.getString(seven.fieldIndex("source"))).isEqualTo("session");
      assertThat(ability.count()).isEqualTo(2);
      assertThat(sessionHistory.count()).isEqualTo(3);

      // the figures a summary prints, against a (tiny) simulator truth
      Dataset<Row> truth = spark.createDataFrame(List.of(
              RowFactory.create(7L, java.sql.Date.valueOf("2026-11-19"), 0.5),
              RowFactory.create(7L, java.sql.Date.valueOf("2026-11-20"), 0.6)),
          new StructType().add("user_id", DataTypes.LongType).add("day", DataTypes.DateType)
              .add("theta", DataTypes.DoubleType));
      OnlineThetaSummary.Figures f = OnlineThetaSummary.compute(sessions, truth,
          history.unionByName(sessionHistory.select(historySchema.fieldNames()[0], java.util.Arrays.copyOfRange(
              historySchema.fieldNames(), 1, historySchema.fieldNames().length))));
      assertThat(f.sessions()).isEqualTo(3);
      assertThat(f.updated()).isEqualTo(3);
      assertThat(f.students()).isEqualTo(2);
      assertThat(f.compared()).as("student 7's two sessions after her calibration θ").isEqualTo(2);
      double e1 = chain.get(0).thetaAfter() - 0.5;
      double e2 = chain.get(1).thetaAfter() - 0.6;
      assertThat(f.rmseUpdated()).isCloseTo(Math.sqrt((e1 * e1 + e2 * e2) / 2), within(1e-9));
      assertThat(f.rmseCalibration()).isCloseTo(Math.sqrt((0.09 + 0.16) / 2), within(1e-9));
      assertThat(f.lines()).hasSize(2);
    } finally {
      result.release();
    }
  }

  private static Dataset<Row> output(JobResult r, String table) {
    return r.outputs().stream().filter(o -> o.spec().table().equals(table)).map(Output::rows).findFirst().orElseThrow();
  }
}
