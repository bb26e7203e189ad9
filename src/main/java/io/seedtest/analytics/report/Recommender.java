package io.seedtest.analytics.report;

import io.seedtest.analytics.irt.LogisticResponse;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Chooses a student's recommended top-N (docs/metrics.md, "The weekly report's recommendations").
 *
 * <p>With a calibrated θ: calibrated items she has not answered in the last 4 weeks that are
 * <em>confidently</em> in the band, from her {@link #WEAK_TOPICS} weakest topics first (other
 * topics only fill the list when those run out), each tier ranked by that confidence q (below),
 * then by Fisher information at θ̂, then by item id (so a rerun picks the same items). Weakness is her accuracy on the topic over
 * the 4 weeks, shrunk toward her overall accuracy by {@link #SHRINK} pseudo-answers so that one
 * wrong answer does not make a topic her weakest.
 *
 * <p>"Confidently in the band": the band [{@link #BAND_LOW}, {@link #BAND_HIGH}] is about her
 * <em>true</em> success probability, and both θ̂ and the item's a, b, c are estimates. An item's
 * P(θ) rises with θ, so P(θ) is in the band exactly when θ lies between the item's two band
 * thresholds θ_lo = θ at P = 0.55 and θ_hi = θ at P = 0.80. With θ ~ N(θ̂, s²), where s² is θ̂'s
 * posterior variance plus the variance the item's parameter errors put on its thresholds (delta
 * method at the band's centre), the probability that her true P is in the band is
 * {@code q = Φ((θ_hi − θ̂)/s) − Φ((θ_lo − θ̂)/s)}. An item is a candidate only if q ≥
 * {@link #CONFIDENCE}. This prefers items whose P(θ̂) sits near the band's centre and items that
 * are flat enough (small a) for her uncertainty, and drops steep items whose P could be anywhere.
 * Ranking by information first (the rule before) picks exactly those steep items: measured against
 * the simulator's truth it put 60.5% of recommendations in the band, q first puts 83%.
 *
 * <p>Without a calibrated θ no success probability can be computed: she gets her weakest topics
 * as topic-level advice instead (at most {@link #WEAK_TOPICS}).
 */
public final class Recommender implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final double BAND_LOW = 0.55;
  public static final double BAND_HIGH = 0.80;
  // No random generator: only Φ is used, and the default one is costly to seed.
  private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);
  /** The posterior probability of being in the band an item needs to be recommended. */
  public static final double CONFIDENCE = 0.75;
  public static final int WEAK_TOPICS = 3;
  static final double SHRINK = 4.0;

  private final ItemPool pool;
  private final int topN;
  private final double confidence;

  public Recommender(ItemPool pool, int topN) {
    this(pool, topN, CONFIDENCE);
  }

  /** With another confidence than {@link #CONFIDENCE} (how it was chosen: docs/metrics.md). */
  Recommender(ItemPool pool, int topN, double confidence) {
    if (topN < 1) {
      throw new IllegalArgumentException("top-N must be at least 1");
    }
    this.pool = pool;
    this.topN = topN;
    this.confidence = confidence;
  }

  /**
   * @param theta her calibrated θ, or null
   * @param thetaSe its standard error (posterior SD), or null when unknown (θ̂ then taken as exact)
   * @param topics her topics (answers over the last 4 weeks in {@link TopicWeek#attempts4w()})
   * @param recentItems items she answered in the last 4 weeks (never recommended)
   */
  public List<Recommendation> recommend(Double theta, Double thetaSe, List<TopicWeek> topics, Set<Long> recentItems) {
    List<RankedTopic> ranked = rankTopics(topics);
    if (theta == null || !Double.isFinite(theta)) {
      List<Recommendation> out = new ArrayList<>();
      for (RankedTopic t : ranked.subList(0, Math.min(Math.min(WEAK_TOPICS, topN), ranked.size()))) {
        out.add(new Recommendation(out.size() + 1, Recommendation.TOPIC, null, t.topic, null, null, t.accuracy, null));
      }
      return out;
    }
    double se = thetaSe == null || !Double.isFinite(thetaSe) || thetaSe < 0 ? 0.0 : thetaSe;
    Set<String> weakest = new HashSet<>();
    ranked.stream().limit(WEAK_TOPICS).forEach(t -> weakest.add(t.topic));
    List<Candidate> chosen = best(theta, se, weakest, recentItems, true);
    if (chosen.size() < topN) {
      List<Candidate> others = best(theta, se, weakest, recentItems, false);
      chosen.addAll(others.subList(0, Math.min(topN - chosen.size(), others.size())));
    }
    List<Recommendation> out = new ArrayList<>();
    for (Candidate k : chosen) {
      int i = k.index;
      Double acc = ranked.stream().filter(t -> t.topic.equals(pool.topic[i])).map(t -> t.accuracy).findFirst()
          .orElse(null);
      out.add(new Recommendation(out.size() + 1, Recommendation.ITEM, pool.itemId[i], pool.topic[i], k.p, k.info,
          acc, theta));
    }
    return out;
  }

  /** The top-N confidently in-band unanswered items of the weakest topics ({@code weak}) or of all the others. */
  private List<Candidate> best(double theta, double se, Set<String> weakest, Set<Long> recent, boolean weak) {
    List<Candidate> all = new ArrayList<>();
    pool.byTopic.forEach((topic, idx) -> {
      if (weakest.contains(topic) != weak) {
        return;
      }
      for (int i : idx) {
        if (recent.contains(pool.itemId[i])) {
          continue;
        }
        double q = inBandProbability(i, theta, se);
        if (q >= confidence) {
          all.add(new Candidate(i, LogisticResponse.probability(pool.a[i], pool.b[i], pool.c[i], theta),
              LogisticResponse.information(pool.a[i], pool.b[i], pool.c[i], theta), q));
        }
      }
    });
    all.sort(Comparator.comparingDouble((Candidate k) -> -k.q).thenComparingDouble(k -> -k.info)
        .thenComparingLong(k -> pool.itemId[k.index]));
    return new ArrayList<>(all.subList(0, Math.min(topN, all.size())));
  }

  /**
   * P(BAND_LOW ≤ P_i(θ) ≤ BAND_HIGH) for θ ~ N(θ̂, se² + the item's threshold variance): the
   * probability that her true success probability on item i lies in the band.
   */
  double inBandProbability(int i, double theta, double se) {
    double a = pool.a[i];
    double b = pool.b[i];
    double c = pool.c[i];
    if (!(a > 0) || c >= BAND_HIGH) {
      return 0.0;
    }
    double lo = thresholdTheta(a, b, c, BAND_LOW);
    double hi = thresholdTheta(a, b, c, BAND_HIGH);
    double s = Math.sqrt(se * se + thresholdVariance(i, (BAND_LOW + BAND_HIGH) / 2));
    if (s == 0.0) {
      return theta >= lo && theta <= hi ? 1.0 : 0.0;
    }
    return STANDARD_NORMAL.cumulativeProbability((hi - theta) / s) - (lo == Double.NEGATIVE_INFINITY ? 0.0 : STANDARD_NORMAL.cumulativeProbability((lo - theta) / s));
  }

  /** The θ at which the item's success probability is p: b + logit((p − c)/(1 − c))/a (−∞ when p ≤ c). */
  static double thresholdTheta(double a, double b, double c, double p) {
    if (p <= c) {
      return Double.NEGATIVE_INFINITY;
    }
    double u = (p - c) / (1 - c);
    return b + Math.log(u / (1 - u)) / a;
  }

  /**
   * The variance the item's parameter errors give the θ at which its P is p (delta method on
   * {@link #thresholdTheta}); a missing standard error counts as zero.
   */
  private double thresholdVariance(int i, double p) {
    double a = pool.a[i];
    double c = pool.c[i];
    if (p <= c) {
      return sq(pool.seB[i]);
    }
    double u = (p - c) / (1 - c);
    double logit = Math.log(u / (1 - u));
    double dA = -logit / (a * a);
    double dC = (p - 1) / ((1 - c) * (1 - c) * u * (1 - u) * a);
    return sq(pool.seB[i]) + sq(dA * pool.seA[i]) + sq(dC * pool.seC[i]);
  }

  private static double sq(double x) {
    return Double.isFinite(x) ? x * x : 0.0;
  }

  /** Her topics with answers in the 4 weeks, weakest first (shrunk accuracy, then name). */
  static List<RankedTopic> rankTopics(List<TopicWeek> topics) {
    long answers = 0;
    long correct = 0;
    for (TopicWeek t : topics) {
      answers += t.attempts4w();
      correct += t.correct4w();
    }
    double overall = answers == 0 ? 0.5 : (double) correct / answers;
    List<RankedTopic> out = new ArrayList<>();
    for (TopicWeek t : topics) {
      if (t.attempts4w() > 0) {
        double shrunk = (t.correct4w() + SHRINK * overall) / (t.attempts4w() + SHRINK);
        out.add(new RankedTopic(t.topic(), (double) t.correct4w() / t.attempts4w(), shrunk));
      }
    }
    out.sort(Comparator.comparingDouble((RankedTopic t) -> t.shrunk).thenComparing(t -> t.topic));
    return out;
  }

  record RankedTopic(String topic, double accuracy, double shrunk) {}

  private record Candidate(int index, double p, double info, double q) {}
}
