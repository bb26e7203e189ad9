package io.seedtest.analytics.calibration;

import io.seedtest.analytics.irt.CalibrationResult;
import io.seedtest.analytics.irt.CalibrationSettings;
import io.seedtest.analytics.irt.EmCalibration;
import io.seedtest.analytics.irt.ItemModel;
import io.seedtest.analytics.irt.ItemParams;
import io.seedtest.analytics.irt.ItemPriors;
import io.seedtest.analytics.irt.Responses;
import java.util.Locale;
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
        run("3PL", CalibrationSettings.maximumLikelihood(ItemModel.THREE_PL), replications)}) {
      out.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %.1f |%n", r.label(),
          r.priors() ? "on" : "off", r.replications(), pct(r.a()), pct(r.b()), pct(r.c()), r.seconds()));
    }
    out.append(String.format(Locale.ROOT, "%nEach replication: %,d new students θ ~ N(0, 1) answer all "
        + "%d items of one fixed bank (a ~ lognormal(0, 0.25²), b ~ N(0, 1), c ~ U(0.1, 0.25); "
        + "Rasch: a = 1, c = 0; 2PL: c = 0). Coverage: share of estimate ± 1.96 SE containing the "
        + "true value. Target 93–97%%.%n", STUDENTS, ITEMS));
    return out.toString();
  }

  static Row run(String label, CalibrationSettings settings, int replications) {
    long t0 = System.nanoTime();
    ItemModel model = settings.model();
    ItemParams[] truth = bank(model, new Random(20261202L));
    long[] hits = new long[3];
    long[] total = new long[3];
    for (int rep = 0; rep < replications; rep++) {
      Responses data = simulate(truth, new Random(1_000L + rep));
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

  static Responses simulate(ItemParams[] items, Random random) {
    int n = items.length;
    int[] offsets = new int[STUDENTS + 1];
    int[] itemIndex = new int[STUDENTS * n];
    byte[] correct = new byte[STUDENTS * n];
    int i = 0;
    for (int s = 0; s < STUDENTS; s++) {
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
