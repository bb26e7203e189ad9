package io.seedtest.analytics.kpi;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * One churn model as stored in churn_models, and the one way S is computed from it:
 * {@link #score()} turns the stored numbers into a Spark expression, so the nightly job, the
 * trigger and the held-out evaluation score with exactly the same arithmetic, and a model read
 * back from the table scores exactly like the one just trained (no model files, no refit).
 *
 * <ul>
 *   <li>{@code logistic_regression}: S = 1 / (1 + exp(−(b + Σ wᵢ·fᵢ))) over
 *       {@link ChurnFeatures#FEATURES} (weights on the features' own scale);
 *   <li>{@code recency_buckets} (the fallback): S = the smoothed share of students without activity
 *       in the following week among those with the same days since their last activity, by bucket
 *       {@link #BUCKET_UPPER_BOUNDS} (the last bucket has no upper bound).
 * </ul>
 */
public record ChurnModel(String version, LocalDate servesFrom, Instant trainedAt, LocalDate outcomesThrough,
    String algorithm, boolean fallback, String fallbackReason, List<LocalDate> trainWeeks, LocalDate testWeek,
    long nTrain, long nTest, Double positiveRateTrain, Double positiveRateTest, BinaryMetrics.Metrics metrics,
    List<String> features, double[] coefficients, double intercept, String params, ChurnEvaluation evaluation)
    implements Serializable {

  public static final String LOGISTIC = "logistic_regression";
  public static final String BUCKETS = "recency_buckets";
  /** Recency buckets: days since the last active day ≤ 0, 1, 2, 3, 5, 7, 14, and more. */
  public static final int[] BUCKET_UPPER_BOUNDS = {0, 1, 2, 3, 5, 7, 14};
  private static final ObjectMapper JSON = new ObjectMapper();

  public static String versionFor(LocalDate servesFrom, String algorithm) {
    return "churn-" + servesFrom + "-" + (LOGISTIC.equals(algorithm) ? "lr" : "buckets");
  }

  /** S as a column over rows that carry the model's features. */
  public Column score() {
    if (BUCKETS.equals(algorithm)) {
      Column r = col("recency_days");
      Column c = null;
      for (int i = 0; i < BUCKET_UPPER_BOUNDS.length; i++) {
        c = c == null ? when(r.leq(BUCKET_UPPER_BOUNDS[i]), lit(coefficients[i]))
            : c.when(r.leq(BUCKET_UPPER_BOUNDS[i]), lit(coefficients[i]));
      }
      return c.otherwise(lit(coefficients[BUCKET_UPPER_BOUNDS.length]));
    }
    Column z = lit(intercept);
    for (int i = 0; i < features.size(); i++) {
      z = z.plus(col(features.get(i)).multiply(lit(coefficients[i])));
    }
    return lit(1.0).divide(lit(1.0).plus(exp(z.multiply(-1.0))));
  }

  public Row toRow(String runId) {
    BinaryMetrics.Metrics m = metrics;
    return RowFactory.create(version, Date.valueOf(servesFrom), Timestamp.from(trainedAt),
        Date.valueOf(outcomesThrough), algorithm, fallback, fallbackReason,
        trainWeeks.stream().map(LocalDate::toString).collect(Collectors.joining(",")),
        testWeek == null ? null : Date.valueOf(testWeek), nTrain, nTest, positiveRateTrain, positiveRateTest,
        m == null ? null : m.auc(), m == null ? null : m.brier(), m == null ? null : m.ece(),
        String.join(",", features), coefficientsJson(), intercept, params, runId,
        evaluation == null ? null : evaluation.candidateAuc(), evaluation == null ? null : evaluation.recencyAuc(),
        evaluation == null ? null : evaluation.recencyBrier(), evaluation == null ? null : evaluation.recencyEce(),
        evaluation == null ? null : evaluation.activityRateAuc(), evaluation == null ? null : evaluation.minAucGain());
  }

  public static ChurnModel fromRow(Row r) {
    String weeks = r.getAs("train_weeks");
    List<LocalDate> trainWeeks = weeks == null || weeks.isBlank() ? List.of()
        : java.util.Arrays.stream(weeks.split(",")).map(LocalDate::parse).toList();
    Object test = r.getAs("test_week");
    Double auc = r.getAs("auc");
    Double brier = r.getAs("brier");
    Double ece = r.getAs("ece");
    BinaryMetrics.Metrics m = brier == null ? null
        : new BinaryMetrics.Metrics(r.<Number>getAs("n_test").longValue(), r.getAs("positive_rate_test"),
            auc, brier, ece);
    List<String> features = List.of(r.<String>getAs("features").split(","));
    String json = r.getAs("coefficients");
    double[] coef = parseCoefficients(json, features, r.getAs("algorithm"));
    return new ChurnModel(r.getAs("model_version"), toDate(r.getAs("serves_from")), toInstant(r.getAs("trained_at")),
        toDate(r.getAs("outcomes_through")), r.getAs("algorithm"), r.getAs("fallback"), r.getAs("fallback_reason"),
        trainWeeks, test == null ? null : toDate(test), r.<Number>getAs("n_train").longValue(),
        r.<Number>getAs("n_test").longValue(), r.getAs("positive_rate_train"), r.getAs("positive_rate_test"), m,
        features, coef, r.<Number>getAs("intercept").doubleValue(), r.getAs("params"), evaluationOf(r));
  }

  /** The gate's figures; null for a model stored before they were (V14) or without a held-out week. */
  private static ChurnEvaluation evaluationOf(Row r) {
    java.util.Set<String> names = java.util.Set.of(r.schema().fieldNames());
    if (!names.contains("min_auc_gain") || r.isNullAt(r.fieldIndex("min_auc_gain"))) {
      return null;
    }
    return new ChurnEvaluation(r.getAs("candidate_auc"), r.getAs("recency_auc"), r.getAs("recency_brier"),
        r.getAs("recency_ece"), r.getAs("activity_rate_auc"), r.<Number>getAs("min_auc_gain").doubleValue());
  }

  /** {"f_x": w, …} for a regression; {"≤0": rate, …, ">14": rate} for buckets. */
  String coefficientsJson() {
    ObjectNode o = JSON.createObjectNode();
    if (BUCKETS.equals(algorithm)) {
      for (int i = 0; i < coefficients.length; i++) {
        o.put(bucketName(i), coefficients[i]);
      }
    } else {
      for (int i = 0; i < features.size(); i++) {
        o.put(features.get(i), coefficients[i]);
      }
    }
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String bucketName(int i) {
    return i < BUCKET_UPPER_BOUNDS.length ? "<=" + BUCKET_UPPER_BOUNDS[i]
        : ">" + BUCKET_UPPER_BOUNDS[BUCKET_UPPER_BOUNDS.length - 1];
  }

  private static double[] parseCoefficients(String json, List<String> features, String algorithm) {
    try {
      JsonNode node = JSON.readTree(json);
      if (BUCKETS.equals(algorithm)) {
        double[] out = new double[BUCKET_UPPER_BOUNDS.length + 1];
        for (int i = 0; i < out.length; i++) {
          out[i] = node.get(bucketName(i)).asDouble();
        }
        return out;
      }
      double[] out = new double[features.size()];
      for (int i = 0; i < out.length; i++) {
        JsonNode v = node.get(features.get(i));
        if (v == null) {
          throw new IllegalStateException("churn model coefficients lack " + features.get(i) + ": " + json);
        }
        out[i] = v.asDouble();
      }
      return out;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable churn model coefficients: " + json, e);
    }
  }

  static String paramsJson(Map<String, Object> params) {
    try {
      return JSON.writeValueAsString(new java.util.TreeMap<>(params));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static LocalDate toDate(Object o) {
    return o instanceof LocalDate d ? d : ((Date) o).toLocalDate();
  }

  private static Instant toInstant(Object o) {
    return o instanceof Instant i ? i : ((Timestamp) o).toInstant();
  }

  @Override
  public String toString() {
    return version + " (" + algorithm + (fallback ? ", fallback: " + fallbackReason : "") + ", trained on "
        + nTrain + " rows" + (metrics == null ? "" : ", held-out " + metrics)
        + (evaluation == null ? "" : "; gate: " + evaluation) + ")";
  }
}
