package io.seedtest.analytics.kpi;

import static io.seedtest.analytics.kpi.KpiFixtures.r;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.seedtest.analytics.testing.SparkTestSession;
import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The building blocks with exact, hand-computed values. */
@Tag("spark")
class KpiPiecesTest {
  static final SparkSession SPARK = SparkTestSession.get();

  @Test
  void betaBinomialPriorByMethodOfMoments() {
    // four students, 20 answers each, 2 / 8 / 14 / 18 correct
    StructType schema = new StructType().add("as_of_day", DataTypes.DateType).add("n", DataTypes.IntegerType)
        .add("c", DataTypes.IntegerType);
    Date day = Date.valueOf("2026-11-20");
    Dataset<Row> students = SPARK.createDataFrame(List.of(RowFactory.create(day, 20, 2), RowFactory.create(day, 20, 8),
        RowFactory.create(day, 20, 14), RowFactory.create(day, 20, 18), RowFactory.create(day, 0, 0)), schema);
    Row prior = BetaBinomialPrior.estimate(students, "n", "c", "x").first();
    double p0 = 42.0 / 80;
    double s2 = (4 + 64 + 196 + 324) / 20.0 / 80 - p0 * p0;
    double tau2 = s2 - p0 * (1 - p0) * 4 / 80;
    double m = p0 * (1 - p0) / tau2 - 1;
    assertThat(m).isCloseTo(2.1405, within(1e-4));
    assertThat(prior.getDouble(1)).isCloseTo(p0, within(1e-12));
    assertThat(prior.getDouble(2)).isCloseTo(m, within(1e-9));
    double shrunk = students.where("c = 2")
        .select(BetaBinomialPrior.shrunk(org.apache.spark.sql.functions.col("n"), org.apache.spark.sql.functions.col("c"),
            org.apache.spark.sql.functions.lit(p0), org.apache.spark.sql.functions.lit(m)))
        .first().getDouble(0);
    assertThat(shrunk).isCloseTo((2 + m * p0) / (20 + m), within(1e-12)).isCloseTo(0.14109, within(1e-5));
  }

  @Test
  void trendPriorSeparatesNoiseFromSpread() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      rows.add(RowFactory.create((long) i, i % 2 == 0 ? 0.01 : 0.03, 0.01));
    }
    Dataset<Row> slopes = SPARK.createDataFrame(rows, new StructType().add("user_id", DataTypes.LongType)
        .add("trend", DataTypes.DoubleType).add("trend_se", DataTypes.DoubleType));
    TrendPrior p = TrendPrior.estimate(slopes);
    // Q = 40 (each slope 1 SE from 0.02), k − 1 = 39: τ² = 1 / (400000 − 10000)
    assertThat(p.mean()).isCloseTo(0.02, within(1e-12));
    assertThat(p.sd()).isCloseTo(Math.sqrt(1.0 / 390_000), within(1e-12));
    assertThat(TrendPrior.estimate(slopes.limit(10))).isEqualTo(new TrendPrior(0.0, TrendPrior.DEFAULT_SD, 10));
  }

  @Test
  void abilityStateAsOfTheCutoff() {
    Dataset<Row> history = KpiFixtures.history(
        r(1, "2026-11-01T12:00:00Z", 0.1, 0.5), r(1, "2026-11-13T23:00:00Z", 0.2, 0.4),
        r(1, "2026-11-20T10:00:00Z", 0.5, 0.3, "calibration"), r(1, "2026-11-20T10:00:00Z", 0.6, 0.3, "session"),
        r(1, "2026-11-21T01:00:00Z", 9.0, 0.3), r(2, "2026-11-20T08:00:00Z", 1.0, 0.2));
    Dataset<Row> keys = SPARK.createDataFrame(List.of(RowFactory.create(1L, Date.valueOf("2026-11-20")),
            RowFactory.create(2L, Date.valueOf("2026-11-20")), RowFactory.create(3L, Date.valueOf("2026-11-20"))),
        new StructType().add("user_id", DataTypes.LongType).add("as_of_day", DataTypes.DateType))
        .withColumn("_cutoff", org.apache.spark.sql.functions.lit(java.sql.Timestamp.from(KpiFixtures.endOf("2026-11-20"))));
    List<Row> out = AbilityTrend.asOf(history, keys, 30).orderBy("user_id").collectAsList();
    Row one = out.get(0);
    assertThat(one.<Double>getAs("theta")).as("the latest before the cutoff; 'session' wins a tie").isEqualTo(0.6);
    assertThat(one.<Double>getAs("theta_prev")).as("the latest before the end of t − 7").isEqualTo(0.2);
    assertThat(one.<Integer>getAs("trend_points")).as("one point per day").isEqualTo(3);
    Row two = out.get(1);
    assertThat(two.<Double>getAs("theta")).isEqualTo(1.0);
    assertThat(two.<Object>getAs("theta_prev")).isNull();
    assertThat(two.<Object>getAs("trend")).as("one estimate: no slope").isNull();
    Row three = out.get(2);
    assertThat(three.<Object>getAs("theta")).isNull();
    assertThat(three.<Integer>getAs("trend_points")).isZero();
  }

  @Test
  void inactivityEvents() {
    KpiFixtures f = new KpiFixtures()
        .session(1, 11, "2026-11-12T10:00:00Z", "algebra", "1", 1000)      // crosses 7 days on 11-19 10:01
        .session(2, 21, "2026-11-01T09:00:00Z", "algebra", "1", 1000)
        .session(2, 22, "2026-11-20T08:00:00Z", "algebra", "1", 1000)      // back after 19 days
        .session(3, 31, "2026-11-18T08:00:00Z", "algebra", "1", 1000)      // active: nothing
        .session(4, 41, "2026-11-10T12:00:00Z", "algebra", "1", 1000)      // crossed on 11-17: too old
        .session(5, 51, "2026-11-13T23:30:00Z", "algebra", "1", 1000);     // crosses after the cutoff
    Instant cutoff = Instant.parse("2026-11-20T23:00:00Z");
    List<Row> events = InactivityEvents.detect(f.answers(), Instant.parse("2026-11-19T00:00:00Z"), cutoff)
        .orderBy("user_id").collectAsList();
    assertThat(events).hasSize(2);
    Row crossed = events.get(0);
    assertThat(crossed.getLong(0)).isEqualTo(1L);
    assertThat(crossed.getString(1)).isEqualTo(InactivityEvents.INACTIVE_7D);
    assertThat(crossed.getDate(2).toLocalDate()).isEqualTo(LocalDate.parse("2026-11-19"));
    assertThat(crossed.getTimestamp(3).toInstant()).isEqualTo(Instant.parse("2026-11-19T10:00:00Z"));
    assertThat(crossed.getDouble(5)).isEqualTo(7.0);
    Row back = events.get(1);
    assertThat(back.getLong(0)).isEqualTo(2L);
    assertThat(back.getString(1)).isEqualTo(InactivityEvents.RETURNED);
    assertThat(back.getDate(2).toLocalDate()).isEqualTo(LocalDate.parse("2026-11-20"));
    assertThat(back.getDouble(5)).isCloseTo(18 + 23.0 / 24, within(1e-9));
    // an hour later the fifth student has crossed too
    Dataset<Row> later = InactivityEvents.detect(f.answers(), Instant.parse("2026-11-20T00:00:00Z"),
        Instant.parse("2026-11-21T00:30:00Z"));
    assertThat(later.where("user_id = 5").count()).isEqualTo(1);
    // what is recorded already is not new
    assertThat(InactivityEvents.newEvents(later, later.where("user_id <> 5")).collectAsList())
        .extracting(x -> x.getLong(0)).containsExactly(5L);
  }

  @Test
  void binaryMetrics() {
    Dataset<Row> d = SPARK.createDataFrame(List.of(RowFactory.create(0.1, 0.0), RowFactory.create(0.4, 0.0),
        RowFactory.create(0.35, 1.0), RowFactory.create(0.8, 1.0)),
        new StructType().add("p", DataTypes.DoubleType).add("y", DataTypes.DoubleType));
    BinaryMetrics.Metrics m = BinaryMetrics.of(d, "p", "y");
    assertThat(m.auc()).isCloseTo(0.75, within(1e-12));
    assertThat(m.brier()).isCloseTo((0.01 + 0.16 + 0.4225 + 0.04) / 4, within(1e-12));
    assertThat(m.ece()).isCloseTo((0.1 + 0.4 + 0.65 + 0.2) / 4, within(1e-12));
    assertThat(BinaryMetrics.of(d.where("y = 1"), "p", "y").auc()).as("one class: no AUC").isNull();
  }

  @Test
  void aStoredModelScoresExactlyLikeTheTrainedOne() {
    double[] coef = new double[ChurnFeatures.FEATURES.size()];
    for (int i = 0; i < coef.length; i++) {
      coef[i] = 0.1 * (i + 1) * (i % 2 == 0 ? 1 : -1);
    }
    ChurnModel lr = new ChurnModel("churn-2026-11-21-lr", LocalDate.parse("2026-11-21"), Instant.parse("2026-11-21T02:30:00Z"),
        LocalDate.parse("2026-11-20"), ChurnModel.LOGISTIC, false, null,
        List.of(LocalDate.parse("2026-11-06"), LocalDate.parse("2026-10-30")), LocalDate.parse("2026-11-13"), 5000, 1200,
        0.4, 0.41, new BinaryMetrics.Metrics(1200, 0.41, 0.88, 0.13, 0.02), ChurnFeatures.FEATURES, coef, -0.7,
        "{\"reg_param\":1.0E-4}", new ChurnEvaluation(0.88, 0.85, 0.14, 0.02, 0.80, 0.005));
    Dataset<Row> stored = SPARK.createDataFrame(List.of(lr.toRow("00000000-0000-0000-0000-000000000001")),
        KpiTables.CHURN_MODELS_SCHEMA);
    ChurnModel back = ChurnModel.fromRow(stored.first());
    assertThat(back.coefficients()).containsExactly(coef);
    assertThat(back.intercept()).isEqualTo(-0.7);
    assertThat(back.trainWeeks()).isEqualTo(lr.trainWeeks());
    assertThat(back.metrics().auc()).isEqualTo(0.88);
    assertThat(back.evaluation()).isEqualTo(lr.evaluation());
    assertThat(back.evaluation().candidateWins()).isTrue();

    List<Object> values = new ArrayList<>();
    StructType schema = new StructType();
    double z = -0.7;
    for (int i = 0; i < coef.length; i++) {
      schema = schema.add(ChurnFeatures.FEATURES.get(i), DataTypes.DoubleType);
      double v = 0.05 * i;
      values.add(v);
      z += coef[i] * v;
    }
    Dataset<Row> one = SPARK.createDataFrame(List.of(RowFactory.create(values.toArray())), schema);
    assertThat(one.select(back.score()).first().getDouble(0)).isCloseTo(1 / (1 + Math.exp(-z)), within(1e-12));

    double[] rates = {0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.7, 0.9};
    ChurnModel buckets = new ChurnModel("churn-2026-11-21-buckets", LocalDate.parse("2026-11-21"), Instant.now(),
        LocalDate.parse("2026-11-20"), ChurnModel.BUCKETS, true, "few rows", List.of(), null, 10, 0, 0.5, null, null,
        List.of("recency_days"), rates, 0.0, "{}", null);
    ChurnModel bucketsBack = ChurnModel.fromRow(SPARK.createDataFrame(List.of(buckets.toRow("00000000-0000-0000-0000-000000000002")),
        KpiTables.CHURN_MODELS_SCHEMA).first());
    Dataset<Row> rec = SPARK.createDataFrame(List.of(RowFactory.create(0), RowFactory.create(4), RowFactory.create(7),
        RowFactory.create(30)), new StructType().add("recency_days", DataTypes.IntegerType));
    assertThat(rec.select(bucketsBack.score()).collectAsList().stream().map(x -> x.getDouble(0)).toList())
        .containsExactly(0.1, 0.4, 0.5, 0.9);
  }

  @Test
  void theGateServesTheBaselineUnlessTheCandidateBeatsItByTheMargin() {
    ChurnEvaluation close = new ChurnEvaluation(0.853, 0.85, 0.14, 0.02, 0.86, 0.005);
    assertThat(close.baselineAuc()).isEqualTo(0.86);
    assertThat(close.candidateWins()).isFalse();
    assertThat(close.rejection()).contains("0.8530").contains("0.8600 (activity rate)").contains("0.005");
    assertThat(new ChurnEvaluation(0.866, 0.85, 0.14, 0.02, 0.86, 0.005).candidateWins()).isTrue();
    assertThat(new ChurnEvaluation(null, 0.85, 0.14, 0.02, 0.86, 0.005).candidateWins()).isFalse();
  }

  @Test
  void trainingFallsBackToRecencyBucketsOnLittleHistory() {
    LocalDate serves = LocalDate.parse("2026-11-21");
    List<LocalDate> weeks = ChurnTraining.weeksFor(serves);
    assertThat(weeks.get(0)).isEqualTo(LocalDate.parse("2026-11-13"));
    assertThat(weeks).hasSize(ChurnTraining.TRAIN_WEEKS + 1);
    StructType schema = new StructType().add("as_of_day", DataTypes.DateType).add("recency_days", DataTypes.IntegerType)
        .add("label", DataTypes.DoubleType).add(ChurnFeatures.ACTIVITY_RATE, DataTypes.DoubleType);
    for (String f : ChurnFeatures.FEATURES) {
      schema = schema.add(f, DataTypes.DoubleType);
    }
    List<Row> rows = new ArrayList<>();
    for (int w = 0; w < 3; w++) {
      for (int i = 0; i < 20; i++) {
        Object[] v = new Object[4 + ChurnFeatures.FEATURES.size()];
        v[0] = Date.valueOf(weeks.get(w));
        v[1] = i % 10;
        v[2] = i % 10 >= 5 ? 1.0 : 0.0;
        for (int k = 3; k < v.length; k++) {
          v[k] = 0.0;
        }
        rows.add(RowFactory.create(v));
      }
    }
    Dataset<Row> labelled = SPARK.createDataFrame(rows, schema);
    ChurnModel m = ChurnTraining.train(labelled, serves, Instant.now());
    assertThat(m.fallback()).isTrue();
    assertThat(m.algorithm()).isEqualTo(ChurnModel.BUCKETS);
    assertThat(m.fallbackReason()).contains("training rows");
    assertThat(m.testWeek()).isEqualTo(weeks.get(0));
    assertThat(m.nTrain()).isEqualTo(40);
    assertThat(m.nTest()).isEqualTo(20);
    assertThat(m.metrics().auc()).as("recency nearly separates this toy outcome (4 and 5 share a bucket)")
        .isCloseTo(0.98, within(1e-9));
    // recency 0: 0 of 4 inactive, smoothed with 10 pseudo-rows at the overall rate 0.5
    assertThat(m.coefficients()[0]).isCloseTo((0 + 10 * 0.5) / (4 + 10), within(1e-12));

    ChurnModel single = ChurnTraining.train(labelled.where("as_of_day = DATE'2026-11-13'"), serves, Instant.now());
    assertThat(single.fallbackReason()).contains("only one labelled week");
    assertThat(single.testWeek()).isNull();
    assertThat(single.metrics()).isNull();
    assertThat(ChurnTraining.train(labelled.limit(0), serves, Instant.now())).isNull();
  }
  @Test
  void herRhythmAsProbabilitiesRecentAccuracyAndTheGoalWeek() {
    // student 1: active 11-01 (1 of 2 right), 11-05 (1 of 1), 11-11 (2 of 2); goal 11-30
    // student 2: active 11-13 only (0 of 1), no goal; both seen as of 11-13
    KpiFixtures f = new KpiFixtures().session(1, 1, "2026-11-01T10:00:00Z", "t", "10", 20_000)
        .session(1, 2, "2026-11-05T10:00:00Z", "t", "1", 20_000).session(1, 3, "2026-11-11T10:00:00Z", "t", "11", 20_000)
        .session(2, 4, "2026-11-13T10:00:00Z", "t", "0", 20_000);
    KpiPipeline.Inputs in = f.inputs(null, KpiFixtures.goals(r(1, 1.0, "2026-11-30")));
    List<Row> out = KpiPipeline.churnTrainingRows(SPARK, in, List.of(LocalDate.parse("2026-11-13")), 30)
        .orderBy("user_id").collectAsList();
    Row one = out.get(0);
    assertThat(one.<Integer>getAs("recency_days")).isEqualTo(2);
    // a day's answers as one block: 0.65·0.9² + (1 − 0.9²)·½, then ·0.9 + 0.1·1, then ·0.9² + (1 − 0.9²)·1
    double acc = ((0.65 * 0.81 + 0.19 * 0.5) * 0.9 + 0.1) * 0.81 + 0.19;
    assertThat(one.<Double>getAs("f_recent_accuracy")).isCloseTo(acc, within(1e-12));
    // Beta(1.2 + 2, 2.8 + 8 quiet days between her first and last active day), 2 days of silence
    double a = 3.2;
    double b = 10.8;
    double lnSilence = Math.log(b / (a + b)) + Math.log((b + 1) / (a + b + 1));
    double lnQuiet = 0;
    for (int i = 0; i < 7; i++) {
      lnQuiet += Math.log((b + 2 + i) / (a + b + 2 + i));
    }
    double stay = 1 - 0.006;
    double awayLogit = Math.log(1 - stay * stay) - 2 * Math.log(stay) - lnSilence;
    double away = 1 / (1 + Math.exp(-awayLogit));
    double week = away * 0.9 + (1 - away) * Math.exp(lnQuiet);
    assertThat(one.<Double>getAs("f_ln_quiet_week")).isCloseTo(lnQuiet, within(1e-12));
    assertThat(one.<Double>getAs("f_away_logit")).isCloseTo(awayLogit, within(1e-12));
    assertThat(one.<Double>getAs("f_week_away_logit")).isCloseTo(Math.log(week / (1 - week)), within(1e-12));
    assertThat(one.<Double>getAs("f_goal_days_ahead")).as("11-16..11-20 of the coming week are within 14 days of it")
        .isCloseTo(5 / 7.0, within(1e-12));

    Row two = out.get(1);
    assertThat(two.<Double>getAs("f_recent_accuracy")).isCloseTo(0.65 * 0.9, within(1e-12));
    assertThat(two.<Double>getAs("f_away_logit")).as("active today: not away").isCloseTo(Math.log(1e-6 / (1 - 1e-6)),
        within(1e-9));
    assertThat(two.<Double>getAs("f_goal_days_ahead")).as("no goal, no goal week").isZero();
  }
  @Test
  void trainingSamplesAFixedShareOfStudentsAboveTheCap() {
    assertThat(ChurnTrainingSample.share(150_000, 200_000)).isEqualTo(1.0);
    assertThat(ChurnTrainingSample.share(1_000_000, 200_000)).isEqualTo(0.2);
    Dataset<Row> days = SPARK.range(1, 4001).toDF("user_id")
        .withColumn("day", org.apache.spark.sql.functions.lit(Date.valueOf("2026-11-13")));
    assertThat(ChurnTrainingSample.of(days, 1.0)).isSameAs(days);
    List<Row> kept = ChurnTrainingSample.of(days, 0.25).orderBy("user_id").collectAsList();
    assertThat(kept.size()).as("about a quarter of 4,000 students").isBetween(900, 1100);
    assertThat(ChurnTrainingSample.of(days, 0.25).orderBy("user_id").collectAsList()).as("the same students again")
        .isEqualTo(kept);
  }
}
