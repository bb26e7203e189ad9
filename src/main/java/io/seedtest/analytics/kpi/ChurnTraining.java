package io.seedtest.analytics.kpi;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the churn model that serves from a given day d (the trigger during d and the nightly run
 * for d score with it). It may only use outcomes known by the end of d − 1, so its labelled weeks
 * are the as-of days s = d − 8 − 7k (k = 0 … {@value #TRAIN_WEEKS}): each is a snapshot of every
 * student of the KPI population on day s, labelled by whether she was active in (s, s + 7].
 * Held out by time: the newest week (d − 8) is the test set, the {@value #TRAIN_WEEKS} before it
 * the training set, so the stored AUC, Brier and ECE describe the model on a week it never saw,
 * exactly as it will be used.
 *
 * <ul>
 *   <li>MLlib logistic regression (L-BFGS, standardised features, L2 {@value #REG_PARAM}, ten times
 *       the earlier 1e-4: a few thousand rows of a young platform over-fit less): the
 *       log-loss it minimises is a proper scoring rule, so its probabilities come out calibrated
 *       without a separate calibration step (checked by the ECE on the held-out week), and its
 *       weights fit in a table row;
 *   <li>fallback (flagged, algorithm recency_buckets) when the training weeks hold fewer than
 *       {@value #MIN_TRAIN_ROWS} rows or fewer than {@value #MIN_CLASS_ROWS} of either outcome, or
 *       when only one labelled week exists (then trained on it, and no held-out metrics): the
 *       share of students without activity in the following week by days since their last
 *       activity, smoothed toward the overall share with {@value #BUCKET_SMOOTHING} pseudo-rows;
 *   <li>no labelled week at all (a platform younger than 9 days): no model, S is null.
 * </ul>
 */
public final class ChurnTraining {
  private static final Logger LOG = LoggerFactory.getLogger(ChurnTraining.class);
  public static final int TRAIN_WEEKS = 4;
  public static final int MIN_TRAIN_ROWS = 1000;
  public static final int MIN_CLASS_ROWS = 50;
  public static final double REG_PARAM = 1e-3;
  public static final int MAX_ITER = 100;
  public static final double BUCKET_SMOOTHING = 10.0;
  /**
   * The held-out AUC the regression must gain over the best single-feature baseline to serve, unless
   * the run says otherwise (SEEDTEST_CHURN_MIN_AUC_GAIN / --churn-min-auc-gain).
   */
  public static final double MIN_AUC_GAIN = io.seedtest.analytics.config.Settings.DEFAULT_CHURN_MIN_AUC_GAIN;

  private ChurnTraining() {}

  /** The labelled as-of days of the model serving from {@code servesFrom}, newest (the test week) first. */
  public static List<LocalDate> weeksFor(LocalDate servesFrom) {
    List<LocalDate> out = new ArrayList<>();
    for (int k = 0; k <= TRAIN_WEEKS; k++) {
      out.add(servesFrom.minusDays(8L + 7L * k));
    }
    return out;
  }

  /**
   * @param labelled rows of {@link #weeksFor} days: as_of_day, the features, recency_days, label
   * @return the model, or null when no week has a labelled row
   */
  public static ChurnModel train(Dataset<Row> labelled, LocalDate servesFrom, Instant now) {
    return train(labelled, servesFrom, now, MIN_AUC_GAIN);
  }

  /** @param minAucGain the margin of held-out AUC the candidate must beat the best single-feature baseline by */
  public static ChurnModel train(Dataset<Row> labelled, LocalDate servesFrom, Instant now, double minAucGain) {
    long t0 = System.nanoTime();
    Dataset<Row> rows = labelled.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Map<LocalDate, long[]> weeks = new LinkedHashMap<>();
      rows.groupBy(col("as_of_day")).agg(count(lit(1)), sum(col("label")))
          .collectAsList().stream()
          .sorted(Comparator.comparing((Row r) -> r.getDate(0).toLocalDate()).reversed())
          .forEach(r -> weeks.put(r.getDate(0).toLocalDate(), new long[] {r.getLong(1), (long) r.getDouble(2)}));
      if (weeks.isEmpty()) {
        LOG.info("churn model for {}: no labelled week yet, no model (S stays null)", servesFrom);
        return null;
      }
      long t1 = System.nanoTime();
      List<LocalDate> days = new ArrayList<>(weeks.keySet());
      LocalDate test = days.size() >= 2 ? days.get(0) : null;
      List<LocalDate> train = test == null ? days : days.subList(1, days.size());
      long nTrain = train.stream().mapToLong(d -> weeks.get(d)[0]).sum();
      long posTrain = train.stream().mapToLong(d -> weeks.get(d)[1]).sum();
      long nTest = test == null ? 0 : weeks.get(test)[0];
      long posTest = test == null ? 0 : weeks.get(test)[1];
      Column inTrain = col("as_of_day").isin(train.stream().map(java.sql.Date::valueOf).toArray());
      Dataset<Row> trainRows = rows.where(inTrain);

      String reason = null;
      if (test == null) {
        reason = "only one labelled week (" + days.get(0) + "): no held-out week";
      } else if (nTrain < MIN_TRAIN_ROWS) {
        reason = nTrain + " training rows < " + MIN_TRAIN_ROWS;
      } else if (posTrain < MIN_CLASS_ROWS || nTrain - posTrain < MIN_CLASS_ROWS) {
        reason = posTrain + " inactive / " + (nTrain - posTrain) + " active training rows (< " + MIN_CLASS_ROWS + ")";
      }
      ChurnModel candidate = reason == null
          ? logistic(trainRows, servesFrom, now, train, test, nTrain, posTrain, nTest, posTest)
          : null;
      if (reason == null && candidate == null) {
        reason = "logistic regression did not give finite weights";
      }
      ChurnModel baseline = buckets(trainRows, servesFrom, now, train, test, nTrain, posTrain, nTest, posTest, reason);
      long t2 = System.nanoTime();
      ChurnModel model = baseline;
      if (test != null) {
        // the gate: candidate and baselines on the same held-out week
        Dataset<Row> held = rows.where(col("as_of_day").equalTo(java.sql.Date.valueOf(test)));
        BinaryMetrics.Metrics recency = BinaryMetrics.of(held.withColumn("_s", baseline.score()), "_s", "label");
        // the one-line rule ranks by the raw days (no ties within a bucket): the stricter baseline AUC
        Double recencyAuc = BinaryMetrics.auc(held, "recency_days", "label");
        Double activityRateAuc = BinaryMetrics.auc(held.withColumn("_s", col(ChurnFeatures.ACTIVITY_RATE).multiply(-1.0)), "_s",
            "label");
        BinaryMetrics.Metrics cand = candidate == null ? null
            : BinaryMetrics.of(held.withColumn("_s", candidate.score()), "_s", "label");
        ChurnEvaluation gate = new ChurnEvaluation(cand == null ? null : cand.auc(), recencyAuc, recency.brier(),
            recency.ece(), activityRateAuc, minAucGain);
        if (candidate != null && gate.candidateWins()) {
          model = withOutcome(candidate, null, cand, gate);
        } else {
          model = withOutcome(baseline, reason != null ? reason : gate.rejection(), recency, gate);
        }
      }
      long t3 = System.nanoTime();
      LOG.info("churn model for {}: {} {}; {} rows' features {} s, fit {} s, held-out evaluation {} s", servesFrom, model,
          model.params(), weeks.values().stream().mapToLong(w -> w[0]).sum(), secs(t0, t1), secs(t1, t2), secs(t2, t3));
      return model;
    } finally {
      rows.unpersist();
    }
  }

  private static ChurnModel logistic(Dataset<Row> trainRows, LocalDate servesFrom, Instant now, List<LocalDate> train,
      LocalDate test, long nTrain, long posTrain, long nTest, long posTest) {
    List<String> features = ChurnFeatures.FEATURES;
    Dataset<Row> assembled = new VectorAssembler().setInputCols(features.toArray(String[]::new))
        .setOutputCol("_features").transform(trainRows.select(cols(features, "label")))
        .select("_features", "label").persist(StorageLevel.MEMORY_AND_DISK());
    try {
      LogisticRegressionModel fit = new LogisticRegression().setFamily("binomial").setFeaturesCol("_features")
          .setLabelCol("label").setRegParam(REG_PARAM).setElasticNetParam(0.0).setStandardization(true)
          .setMaxIter(MAX_ITER).setTol(1e-7).fit(assembled);
      double[] coef = fit.coefficients().toArray();
      double intercept = fit.intercept();
      for (double c : coef) {
        if (!Double.isFinite(c)) {
          return null;
        }
      }
      if (!Double.isFinite(intercept)) {
        return null;
      }
      Map<String, Object> params = new LinkedHashMap<>();
      params.put("reg_param", REG_PARAM);
      params.put("elastic_net", 0.0);
      params.put("standardization", true);
      params.put("max_iter", MAX_ITER);
      params.put("iterations", fit.summary().totalIterations());
      params.put("train_log_loss", fit.summary().objectiveHistory()[fit.summary().objectiveHistory().length - 1]);
      return new ChurnModel(ChurnModel.versionFor(servesFrom, ChurnModel.LOGISTIC), servesFrom, now,
          servesFrom.minusDays(1), ChurnModel.LOGISTIC, false, null, train, test, nTrain, nTest,
          rate(posTrain, nTrain), test == null ? null : rate(posTest, nTest), null, features, coef, intercept,
          ChurnModel.paramsJson(params), null);
    } finally {
      assembled.unpersist();
    }
  }

  private static ChurnModel buckets(Dataset<Row> trainRows, LocalDate servesFrom, Instant now, List<LocalDate> train,
      LocalDate test, long nTrain, long posTrain, long nTest, long posTest, String reason) {
    int[] bounds = ChurnModel.BUCKET_UPPER_BOUNDS;
    Column r = col("recency_days");
    Column bucket = lit(bounds.length);
    for (int i = bounds.length - 1; i >= 0; i--) {
      bucket = org.apache.spark.sql.functions.when(r.leq(bounds[i]), lit(i)).otherwise(bucket);
    }
    double overall = nTrain == 0 ? 0.5 : (double) posTrain / nTrain;
    double[] n = new double[bounds.length + 1];
    double[] pos = new double[bounds.length + 1];
    for (Row row : trainRows.groupBy(bucket.as("_b")).agg(count(lit(1)), sum("label")).collectAsList()) {
      n[row.getInt(0)] = row.getLong(1);
      pos[row.getInt(0)] = row.getDouble(2);
    }
    double[] rates = new double[n.length];
    for (int i = 0; i < n.length; i++) {
      rates[i] = (pos[i] + BUCKET_SMOOTHING * overall) / (n[i] + BUCKET_SMOOTHING);
    }
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("bucket_upper_bounds", java.util.Arrays.toString(bounds));
    params.put("smoothing", BUCKET_SMOOTHING);
    params.put("overall_rate", overall);
    return new ChurnModel(ChurnModel.versionFor(servesFrom, ChurnModel.BUCKETS), servesFrom, now,
        servesFrom.minusDays(1), ChurnModel.BUCKETS, true, reason, train, test, nTrain, nTest, rate(posTrain, nTrain),
        test == null ? null : rate(posTest, nTest), null, List.of("recency_days"), rates, 0.0,
        ChurnModel.paramsJson(params), null);
  }

  /** The model as it serves: its held-out metrics, the gate's figures, and why it is the fallback (if it is). */
  private static ChurnModel withOutcome(ChurnModel m, String fallbackReason, BinaryMetrics.Metrics metrics,
      ChurnEvaluation gate) {
    return new ChurnModel(m.version(), m.servesFrom(), m.trainedAt(), m.outcomesThrough(), m.algorithm(), m.fallback(),
        m.fallback() ? fallbackReason : null, m.trainWeeks(), m.testWeek(), m.nTrain(), m.nTest(),
        m.positiveRateTrain(), m.positiveRateTest(), metrics, m.features(), m.coefficients(), m.intercept(), m.params(),
        gate);
  }

  private static String secs(long a, long b) {
    return String.format(java.util.Locale.ROOT, "%.1f", (b - a) / 1e9);
  }

  private static Double rate(long pos, long n) {
    return n == 0 ? null : (double) pos / n;
  }

  private static Column[] cols(List<String> names, String... more) {
    List<Column> out = new ArrayList<>(names.stream().map(org.apache.spark.sql.functions::col).toList());
    for (String m : more) {
      out.add(col(m));
    }
    return out.toArray(Column[]::new);
  }
}
