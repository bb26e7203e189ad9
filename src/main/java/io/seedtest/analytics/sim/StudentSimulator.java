package io.seedtest.analytics.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Simulates one student at a time, with no Spark in sight: her history is a pure function of
 * (spec, item bank, user id), drawn from a random stream seeded by (seed, user id).
 *
 * <h2>REALISTIC</h2>
 *
 * <ul>
 *   <li>Traits: θ0 ~ N(0, 1); learning rate r ~ logN(ln 0.003, 0.5²); engagement (base chance of a
 *       session on a day) = logistic(N(−0.9, 0.9²)), median 0.29; speed τ ~ N(0, 0.25²); hint
 *       propensity κ ~ N(0, 0.6²); break propensity 0.02 a day for 40 % of students, else 0.003;
 *       a preferred hour (65 % evenings N(19.5 h, 1.5²), else N(13 h, 2.5²)); a session length
 *       propensity p ~ U(0.25, 0.75); topic preferences ~ Dirichlet(1).
 *   <li>Join day uniform in the window; the join day always has a session.
 *   <li>Goal for 85 %: target θ0 + U(0.3, 1.5) (to 0.05), goal (exam) date join + 30..120 days.
 *   <li>Growth: θ = θ0 + G; each answer adds r / (1 + n/150) to G (n = answers so far:
 *       diminishing returns); each day without practice loses 0.4 % of G (forgetting).
 *   <li>Each later day: first the churn draw with {@link ChurnHazard} (churned = no activity from
 *       that day on); then, unless on a break, a session with probability engagement × weekday
 *       factor (1.08 Mon–Fri, 0.80 Sat–Sun) × 1.4 in the 14 days up to the goal date, capped at
 *       0.95. A break starts with the break propensity and lasts 7 + Geometric(mean 7) days.
 *   <li>An active day has 1 + Poisson(mean − 1) sessions (at most 6), each min + Binomial(max −
 *       min, p) answers, the first near the preferred hour, later ones 10 min + Exp(90 min) after
 *       the previous; a session never crosses midnight (UTC) and none starts after 23:00.
 *   <li>A session practises one topic (by preference). Each item: 10 % any item of the bank, 20 %
 *       a random item of the topic, 70 % adaptive: an item of the topic with b near the
 *       platform's estimate θ̂ + N(0, 0.5²), preferring items she has not seen; never an item
 *       twice in a session. θ̂ is an Elo-style 1PL estimate: θ̂ += K(x − σ(θ̂ − b)), K = 0.08 +
 *       0.4/(1 + n/20).
 *   <li>Correctness ~ Bernoulli(3PL at the true θ of that moment).
 *   <li>Hints: min(3, Poisson(exp(κ − 1.6 + 3(0.55 − P)))) with P the true P(correct): more
 *       hints when struggling; hints do not change correctness.
 *   <li>Response time: ln seconds = β_j − τ + 0.2 · clamp(b − θ, −3, 3) + σ_j · N(0, 1), plus
 *       logN(ln 12 s, 0.3²) per hint, clipped to [1 s, 15 min]. 1–6 s between answers; the
 *       session finishes 2–10 s after the last answer. Times are whole seconds.
 * </ul>
 *
 * <h2>RECOVERY</h2>
 *
 * θ ~ N(0, 1) fixed; one session on a uniform day of the window, starting 06:00–10:00, with
 * {@code itemsPerStudent} distinct items drawn uniformly at random; no growth, churn or goal.
 * Response times and hints follow the same model.
 */
public final class StudentSimulator {
  static final double LEARNING_RATE_MEDIAN = 0.003;
  static final double LEARNING_HALF_SATURATION = 150.0;
  /** Public with the break constants below: the benchmark's exact truth (bench/SimulatedTruth) uses them. */
  public static final double FORGETTING_PER_IDLE_DAY = 0.004;
  /** A break lasts at least this many days, then ends each day with {@link #BREAK_END_PER_DAY}. */
  public static final int BREAK_MIN_DAYS = 7;
  public static final double BREAK_END_PER_DAY = 1.0 / 8.0;
  static final int MAX_SESSIONS_PER_DAY = 6;
  static final long SESSION_IDS_PER_STUDENT = 10_000L;

  private static final int SECONDS_PER_DAY = 86_400;
  private static final int LATEST_START = 23 * 3600;
  private static final double P_ANY_ITEM = 0.10;
  private static final double P_TOPIC_ITEM = 0.20;
  private static final int NEAR_SCAN = 40;

  private final SimulationSpec spec;
  private final ItemBank bank;
  private final long startEpochDay;
  private final BitSet seen;

  // Per-student running state of the REALISTIC process.
  private SplittableRandom rng;
  /** Rapid guessing's stream and whether this student rapid-guesses (null / false when the switch is off). */
  private SplittableRandom guessRng;
  private boolean rapidGuesser;
  private double theta0;
  private double gain;
  private int answered;
  private double thetaHat;
  private double recentAccuracy;
  private double learningRate;
  private double speed;
  private double hintPropensity;

  public StudentSimulator(SimulationSpec spec, ItemBank bank) {
    this.spec = spec;
    this.bank = bank;
    this.startEpochDay = spec.startDay().toEpochDay();
    this.seen = new BitSet(bank.size());
  }

  public StudentHistory simulate(long userId) {
    rng = Rand.stream(spec.seed(), Rand.STUDENTS, userId);
    RapidGuessing guessing = spec.rapidGuessing();
    guessRng = guessing.any() ? Rand.stream(spec.seed(), Rand.RAPID, userId) : null;
    rapidGuesser = guessRng != null && Rand.bernoulli(guessRng, guessing.share());
    seen.clear();
    return spec.mode() == SimulationSpec.Mode.RECOVERY ? recovery(userId) : realistic(userId);
  }

  /**
   * Only the student's goal (null when she has none): her traits are drawn first in her stream,
   * so this costs a few draws instead of a whole history.
   */
  public StudentHistory.Goal goal(long userId) {
    if (spec.mode() == SimulationSpec.Mode.RECOVERY) {
      return null;
    }
    rng = Rand.stream(spec.seed(), Rand.STUDENTS, userId);
    return traits().goal();
  }

  /** What a REALISTIC student brings: drawn first, in this fixed order, from her stream. */
  private record Traits(double theta0, double learningRate, double engagement, double speed, double hintPropensity,
      double breakPropensity, double preferredHour, double lengthP, double[] topicCdf, int join,
      StudentHistory.Goal goal) {}

  private Traits traits() {
    SplittableRandom r = rng;
    double theta = r.nextGaussian();
    double rate = StrictMath.exp(Rand.normal(r, StrictMath.log(LEARNING_RATE_MEDIAN), 0.5));
    double engagement = Rand.sigmoid(Rand.normal(r, -0.9, 0.9));
    double speedTrait = Rand.normal(r, 0.0, 0.25);
    double hints = Rand.normal(r, 0.0, 0.6);
    double breaks = Rand.bernoulli(r, 0.4) ? 0.02 : 0.003;
    double hour = Rand.bernoulli(r, 0.65) ? Rand.normal(r, 19.5, 1.5) : Rand.normal(r, 13.0, 2.5);
    double lengthP = Rand.uniform(r, 0.25, 0.75);
    double[] topicCdf = new double[bank.topics()];
    double sum = 0;
    for (int k = 0; k < topicCdf.length; k++) {
      sum += r.nextExponential();
      topicCdf[k] = sum;
    }
    int join = r.nextInt(spec.days());
    StudentHistory.Goal goal = null;
    if (Rand.bernoulli(r, 0.85)) {
      double target = Math.round((theta + Rand.uniform(r, 0.3, 1.5)) * 20.0) / 20.0;
      goal = new StudentHistory.Goal(target, join + 30 + r.nextInt(91));
    }
    return new Traits(theta, rate, engagement, speedTrait, hints, breaks, hour, lengthP, topicCdf, join, goal);
  }

  private StudentHistory realistic(long userId) {
    SplittableRandom r = rng;
    Traits t = traits();
    theta0 = t.theta0();
    learningRate = t.learningRate();
    speed = t.speed();
    hintPropensity = t.hintPropensity();
    double engagement = t.engagement();
    double topicTotal = t.topicCdf()[t.topicCdf().length - 1];
    int join = t.join();
    StudentHistory.Goal goal = t.goal();

    gain = 0;
    answered = 0;
    thetaHat = 0;
    recentAccuracy = ChurnHazard.SUCCESS_REF;
    List<StudentHistory.Session> sessions = new ArrayList<>();
    List<StudentHistory.Day> days = new ArrayList<>(spec.days() - join);
    int lastActive = join;
    int breakUntil = -1;
    int churnDay = -1;
    for (int d = join; d < spec.days(); d++) {
      double hazard = 0.0;
      if (d > join) {
        boolean afterGoal = goal != null && d > goal.goalDay();
        hazard = ChurnHazard.daily(engagement, recentAccuracy, d - lastActive - 1, d - join, afterGoal);
        if (Rand.bernoulli(r, hazard)) {
          churnDay = d;
          days.add(new StudentHistory.Day(d, theta(), false, 0, 0, 0.0, hazard, true));
          break;
        }
        if (d >= breakUntil && Rand.bernoulli(r, t.breakPropensity())) {
          breakUntil = d + BREAK_MIN_DAYS + Rand.geometric(r, BREAK_END_PER_DAY);
        }
      }
      double pSession;
      if (d == join) {
        pSession = 1.0;
      } else if (d < breakUntil) {
        pSession = 0.0;
      } else {
        long epochDay = startEpochDay + d;
        int dow = (int) Math.floorMod(epochDay + 3, 7L); // 0 = Monday
        double factor = dow < 5 ? 1.08 : 0.80;
        if (goal != null && d <= goal.goalDay() && goal.goalDay() - d <= 14) {
          factor *= 1.4;
        }
        pSession = Math.min(0.95, engagement * factor);
      }
      boolean active = d == join || (pSession > 0 && Rand.bernoulli(r, pSession));
      int nSessions = 0;
      int nAnswers = 0;
      if (active) {
        int planned = Math.min(MAX_SESSIONS_PER_DAY, 1 + Rand.poisson(r, spec.meanSessionsPerActiveDay() - 1.0));
        long dayStart = (startEpochDay + d) * SECONDS_PER_DAY;
        long start = dayStart + (long) (3600 * clamp(Rand.normal(r, t.preferredHour(), 1.2), 6.0, 23.0));
        for (int s = 0; s < planned; s++) {
          if (start > dayStart + LATEST_START) {
            break;
          }
          int topic = pick(t.topicCdf(), r.nextDouble() * topicTotal);
          int length = spec.minAnswersPerSession()
              + Rand.binomial(r, spec.maxAnswersPerSession() - spec.minAnswersPerSession(), t.lengthP());
          StudentHistory.Session session = session(userId, sessions.size() + 1, d, start, topic, length, true);
          sessions.add(session);
          nSessions++;
          nAnswers += session.size();
          start = session.finishedAt() + 600 + (long) (5400 * r.nextExponential());
        }
        lastActive = d;
      } else {
        gain *= 1.0 - FORGETTING_PER_IDLE_DAY;
      }
      days.add(new StudentHistory.Day(d, theta(), active, nSessions, nAnswers, pSession, hazard, false));
    }
    StudentHistory.Student student = new StudentHistory.Student(userId, theta0, learningRate, engagement, speed,
        hintPropensity, t.breakPropensity(), join, churnDay, theta(), sessions.size(), answered);
    return new StudentHistory(student, goal, sessions, days);
  }

  private StudentHistory recovery(long userId) {
    SplittableRandom r = rng;
    theta0 = r.nextGaussian();
    learningRate = 0.0;
    speed = Rand.normal(r, 0.0, 0.25);
    hintPropensity = Rand.normal(r, 0.0, 0.6);
    gain = 0;
    answered = 0;
    int d = r.nextInt(spec.days());
    long start = (startEpochDay + d) * SECONDS_PER_DAY + 6 * 3600 + r.nextInt(4 * 3600);
    StudentHistory.Session session = session(userId, 1, d, start, -1, spec.itemsPerStudent(), false);
    StudentHistory.Day day = new StudentHistory.Day(d, theta0, true, 1, session.size(), 1.0, 0.0, false);
    StudentHistory.Student student = new StudentHistory.Student(userId, theta0, 0.0, Double.NaN, speed,
        hintPropensity, Double.NaN, d, -1, theta0, 1, session.size());
    return new StudentHistory(student, null, List.of(session), List.of(day));
  }

  /** One session; {@code learning} = REALISTIC (adaptive choice, growth), else uniform distinct items. */
  private StudentHistory.Session session(long userId, int ordinal, int day, long start, int topic, int length,
      boolean learning) {
    SplittableRandom r = rng;
    long dayEnd = (startEpochDay + day + 1) * SECONDS_PER_DAY;
    int[] items = learning ? new int[length] : distinctItems(length);
    boolean[] correct = new boolean[length];
    int[] rt = new int[length];
    int[] hints = new int[length];
    long[] at = new long[length];
    double[] thetas = new double[length];
    boolean[] rapid = rapidGuesser ? new boolean[length] : null;
    long elapsedMs = 0;
    int n = 0;
    for (int k = 0; k < length; k++) {
      int j = learning ? chooseItem(topic, thetaHat + Rand.normal(r, 0.0, 0.5), items, k) : items[k];
      double theta = theta();
      double p = bank.p(j, theta);
      // A leaked item (ItemLeak) is easier only in whether it is answered right: hints and times keep
      // the item's own p, so every other draw of the stream, and so every other answer, stays the same.
      boolean x = Rand.bernoulli(r, bank.p(j, theta, startEpochDay + day));
      int h = Math.min(3, Rand.poisson(r, StrictMath.exp(hintPropensity - 1.6 + 3.0 * (0.55 - p))));
      double logSeconds = bank.timeIntensity(j) - speed + 0.2 * clamp(bank.b(j) - theta, -3.0, 3.0)
          + bank.timeSd(j) * r.nextGaussian();
      double seconds = StrictMath.exp(logSeconds);
      for (int i = 0; i < h; i++) {
        seconds += StrictMath.exp(Rand.normal(r, StrictMath.log(12.0), 0.3));
      }
      int ms = (int) Math.round(clamp(seconds, 1.0, 900.0) * 1000.0);
      // A rapid guess replaces the answer drawn above (whose draws stay, so the main stream is unchanged):
      // no reading, no hint, a few seconds, right with the item's chance c.
      boolean guess = rapidGuesser && Rand.bernoulli(guessRng, spec.rapidGuessing().rate());
      if (guess) {
        x = Rand.bernoulli(guessRng, bank.c(j));
        h = 0;
        ms = (int) Math.round(clamp(StrictMath.exp(Rand.normal(guessRng,
            StrictMath.log(RapidGuessing.MEDIAN_SECONDS), 0.5)), 0.3, 8.0) * 1000.0);
      }
      long answeredAt = start + (elapsedMs + ms) / 1000;
      if (learning && k > 0 && answeredAt >= dayEnd - 30) {
        break; // the student stops before midnight: sessions stay within one UTC day
      }
      elapsedMs += ms;
      items[k] = j;
      correct[k] = x;
      rt[k] = ms;
      hints[k] = h;
      at[k] = answeredAt;
      thetas[k] = theta;
      if (rapid != null) {
        rapid[k] = guess;
      }
      n++;
      if (learning) {
        thetaHat += (0.08 + 0.4 / (1.0 + answered / 20.0))
            * ((x ? 1.0 : 0.0) - Rand.sigmoid(thetaHat - bank.b(j)));
        recentAccuracy += ChurnHazard.SUCCESS_SMOOTHING * ((x ? 1.0 : 0.0) - recentAccuracy);
        gain += learningRate / (1.0 + answered / LEARNING_HALF_SATURATION);
      }
      answered++;
      elapsedMs += 1000 + r.nextInt(5001);
    }
    if (n < length) {
      items = Arrays.copyOf(items, n);
      correct = Arrays.copyOf(correct, n);
      rt = Arrays.copyOf(rt, n);
      hints = Arrays.copyOf(hints, n);
      at = Arrays.copyOf(at, n);
      thetas = Arrays.copyOf(thetas, n);
      rapid = rapid == null ? null : Arrays.copyOf(rapid, n);
    }
    for (int j : items) {
      seen.set(j);
    }
    long finished = Math.min(at[n - 1] + 2 + r.nextInt(9), dayEnd - 1);
    long resultId = userId * SESSION_IDS_PER_STUDENT + ordinal;
    return new StudentHistory.Session(resultId, Rand.permute63(resultId, spec.seed()), day, start, finished,
        items, correct, rt, hints, at, thetas, rapid);
  }

  private double theta() {
    return theta0 + gain;
  }

  /** {@code m} distinct items uniformly at random, in random order (partial Fisher–Yates). */
  private int[] distinctItems(int m) {
    int n = bank.size();
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    for (int i = 0; i < m; i++) {
      int s = i + rng.nextInt(n - i);
      int tmp = perm[i];
      perm[i] = perm[s];
      perm[s] = tmp;
    }
    return Arrays.copyOf(perm, m);
  }

  private int chooseItem(int topic, double target, int[] used, int nUsed) {
    double u = rng.nextDouble();
    if (u < P_ANY_ITEM) {
      return randomItem(-1, used, nUsed);
    }
    if (u < P_ANY_ITEM + P_TOPIC_ITEM) {
      return randomItem(topic, used, nUsed);
    }
    return nearItem(topic, target, used, nUsed);
  }

  /** A uniformly random item (of the topic, or of the bank when topic < 0), preferring unseen ones. */
  private int randomItem(int topic, int[] used, int nUsed) {
    int[] pool = topic < 0 ? null : bank.byTopic[topic];
    int size = pool == null ? bank.size() : pool.length;
    int seenFallback = -1;
    for (int attempt = 0; attempt < 20; attempt++) {
      int pick = rng.nextInt(size);
      int j = pool == null ? pick : pool[pick];
      if (!contains(used, nUsed, j)) {
        if (!seen.get(j)) {
          return j;
        }
        if (seenFallback < 0) {
          seenFallback = j;
        }
      }
    }
    if (seenFallback >= 0) {
      return seenFallback;
    }
    return pool == null ? firstUnused(used, nUsed) : nearItem(topic, rng.nextGaussian(), used, nUsed);
  }

  /**
   * An item of the topic with b near {@code target}: one of the (up to) three nearest that she has
   * not seen, among the nearest {@value #NEAR_SCAN}; else the nearest not used in this session;
   * else any unused item of the bank.
   */
  private int nearItem(int topic, double target, int[] used, int nUsed) {
    int[] pool = bank.byTopic[topic];
    double[] bs = bank.byTopicB[topic];
    int pos = Arrays.binarySearch(bs, target);
    int hi = pos >= 0 ? pos : -pos - 1;
    int lo = hi - 1;
    int[] candidates = new int[3];
    int found = 0;
    int fallback = -1;
    for (int scanned = 0; scanned < pool.length && (found < 3) && (scanned < NEAR_SCAN || fallback < 0); scanned++) {
      int idx;
      if (lo < 0) {
        idx = hi++;
      } else if (hi >= pool.length) {
        idx = lo--;
      } else if (target - bs[lo] <= bs[hi] - target) {
        idx = lo--;
      } else {
        idx = hi++;
      }
      int j = pool[idx];
      if (contains(used, nUsed, j)) {
        continue;
      }
      if (fallback < 0) {
        fallback = j;
      }
      if (!seen.get(j) && scanned < NEAR_SCAN) {
        candidates[found++] = j;
      }
    }
    if (found > 0) {
      return candidates[rng.nextInt(found)];
    }
    return fallback >= 0 ? fallback : firstUnused(used, nUsed);
  }

  private int firstUnused(int[] used, int nUsed) {
    int start = rng.nextInt(bank.size());
    for (int i = 0; i < bank.size(); i++) {
      int j = (start + i) % bank.size();
      if (!contains(used, nUsed, j)) {
        return j;
      }
    }
    throw new IllegalStateException("item bank smaller than a session");
  }

  private static boolean contains(int[] a, int n, int v) {
    for (int i = 0; i < n; i++) {
      if (a[i] == v) {
        return true;
      }
    }
    return false;
  }

  private static int pick(double[] cdf, double u) {
    for (int k = 0; k < cdf.length; k++) {
      if (u < cdf[k]) {
        return k;
      }
    }
    return cdf.length - 1;
  }

  private static double clamp(double v, double lo, double hi) {
    return Math.max(lo, Math.min(hi, v));
  }
}
