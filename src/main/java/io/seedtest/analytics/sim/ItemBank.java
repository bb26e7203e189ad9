package io.seedtest.analytics.sim;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The item bank with its true parameters, plus the per-topic lookup (items sorted by difficulty)
 * that the adaptive item choice needs. Small (a few arrays of {@code items} numbers): generated on
 * the driver and broadcast.
 *
 * <p>REALISTIC: each topic has a difficulty offset δ_t ~ N(0, 0.5²) and a share of the bank drawn
 * from U(0.6, 1.4); item j of topic t has a_j ~ logN(0, 0.3²), b_j = δ_t + N(0, 1), c_j ~ U(0.10,
 * 0.25). RECOVERY: a_j ~ logN(0, 0.25²), b_j ~ N(0, 1), c_j ~ U(0.10, 0.25), topics assigned in
 * turn. Both: a response-time intensity β_j ~ N(ln 40 s, 0.35²) (log seconds) and a response-time
 * dispersion σ_j ~ U(0.30, 0.50), as in van der Linden's lognormal model.
 */
public final class ItemBank implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final List<String> TOPIC_NAMES = List.of(
      "algebra", "geometry", "trigonometry", "calculus", "probability", "statistics",
      "number_theory", "functions", "reading", "vocabulary", "grammar", "logic");

  final String[] topicNames;
  final double[] topicOffset;
  final int[] topic;
  final double[] a;
  final double[] b;
  final double[] c;
  final double[] timeIntensity;
  final double[] timeSd;
  /** Per topic: item indices sorted by b, and their b values (same order). */
  final int[][] byTopic;
  final double[][] byTopicB;
  /** The leak, if any: which items, by how much, from which epoch day (Long.MAX_VALUE: never). */
  private final boolean[] leaked;
  private final double leakShift;
  private final long leakEpochDay;
  /** Items whose true curve is not 3PL ({@link #misfit}). */
  private final boolean[] misfit;

  private ItemBank(String[] topicNames, double[] topicOffset, int[] topic, double[] a, double[] b, double[] c,
      double[] timeIntensity, double[] timeSd, ItemLeak leak, int misfitItems) {
    this.topicNames = topicNames;
    this.misfit = new boolean[topic.length];
    int misfitStride = Math.max(1, topic.length / Math.max(1, misfitItems));
    for (int j = 0; j < topic.length; j++) {
      // half a stride after the leaked items (ItemLeak): the two sets stay apart
      misfit[j] = misfitItems > 0 && j % misfitStride == misfitStride / 2 && j / misfitStride < misfitItems;
    }
    this.leaked = new boolean[topic.length];
    for (int j = 0; j < topic.length; j++) {
      leaked[j] = leak.leaks(j, topic.length);
    }
    this.leakShift = leak.any() ? leak.shift() : 0.0;
    this.leakEpochDay = leak.any() ? leak.day().toEpochDay() : Long.MAX_VALUE;
    this.topicOffset = topicOffset;
    this.topic = topic;
    this.a = a;
    this.b = b;
    this.c = c;
    this.timeIntensity = timeIntensity;
    this.timeSd = timeSd;
    int t = topicNames.length;
    byTopic = new int[t][];
    byTopicB = new double[t][];
    for (int k = 0; k < t; k++) {
      final int tk = k;
      byTopic[k] = java.util.stream.IntStream.range(0, topic.length).filter(j -> topic[j] == tk)
          .boxed().sorted(Comparator.<Integer>comparingDouble(j -> b[j]).thenComparingInt(j -> j))
          .mapToInt(Integer::intValue).toArray();
      byTopicB[k] = Arrays.stream(byTopic[k]).mapToDouble(j -> b[j]).toArray();
    }
  }

  public static String topicName(int k) {
    return k < TOPIC_NAMES.size() ? TOPIC_NAMES.get(k) : "topic_" + (k + 1);
  }

  public static ItemBank generate(SimulationSpec spec) {
    SplittableRandom r = Rand.stream(spec.seed(), Rand.ITEMS, 0);
    int n = spec.items();
    int t = spec.topics();
    boolean recovery = spec.mode() == SimulationSpec.Mode.RECOVERY;
    String[] names = new String[t];
    double[] offset = new double[t];
    double[] share = new double[t];
    for (int k = 0; k < t; k++) {
      names[k] = topicName(k);
      offset[k] = recovery ? 0.0 : Rand.normal(r, 0.0, 0.5);
      share[k] = recovery ? 1.0 : Rand.uniform(r, 0.6, 1.4);
    }
    int[] topic = assignTopics(r, n, share, recovery);
    double[] a = new double[n];
    double[] b = new double[n];
    double[] c = new double[n];
    double[] ti = new double[n];
    double[] ts = new double[n];
    double logA = recovery ? 0.25 : 0.30;
    for (int j = 0; j < n; j++) {
      a[j] = StrictMath.exp(Rand.normal(r, 0.0, logA));
      b[j] = offset[topic[j]] + r.nextGaussian();
      c[j] = Rand.uniform(r, 0.10, 0.25);
      ti[j] = Rand.normal(r, StrictMath.log(40.0), 0.35);
      ts[j] = Rand.uniform(r, 0.30, 0.50);
    }
    return new ItemBank(names, offset, topic, a, b, c, ti, ts, spec.leak(), spec.misfitItems());
  }

  /** Every topic gets its share of the bank (at least one item), in a shuffled order. */
  private static int[] assignTopics(SplittableRandom r, int n, double[] share, boolean inTurn) {
    int t = share.length;
    int[] topic = new int[n];
    if (inTurn) {
      for (int j = 0; j < n; j++) {
        topic[j] = j % t;
      }
      return topic;
    }
    double total = Arrays.stream(share).sum();
    int[] counts = new int[t];
    int assigned = 0;
    for (int k = 0; k < t; k++) {
      counts[k] = Math.max(1, (int) Math.floor((n - t) * share[k] / total) + 1);
      assigned += counts[k];
    }
    for (int k = 0; assigned < n; k = (k + 1) % t) {
      counts[k]++;
      assigned++;
    }
    for (int k = t - 1; assigned > n; k = (k + t - 1) % t) {
      if (counts[k] > 1) {
        counts[k]--;
        assigned--;
      }
    }
    int p = 0;
    for (int k = 0; k < t; k++) {
      for (int i = 0; i < counts[k]; i++) {
        topic[p++] = k;
      }
    }
    for (int j = n - 1; j > 0; j--) {
      int s = r.nextInt(j + 1);
      int tmp = topic[j];
      topic[j] = topic[s];
      topic[s] = tmp;
    }
    return topic;
  }

  public int size() {
    return topic.length;
  }

  public int topics() {
    return topicNames.length;
  }

  public long itemId(int j) {
    return j + 1L;
  }

  public String topicOf(int j) {
    return topicNames[topic[j]];
  }

  public double a(int j) {
    return a[j];
  }

  public double b(int j) {
    return b[j];
  }

  public double c(int j) {
    return c[j];
  }

  public double timeIntensity(int j) {
    return timeIntensity[j];
  }

  public double timeSd(int j) {
    return timeSd[j];
  }

  /** Whether item {@code j} is one of the spec's leaked items ({@link ItemLeak}). */
  public boolean leaked(int j) {
    return leaked[j];
  }

  /** The true b of item {@code j} on a day: lower by the leak's shift for a leaked item from the leak day on. */
  public double b(int j, long epochDay) {
    return leaked[j] && epochDay >= leakEpochDay ? b[j] - leakShift : b[j];
  }

  /**
   * Whether item {@code j} is one of the spec's misfitting items: its true curve is not 3PL but a
   * bump, c + (1 − c)·exp(−(θ − b)²/2) — right most often for students near b, and less often
   * again above it (a key that misleads strong students): no monotone curve describes it. Item
   * indices half a stride after the leaked ones (stride ⌊n / K⌋ for K items).
   */
  public boolean misfit(int j) {
    return misfit[j];
  }

  /**
   * The true probability of a right answer on a day, what the answer is drawn from: {@link #p(int,
   * double)}, but a leaked item is easier from the leak day on and a misfitting item follows its
   * bump. Hints and times keep {@link #p(int, double)}.
   */
  public double p(int j, double theta, long epochDay) {
    if (misfit[j]) {
      double z = theta - b[j];
      return c[j] + (1.0 - c[j]) * StrictMath.exp(-0.5 * z * z);
    }
    if (!leaked[j] || epochDay < leakEpochDay) {
      return p(j, theta);
    }
    double bj = b[j] - leakShift;
    return c[j] + (1.0 - c[j]) / (1.0 + StrictMath.exp(-a[j] * (theta - bj)));
  }

  /** The 3PL, logistic metric (D = 1): c + (1 − c) / (1 + exp(−a(θ − b))). */
  public double p(int j, double theta) {
    return c[j] + (1.0 - c[j]) / (1.0 + StrictMath.exp(-a[j] * (theta - b[j])));
  }
}
