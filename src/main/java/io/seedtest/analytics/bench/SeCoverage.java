package io.seedtest.analytics.bench;

import io.seedtest.analytics.irt.CalibrationResult;
import io.seedtest.analytics.irt.CalibrationSettings;
import io.seedtest.analytics.irt.EmCalibration;
import io.seedtest.analytics.irt.ItemModel;
import io.seedtest.analytics.irt.ItemParams;
import io.seedtest.analytics.irt.ItemPriors;
import io.seedtest.analytics.irt.Responses;
import java.util.Locale;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.random.Well19937c;
import java.util.Random;

/**
 * Do the standard errors mean what they say? Over simulated replications of one exam (fixed true
 * items, new students each time), the share of 95% intervals (estimate ± 1.96 SE) that contain
 * the true a, b and c: the benchmark's coverage table (target 93–97% each). Plain Java (the same
 * {@link EmCalibration} the job runs), so it takes seconds, not a Spark run per replication.
 */
final class SeCoverage {
  static final int STUDENTS = 2_000;
  static final int ITEMS = 20;

  record Row(String label, boolean priors, int replications, double a, double b, double c, double seconds) {}

  private SeCoverage() {}

  /** The Markdown table for {@code replications} replications of each model. */
  static String table(int replications) {
    StringBuilder out = new StringBuilder();
    out.append("| model | priors | replications | coverage a | coverage b | coverage c | s |\n");
    out.append("|---|---|---:|---:|---:|---:|---:|\n");
    for (Row r : new Row[] {
        run("2PL", CalibrationSettings.maximumLikelihood(ItemModel.TWO_PL), replications),
        run("Rasch", CalibrationSettings.maximumLikelihood(ItemModel.RASCH), replications),
        run("3PL", CalibrationSettings.defaults(ItemModel.THREE_PL), replications),
        run("3PL", CalibrationSettings.maximumLikelihood(ItemModel.THREE_PL), replications),
        runFromPriors("3PL, items drawn from the priors", CalibrationSettings.defaults(ItemModel.THREE_PL),
            replications, STUDENTS)}) {
      out.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %.1f |%n", r.label(),
          r.priors() ? "on" : "off", r.replications(), pct(r.a()), pct(r.b()), pct(r.c()), r.seconds()));
    }
    out.append(String.format(Locale.ROOT, "%nEach replication: %,d new students θ ~ N(0, 1) answer all "
        + "%d items of one fixed bank (a ~ lognormal(0, 0.25²), b ~ N(0, 1), c ~ U(0.1, 0.25); "
        + "Rasch: a = 1, c = 0; 2PL: c = 0). Coverage: share of estimate ± 1.96 SE containing the "
        + "true value. The last row draws a new bank per replication from the priors "
        + "(a ~ lognormal(0, 0.5²), c ~ Beta(6, 26), b ~ N(0, 1)): the design a posterior interval "
        + "claims its 95%% for. Target 93–97%%.%n", STUDENTS, ITEMS));
    return out.toString();
  }

  static Row run(String label, CalibrationSettings settings, int replications) {
    ItemParams[] fixed = bank(settings.model(), new Random(20261202L));
    return run(label, settings, replications, STUDENTS, rep -> fixed);
  }

  /**
   * As {@link #run}, but every replication draws a new bank from the calibration's own priors
   * (a ~ lognormal, c ~ Beta; b ~ N(0, 1) where b has no prior): the design under which a
   * posterior interval claims its 95%.
   */
  static Row runFromPriors(String label, CalibrationSettings settings, int replications, int students) {
    ItemPriors p = settings.priors();
    return run(label, settings, replications, students, rep -> priorBank(p, new Random(20261203L + rep)));
  }

  static Row run(String label, CalibrationSettings settings, int replications, int students,
      java.util.function.IntFunction<ItemParams[]> banks) {
    long t0 = System.nanoTime();
    long[] hits = new long[3];
    long[] total = new long[3];
    for (int rep = 0; rep < replications; rep++) {
      ItemParams[] truth = banks.apply(rep);
      Responses data = simulate(truth, students, new Random(1_000L + rep));
      CalibrationResult fit = new EmCalibration(settings).run(data);
      for (int j = 0; j < ITEMS; j++) {
        ItemParams e = fit.params()[j];
        count(e.a(), e.seA(), truth[j].a(), hits, total, 0);
        count(e.b(), e.seB(), truth[j].b(), hits, total, 1);
        count(e.c(), e.seC(), truth[j].c(), hits, total, 2);
      }
    }
    ItemPriors p = settings.priors();
    return new Row(label, p.hasSlopePrior() || p.hasGuessPrior() || p.hasDifficultyPrior(), replications,
        share(hits, total, 0), share(hits, total, 1),
        share(hits, total, 2), (System.nanoTime() - t0) / 1e9);
  }

  private static void count(double est, double se, double truth, long[] hits, long[] total, int q) {
    if (!Double.isFinite(se)) {
      return;
    }
    total[q]++;
    hits[q] += Math.abs(est - truth) <= 1.959964 * se ? 1 : 0;
  }

  private static double share(long[] hits, long[] total, int q) {
    return total[q] == 0 ? Double.NaN : (double) hits[q] / total[q];
  }

  private static String pct(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
  }

  static ItemParams[] bank(ItemModel model, Random random) {
    ItemParams[] items = new ItemParams[ITEMS];
    for (int j = 0; j < ITEMS; j++) {
      double a = model == ItemModel.RASCH ? 1.0 : Math.exp(0.25 * random.nextGaussian());
      double b = random.nextGaussian();
      double c = model.hasGuessing() ? 0.10 + 0.15 * random.nextDouble() : 0.0;
      items[j] = ItemParams.of(a, b, c);
    }
    return items;
  }

  static ItemParams[] priorBank(ItemPriors p, Random random) {
    BetaDistribution guess = new BetaDistribution(new Well19937c(random.nextLong()),
        p.guessAlpha(), p.guessBeta());
    ItemParams[] items = new ItemParams[ITEMS];
    for (int j = 0; j < ITEMS; j++) {
      double a = Math.exp(p.logSlopeMean() + p.logSlopeSd() * random.nextGaussian());
      double b = p.hasDifficultyPrior()
          ? p.difficultyMean() + p.difficultySd() * random.nextGaussian() : random.nextGaussian();
      items[j] = ItemParams.of(a, b, guess.sample());
    }
    return items;
  }

  static Responses simulate(ItemParams[] items, int students, Random random) {
    int n = items.length;
    int[] offsets = new int[students + 1];
    int[] itemIndex = new int[students * n];
    byte[] correct = new byte[students * n];
    int i = 0;
    for (int s = 0; s < students; s++) {
      double theta = random.nextGaussian();
      for (int j = 0; j < n; j++) {
        itemIndex[i] = j;
        correct[i] = random.nextDouble() < items[j].probability(theta) ? (byte) 1 : (byte) 0;
        i++;
      }
      offsets[s + 1] = i;
    }
    return new Responses(offsets, itemIndex, correct, n);
  }
}
