package io.seedtest.analytics.calibration;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtest.analytics.irt.CalibrationResult;
import io.seedtest.analytics.irt.CalibrationSettings;
import io.seedtest.analytics.irt.EmCalibration;
import io.seedtest.analytics.irt.ItemDrift;
import io.seedtest.analytics.irt.ItemModel;
import io.seedtest.analytics.irt.ItemParams;
import io.seedtest.analytics.irt.Responses;
import io.seedtest.analytics.irt.ScaleTransform;
import io.seedtest.analytics.sim.ItemBank;
import io.seedtest.analytics.sim.ItemLeak;
import io.seedtest.analytics.sim.SimulationSpec;
import io.seedtest.analytics.sim.StudentHistory;
import io.seedtest.analytics.sim.StudentSimulator;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Item drift against the simulator's truth (docs/irt.md, "Item drift"), without Spark: the same
 * EM and the same {@link Linking#decide} as the weekly job. Per replication:
 *
 * <ol>
 *   <li>calibration 1: a cohort answering in the two weeks before the leak day;
 *   <li>calibration 2: a new cohort (other seed, same bank) in the two weeks from the leak day,
 *       with {@code leaked} items' true b lower by {@code shift};
 *   <li>the same cohort 2 without the leak (same seed: identical answers except the leaked items'):
 *       its link to calibration 1 is the leak-free truth of where cohort 2 sits on the scale.
 * </ol>
 *
 * Calibration 2 is linked to calibration 1 without purification (fdr 0) and with it (0.05); the
 * population mean θ of cohort 2 on the common scale is B + A·0 (each calibration fixes its own
 * population at N(0, 1)), compared with the leak-free link's. Detection rate = flagged leaked items
 * / leaked items; false-positive rate = flagged stable items / stable items, over all replications.
 *
 * <p>Asserts the targets. The drift test uses the sampling SEs of the estimates (what the
 * job does); {@code -Ddrift.se=posterior} runs it on the posterior SEs instead, as before
 * 2026-12-04, for comparison (docs/irt.md "Item drift").
 *
 * <p>Run (full size, about 11 minutes on one shared core):
 * {@code mvn -B -o -q -Dtest=DriftBenchmark -Dsurefire.failIfNoSpecifiedTests=false test}; sizes by
 * -Ddrift.items, -Ddrift.students, -Ddrift.perStudent, -Ddrift.leaked, -Ddrift.shift,
 * -Ddrift.replications. Not in the default suite (the name does not end in Test);
 * {@link DriftDetectionTest} runs a small version of it with every build.
 */
class DriftBenchmark {
  static final LocalDate LEAK_DAY = LocalDate.parse("2026-11-20");

  /** What one setting of the benchmark measured, summed over replications. */
  record Figures(int leaked, int leakedFlagged, int stable, int stableFlagged, int cleanStable,
      int cleanFlagged, double maxShiftUnpurified, double maxShiftPurified, double meanShiftUnpurified,
      double meanShiftPurified, int replications, double seconds) {
    double detection() {
      return (double) leakedFlagged / leaked;
    }

    double falsePositives() {
      return (double) stableFlagged / stable;
    }

    double cleanFalsePositives() {
      return (double) cleanFlagged / cleanStable;
    }

    String line() {
      return String.format(Locale.ROOT, "drift benchmark: %d replications, %.0f s: detection %d/%d = %.3f; "
              + "false positives among stable items %d/%d = %.4f (leak-free calibration: %d/%d = %.4f); "
              + "population mean θ vs leak-free link: unpurified moved by %.4f on average (max %.4f), "
              + "purified by %.4f (max %.4f)",
          replications, seconds, leakedFlagged, leaked, detection(), stableFlagged, stable, falsePositives(),
          cleanFlagged, cleanStable, cleanFalsePositives(), meanShiftUnpurified, maxShiftUnpurified,
          meanShiftPurified, maxShiftPurified);
    }
  }

  static Figures run(int items, int students, int perStudent, int leaked, double shift, int replications,
      long seed) {
    long t0 = System.nanoTime();
    int leakedTotal = 0;
    int leakedFlagged = 0;
    int stable = 0;
    int stableFlagged = 0;
    int cleanStable = 0;
    int cleanFlagged = 0;
    double maxUn = 0;
    double maxPur = 0;
    double sumUn = 0;
    double sumPur = 0;
    for (int rep = 0; rep < replications; rep++) {
      long s = seed + 1000L * rep;
      SimulationSpec before = SimulationSpec.recovery(students, items, perStudent, s)
          .withWindow(LEAK_DAY.minusDays(14), 14);
      SimulationSpec after = SimulationSpec.recovery(students, items, perStudent, s + 1)
          .withWindow(LEAK_DAY, 14);
      ItemLeak leak = new ItemLeak(leaked, shift, LEAK_DAY);
      // One bank (the first spec's seed), leaked or not: the leak draws nothing, so a, b, c are equal.
      ItemBank clean = ItemBank.generate(before);
      ItemBank leaky = ItemBank.generate(before.withLeak(leak));
      ItemParams[] first = calibrate(responses(before, clean));
      ItemParams[] second = calibrate(responses(after.withLeak(leak), leaky));
      ItemParams[] secondClean = calibrate(responses(after, clean));

      long[] ids = new long[items];
      Map<Long, ItemParams> previousItems = new HashMap<>();
      for (int j = 0; j < items; j++) {
        ids[j] = j;
        if (first[j].isCalibrated()) {
          previousItems.put((long) j, first[j]);
        }
      }
      Optional<PreviousCalibration> previous = Optional.of(new PreviousCalibration("before",
          LEAK_DAY.minusDays(1), ScaleTransform.IDENTITY, previousItems));
      Linking truth = Linking.decide(previous, ids, secondClean, ItemDrift.DEFAULT_FDR);
      Linking unpurified = Linking.decide(previous, ids, second, 0.0);
      Linking purified = Linking.decide(previous, ids, second, ItemDrift.DEFAULT_FDR);
      for (Linking.ItemDriftRow row : purified.drift()) {
        boolean isLeaked = leaky.leaked((int) row.itemId());
        leakedTotal += isLeaked ? 1 : 0;
        leakedFlagged += isLeaked && row.result().flagged() ? 1 : 0;
        stable += isLeaked ? 0 : 1;
        stableFlagged += !isLeaked && row.result().flagged() ? 1 : 0;
        if (isLeaked && System.getenv("DRIFT_VERBOSE") != null) {
          ItemParams p = first[(int) row.itemId()];
          ItemParams c = purified.transform().apply(second[(int) row.itemId()]);
          System.out.printf(Locale.ROOT, "  leaked item %d: b %.3f -> %.3f (se %.3f, %.3f), a %.3f -> %.3f, c %.3f -> %.3f,"
                  + " z_b %.2f, q %.4f%n", row.itemId(), p.b(), c.b(), p.seB(), c.seB(), p.a(), c.a(), p.c(), c.c(),
              row.result().zB(), row.result().q());
        }
      }
      double z2 = 0;
      int z2n = 0;
      for (Linking.ItemDriftRow row : truth.drift()) {
        cleanStable++;
        cleanFlagged += row.result().flagged() ? 1 : 0;
        if (Double.isFinite(row.result().zB())) {
          z2 += row.result().zB() * row.result().zB();
          z2n++;
        }
      }
      // Under no drift z_b is N(0, 1) if the SEs are right: a mean z² far below 1 means overstated SEs.
      System.out.printf(Locale.ROOT, "drift benchmark replication %d: leak-free calibration, mean z_b² %.3f over %d "
          + "items%n", rep, z2 / z2n, z2n);
      double un = Math.abs(unpurified.transform().b() - truth.transform().b());
      double pur = Math.abs(purified.transform().b() - truth.transform().b());
      maxUn = Math.max(maxUn, un);
      maxPur = Math.max(maxPur, pur);
      sumUn += un;
      sumPur += pur;
      System.out.printf(Locale.ROOT, "drift benchmark replication %d: leak-free link A=%.4f B=%.4f; unpurified "
              + "A=%.4f B=%.4f; purified A=%.4f B=%.4f over %d of %d anchors (%d purged)%n", rep,
          truth.transform().a(), truth.transform().b(), unpurified.transform().a(), unpurified.transform().b(),
          purified.transform().a(), purified.transform().b(), purified.anchorItems(), purified.commonItems(),
          purified.purgedItems());
    }
    return new Figures(leakedTotal, leakedFlagged, stable, stableFlagged, cleanStable, cleanFlagged, maxUn, maxPur,
        sumUn / replications, sumPur / replications, replications, (System.nanoTime() - t0) / 1e9);
  }

  /** Every student's one session as the EM's response matrix (item index = bank index). */
  static Responses responses(SimulationSpec spec, ItemBank bank) {
    StudentSimulator sim = new StudentSimulator(spec, bank);
    int n = spec.students();
    int[] offsets = new int[n + 1];
    int[] itemIndex = new int[n * spec.itemsPerStudent()];
    byte[] correct = new byte[itemIndex.length];
    int i = 0;
    for (int u = 0; u < n; u++) {
      for (StudentHistory.Session s : sim.simulate(u + 1L).sessions()) {
        for (int k = 0; k < s.size(); k++) {
          itemIndex[i] = s.items()[k];
          correct[i] = s.correct()[k] ? (byte) 1 : (byte) 0;
          i++;
        }
      }
      offsets[u + 1] = i;
    }
    return new Responses(offsets, java.util.Arrays.copyOf(itemIndex, i), java.util.Arrays.copyOf(correct, i),
        bank.size());
  }

  static ItemParams[] calibrate(Responses data) {
    CalibrationResult result = new EmCalibration(CalibrationSettings.defaults(ItemModel.THREE_PL)).run(data);
    assertThat(result.converged()).as("the EM converged").isTrue();
    ItemParams[] out = ("posterior".equals(System.getProperty("drift.se")) ? result.params() : result.sampling()).clone();
    for (int j = 0; j < out.length; j++) {
      if (!result.calibrated()[j]) {
        out[j] = ItemParams.notCalibrated();
      }
    }
    return out;
  }

  @Test
  void leakedItemsAreFoundAndPurifiedLinkingKeepsTheScale() {
    Figures f = run(Integer.getInteger("drift.items", 200), Integer.getInteger("drift.students", 40000),
        Integer.getInteger("drift.perStudent", 50), Integer.getInteger("drift.leaked", 20),
        Double.parseDouble(System.getProperty("drift.shift", "0.8")), Integer.getInteger("drift.replications", 3),
        20261120L);
    System.out.println(f.line());
    assertThat(f.detection()).isGreaterThanOrEqualTo(0.90);
    assertThat(f.falsePositives()).isLessThanOrEqualTo(0.05);
    assertThat(f.maxShiftPurified()).isLessThanOrEqualTo(0.02);
    assertThat(f.meanShiftUnpurified()).isGreaterThan(0.02);
  }
}
