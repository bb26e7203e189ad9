package io.seedtest.analytics.report;

import io.seedtest.analytics.irt.LogisticResponse;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Chooses a student's recommended top-N (docs/metrics.md, "Recommendations").
 *
 * <p>With a calibrated θ: calibrated items she has not answered in the last 4 weeks whose success
 * probability P(θ) lies in the band [{@link #BAND_LOW}, {@link #BAND_HIGH}], from her
 * {@link #WEAK_TOPICS} weakest topics first (other topics only fill the list when those run out),
 * each tier ranked by Fisher information at θ (ties by item id, so a rerun picks the same items).
 * Weakness is her accuracy on the topic over the 4 weeks, shrunk toward her overall accuracy by
 * {@link #SHRINK} pseudo-answers so that one wrong answer does not make a topic her weakest.
 *
 * <p>Without a calibrated θ no success probability can be computed: she gets her weakest topics
 * as topic-level advice instead (at most {@link #WEAK_TOPICS}).
 */
public final class Recommender implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final double BAND_LOW = 0.55;
  public static final double BAND_HIGH = 0.80;
  public static final int WEAK_TOPICS = 3;
  static final double SHRINK = 4.0;

  private final ItemPool pool;
  private final int topN;

  public Recommender(ItemPool pool, int topN) {
    if (topN < 1) {
      throw new IllegalArgumentException("top-N must be at least 1");
    }
    this.pool = pool;
    this.topN = topN;
  }

  /**
   * @param theta her calibrated θ, or null
   * @param topics her topics (answers over the last 4 weeks in {@link TopicWeek#attempts4w()})
   * @param recentItems items she answered in the last 4 weeks (never recommended)
   */
  public List<Recommendation> recommend(Double theta, List<TopicWeek> topics, Set<Long> recentItems) {
    List<RankedTopic> ranked = rankTopics(topics);
    if (theta == null || !Double.isFinite(theta)) {
      List<Recommendation> out = new ArrayList<>();
      for (RankedTopic t : ranked.subList(0, Math.min(Math.min(WEAK_TOPICS, topN), ranked.size()))) {
        out.add(new Recommendation(out.size() + 1, Recommendation.TOPIC, null, t.topic, null, null, t.accuracy, null));
      }
      return out;
    }
    Set<String> weakest = new HashSet<>();
    ranked.stream().limit(WEAK_TOPICS).forEach(t -> weakest.add(t.topic));
    List<Candidate> chosen = best(theta, weakest, recentItems, true);
    if (chosen.size() < topN) {
      List<Candidate> others = best(theta, weakest, recentItems, false);
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

  /** The top-N in-band unanswered items of the weakest topics ({@code weak}) or of all the others. */
  private List<Candidate> best(double theta, Set<String> weakest, Set<Long> recent, boolean weak) {
    List<Candidate> all = new ArrayList<>();
    pool.byTopic.forEach((topic, idx) -> {
      if (weakest.contains(topic) != weak) {
        return;
      }
      for (int i : idx) {
        if (recent.contains(pool.itemId[i])) {
          continue;
        }
        double p = LogisticResponse.probability(pool.a[i], pool.b[i], pool.c[i], theta);
        if (p >= BAND_LOW && p <= BAND_HIGH) {
          all.add(new Candidate(i, p, LogisticResponse.information(pool.a[i], pool.b[i], pool.c[i], theta)));
        }
      }
    });
    all.sort(Comparator.comparingDouble((Candidate k) -> -k.info).thenComparingLong(k -> pool.itemId[k.index]));
    return new ArrayList<>(all.subList(0, Math.min(topN, all.size())));
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

  private record Candidate(int index, double p, double info) {}
}
