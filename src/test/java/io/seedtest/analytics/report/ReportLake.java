package io.seedtest.analytics.report;

import io.seedtest.analytics.calibration.IrtTables;
import io.seedtest.analytics.features.FeaturesTopicDaily;
import io.seedtest.analytics.io.Attempts;
import io.seedtest.analytics.io.Lake;
import io.seedtest.analytics.kpi.KpiTables;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A small hand-made lake for one report week ({@link ReportFixtures#DAY}): weekly_kpi, ability
 * history, features by topic, calibrated items and the answers of the last 4 weeks.
 *
 * <ul>
 *   <li>students 1..{@link #STUDENTS}: calibrated θ = 0, 12 weeks of θ and P, a goal; they answered
 *       items {@link #RECENT_FROM}..{@link #RECENT_TO} (in the band, informative) in the last 4 weeks,
 *       and their weakest topic is {@link ReportFixtures#MARKUP}.
 *   <li>student {@link #NEWCOMER}: one week of data, no θ, no goal, no history.
 * </ul>
 * Items 1..60 over four topics, b from −2 to 2; items 51..60 are not calibrated.
 */
final class ReportLake {
  static final int STUDENTS = 5;
  static final long NEWCOMER = 99;
  static final LocalDate DAY = ReportFixtures.DAY;
  static final List<String> TOPICS = List.of("algebra", ReportFixtures.MARKUP, ReportFixtures.EMOJI,
      ReportFixtures.LONG);
  static final long RECENT_FROM = 20;
  static final long RECENT_TO = 24;
  static final int ITEMS = 60;
  static final int CALIBRATED = 50;

  private ReportLake() {}

  static Lake write(SparkSession spark, Path root) {
    Lake lake = new Lake(root);
    lake.overwrite(spark.createDataFrame(kpis(), KPI), KpiTables.WEEKLY_KPI);
    lake.overwrite(spark.createDataFrame(history(), HISTORY), IrtTables.ABILITY_HISTORY);
    lake.overwrite(spark.createDataFrame(features(), FEATURES), FeaturesTopicDaily.TABLE);
    lake.overwrite(spark.createDataFrame(items(), ITEM_PARAMS), IrtTables.ITEM_PARAMS);
    lake.overwrite(spark.createDataFrame(bank(), BANK), Lake.ITEM_BANK);
    lake.overwrite(spark.createDataFrame(attempts(), Attempts.SCHEMA), Lake.ATTEMPTS);
    return lake;
  }

  static final StructType KPI = new StructType()
      .add("user_id", DataTypes.LongType).add("week_ending", DataTypes.DateType)
      .add("a_t", DataTypes.DoubleType).add("a_prev", DataTypes.DoubleType).add("e_t", DataTypes.DoubleType)
      .add("r_t", DataTypes.DoubleType).add("i_t", DataTypes.DoubleType).add("i_source", DataTypes.StringType)
      .add("p_goal", DataTypes.DoubleType).add("s_churn", DataTypes.DoubleType)
      .add("target_theta", DataTypes.DoubleType).add("target_source", DataTypes.StringType)
      .add("goal_date", DataTypes.DateType).add("theta", DataTypes.DoubleType).add("theta_se", DataTypes.DoubleType)
      .add("theta_source", DataTypes.StringType).add("attempts_7d", DataTypes.IntegerType)
      .add("attempts_prev_7d", DataTypes.IntegerType);

  static final StructType HISTORY = new StructType()
      .add("user_id", DataTypes.LongType).add("as_of", DataTypes.TimestampType).add("source", DataTypes.StringType)
      .add("theta", DataTypes.DoubleType).add("theta_se", DataTypes.DoubleType);

  static final StructType FEATURES = new StructType()
      .add("user_id", DataTypes.LongType).add("topic", DataTypes.StringType).add("granularity", DataTypes.StringType)
      .add("day", DataTypes.DateType).add("attempts", DataTypes.IntegerType).add("correct", DataTypes.IntegerType);

  static final StructType ITEM_PARAMS = new StructType()
      .add("item_id", DataTypes.LongType).add("a", DataTypes.DoubleType).add("b", DataTypes.DoubleType)
      .add("c", DataTypes.DoubleType).add("se_a", DataTypes.DoubleType).add("se_b", DataTypes.DoubleType)
      .add("se_c", DataTypes.DoubleType).add("calibrated", DataTypes.BooleanType);

  static final StructType BANK = new StructType()
      .add("item_id", DataTypes.LongType).add("topic", DataTypes.StringType);

  private static List<Row> kpis() {
    List<Row> rows = new ArrayList<>();
    for (long u = 1; u <= STUDENTS; u++) {
      for (int k = 0; k < 12; k++) {
        LocalDate d = DAY.minusDays(7L * k);
        rows.add(RowFactory.create(u, Date.valueOf(d), 0.6, 0.55, 0.5, k == 0 ? 0.9 : null, 0.05, "theta",
            0.3 + 0.02 * (12 - k), 0.1, 0.8, "goal", Date.valueOf(LocalDate.of(2027, 3, 1)), 0.0, 0.3, "calibrated",
            20, 15));
      }
    }
    rows.add(RowFactory.create(NEWCOMER, Date.valueOf(DAY), 0.5, null, 0.14, null, null, null, 0.2, 0.3, 0.0,
        "default", null, null, null, "accuracy", 4, 0));
    return rows;
  }

  private static List<Row> history() {
    List<Row> rows = new ArrayList<>();
    for (long u = 1; u <= STUDENTS; u++) {
      for (int k = 0; k < 12; k++) {
        Timestamp t = Timestamp.from(DAY.minusDays(7L * k).atTime(20, 0).toInstant(ZoneOffset.UTC));
        rows.add(RowFactory.create(u, t, "calibration", -0.03 * k, 0.3 + 0.01 * k));
      }
      // a later session update the same day: the day's last estimate wins
      rows.add(RowFactory.create(u, Timestamp.from(DAY.atTime(22, 0).toInstant(ZoneOffset.UTC)), "session", 0.0, 0.3));
    }
    return rows;
  }

  private static List<Row> features() {
    List<Row> rows = new ArrayList<>();
    for (long u = 1; u <= STUDENTS; u++) {
      for (int i = 0; i < TOPICS.size(); i++) {
        for (int back : new int[] {1, 9, 20}) {
          int correct = i == 1 ? 1 : 4; // the markup topic is the weakest
          rows.add(RowFactory.create(u, TOPICS.get(i), "day", Date.valueOf(DAY.minusDays(back)), 5, correct));
        }
      }
    }
    rows.add(RowFactory.create(NEWCOMER, "algebra", "day", Date.valueOf(DAY), 4, 2));
    return rows;
  }

  private static List<Row> items() {
    List<Row> rows = new ArrayList<>();
    for (int j = 1; j <= ITEMS; j++) {
      boolean calibrated = j <= CALIBRATED;
      // uncalibrated items sit right where a θ = 0 student would want them: they must still never be chosen
      rows.add(RowFactory.create((long) j, 1.2, calibrated ? -2 + 4.0 * (j - 1) / (CALIBRATED - 1) : -1.0, 0.2,
          null, null, null, calibrated));
    }
    return rows;
  }

  static String topicOf(long item) {
    return TOPICS.get((int) (item % TOPICS.size()));
  }

  private static List<Row> bank() {
    List<Row> rows = new ArrayList<>();
    for (long j = 1; j <= ITEMS; j++) {
      rows.add(RowFactory.create(j, topicOf(j)));
    }
    return rows;
  }

  private static List<Row> attempts() {
    List<Row> rows = new ArrayList<>();
    long id = 1;
    for (long u = 1; u <= STUDENTS; u++) {
      for (long j = RECENT_FROM; j <= RECENT_TO; j++) {
        Timestamp t = Timestamp.from(DAY.minusDays(3).atTime(10, 0).toInstant(ZoneOffset.UTC));
        rows.add(RowFactory.create(id, id, u, 1, j, topicOf(j), true, 30_000.0, 0, t, t));
        id++;
      }
    }
    return rows;
  }
}
