package io.seedtest.analytics.features;

import static io.seedtest.analytics.testing.DatasetAssert.assertRows;
import static io.seedtest.analytics.testing.DatasetAssert.cols;
import static io.seedtest.analytics.testing.DatasetAssert.row;

import io.seedtest.analytics.testing.AttemptRows;
import io.seedtest.analytics.testing.SparkTestSession;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("spark")
class FeaturesTopicDailyTest {

  @Test
  void aggregatesPerUserTopicDayWithExactMedians() {
    Dataset<Row> attempts = new AttemptRows()
        // user 1 algebra on the 20th: odd count, median is the middle value 3000
        .add(1, 10, 100, "algebra", true, 1000.0, 0, "2026-11-20T09:00:00Z")
        .add(1, 10, 101, "algebra", false, 5000.0, 2, "2026-11-20T09:01:00Z")
        .add(1, 10, 102, "algebra", true, 3000.0, 1, "2026-11-20T09:02:00Z")
        // user 1 geometry on the 20th: even count, median averages 2000 and 4000
        .add(1, 10, 200, "geometry", true, 4000.0, 0, "2026-11-20T09:03:00Z")
        .add(1, 10, 201, "geometry", true, 2000.0, 0, "2026-11-20T09:04:00Z")
        .add(1, 10, 202, "geometry", false, 8000.0, 3, "2026-11-20T09:05:00Z")
        .add(1, 10, 203, "geometry", false, 1000.0, 0, "2026-11-20T09:06:00Z")
        // user 2 on another day, a single answer
        .add(2, 11, 100, "algebra", false, 700.0, 0, "2026-11-21T23:59:59Z")
        .toDataset();

    Dataset<Row> out = FeaturesTopicDaily.aggregate(attempts, Granularity.DAY);

    assertRows("daily aggregates", out,
        cols("user_id", "topic", "cast(day as string)", "attempts", "correct", "acc", "rt_median", "hints", "granularity"),
        row(1L, "algebra", "2026-11-20", 3, 2, 2.0 / 3, 3000.0, 3, "day"),
        row(1L, "geometry", "2026-11-20", 4, 2, 0.5, 3000.0, 3, "day"),
        row(2L, "algebra", "2026-11-21", 1, 0, 0.0, 700.0, 0, "day"));
  }

  /**
   * Thresholds: item 100 at 1500 ms, item 101 at 2500 ms, item 102 none. User 1 on the 20th:
   * 100 in 1000 ms (rapid), 101 in 2000 (rapid), 101 in 2500 (not: equal is not below), 102 in
   * 10 ms (no threshold: not rapid) → 2 of 4 = 0.5. User 2: 100 in 1499 → 1 of 1. Unmarked input: 0.
   */
  @Test
  void rapidGuessShareIsTheShareOfAnswersBelowTheirItemsThreshold() {
    Dataset<Row> attempts = new AttemptRows()
        .add(1, 10, 100, "algebra", true, 1000.0, 0, "2026-11-20T09:00:00Z")
        .add(1, 10, 101, "algebra", false, 2000.0, 0, "2026-11-20T09:01:00Z")
        .add(1, 11, 101, "algebra", true, 2500.0, 0, "2026-11-20T10:01:00Z")
        .add(1, 11, 102, "algebra", true, 10.0, 0, "2026-11-20T10:02:00Z")
        .add(2, 12, 100, "algebra", false, 1499.0, 0, "2026-11-20T11:00:00Z")
        .toDataset();
    StructType schema = new StructType().add("item_id", DataTypes.LongType)
        .add("rapid_guess_ms", DataTypes.DoubleType);
    Dataset<Row> thresholds = SparkTestSession.get().createDataFrame(List.of(
        RowFactory.create(100L, 1500.0), RowFactory.create(101L, 2500.0)), schema);

    Dataset<Row> marked = FeaturesTopicDaily.markRapidGuesses(attempts, thresholds);

    assertRows("rapid guess share", FeaturesTopicDaily.aggregate(marked, Granularity.DAY),
        cols("user_id", "attempts", "rapid_guess_share"), row(1L, 4, 0.5), row(2L, 1, 1.0));
    assertRows("no thresholds", FeaturesTopicDaily.aggregate(
            FeaturesTopicDaily.markRapidGuesses(attempts, null), Granularity.DAY),
        cols("user_id", "rapid_guess_share"), row(1L, 0.0), row(2L, 0.0));
    assertRows("unmarked", FeaturesTopicDaily.aggregate(attempts, Granularity.DAY),
        cols("user_id", "rapid_guess_share"), row(1L, 0.0), row(2L, 0.0));
  }

  @Test
  void hourlyGranularitySplitsTheDay() {
    Dataset<Row> attempts = new AttemptRows()
        .add(1, 10, 100, "algebra", true, 1000.0, 0, "2026-11-20T09:10:00Z")
        .add(1, 10, 101, "algebra", false, 2000.0, 0, "2026-11-20T09:50:00Z")
        .add(1, 11, 102, "algebra", true, 3000.0, 1, "2026-11-20T10:05:00Z")
        .toDataset();

    Dataset<Row> out = FeaturesTopicDaily.aggregate(attempts, Granularity.HOUR);

    assertRows("hourly aggregates", out,
        cols("cast(period_start as string)", "attempts", "correct", "rt_median", "hints", "granularity"),
        row("2026-11-20 09:00:00", 2, 1, 1500.0, 0, "hour"),
        row("2026-11-20 10:00:00", 1, 1, 3000.0, 1, "hour"));
  }

  @Test
  void improvementComparesWithThePreviousSevenDaysAndSkipsGaps() {
    AttemptRows a = new AttemptRows();
    // day 1: 1/2 correct; day 3 (day 2 without activity): 2/2; day 12 (gap > 7 days): 0/1
    a.add(1, 1, 100, "algebra", true, 1000.0, 0, "2026-11-01T10:00:00Z")
        .add(1, 1, 101, "algebra", false, 1000.0, 0, "2026-11-01T10:01:00Z")
        .add(1, 2, 102, "algebra", true, 1000.0, 0, "2026-11-03T10:00:00Z")
        .add(1, 2, 103, "algebra", true, 1000.0, 0, "2026-11-03T10:01:00Z")
        .add(1, 3, 104, "algebra", false, 1000.0, 0, "2026-11-12T10:00:00Z")
        // another topic never mixes with algebra
        .add(1, 3, 200, "geometry", true, 1000.0, 0, "2026-11-12T10:02:00Z");

    Dataset<Row> out = FeaturesTopicDaily.withImprovement(
        FeaturesTopicDaily.aggregate(a.toDataset(), Granularity.DAY));

    assertRows("improvement", out, cols("topic", "cast(day as string)", "acc", "improvement"),
        row("algebra", "2026-11-01", 0.5, null),
        row("algebra", "2026-11-03", 1.0, 0.5),
        row("algebra", "2026-11-12", 0.0, null),
        row("geometry", "2026-11-12", 1.0, null));
  }

  @Test
  void thetaIsTheLatestEstimateAsOfThePeriodEndOrNull() {
    Dataset<Row> periods = FeaturesTopicDaily.aggregate(new AttemptRows()
        .add(1, 1, 100, "algebra", true, 1000.0, 0, "2026-11-20T10:00:00Z")
        .add(1, 1, 200, "geometry", true, 1000.0, 0, "2026-11-20T10:01:00Z")
        .add(2, 2, 100, "algebra", true, 1000.0, 0, "2026-11-20T10:00:00Z")
        .toDataset(), Granularity.DAY);
    StructType schema = new StructType().add("user_id", DataTypes.LongType).add("as_of", DataTypes.TimestampType)
        .add("theta", DataTypes.DoubleType).add("theta_se", DataTypes.DoubleType);
    Dataset<Row> history = SparkTestSession.get().createDataFrame(List.of(
        RowFactory.create(1L, ts("2026-11-10T00:00:00Z"), -0.5, 0.4),
        RowFactory.create(1L, ts("2026-11-20T18:00:00Z"), 0.25, 0.3),
        RowFactory.create(1L, ts("2026-11-21T00:00:00Z"), 9.0, 9.0)), schema); // after the day: ignored

    Dataset<Row> out = FeaturesTopicDaily.withTheta(periods, history, Granularity.DAY);

    assertRows("theta as of day end", out, cols("user_id", "topic", "theta_mean", "theta_sd"),
        row(1L, "algebra", 0.25, 0.3),
        row(1L, "geometry", 0.25, 0.3),
        row(2L, "algebra", null, null));
    assertRows("no history at all", FeaturesTopicDaily.withTheta(periods, null, Granularity.DAY),
        cols("user_id", "topic", "theta_mean"), row(1L, "algebra", null), row(1L, "geometry", null),
        row(2L, "algebra", null));
  }

  private static Timestamp ts(String s) {
    return Timestamp.from(Instant.parse(s));
  }
}
