package io.seedtest.analytics.irt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class ExpectedCountsTest {
  private static final Quadrature GRID = Quadrature.standardNormal();
  private static final SimulatedCohort COHORT = SimulatedCohort.generate(5L, 400, 12, 7);

  @Test
  void posteriorAndMarginalMatchTheDirectProduct() {
    ItemParams[] items = COHORT.items;
    ItemLogTables tables = ItemLogTables.of(items, GRID);
    Responses data = COHORT.responses;
    double[] posterior = new double[GRID.size()];
    double[] theta = GRID.nodes();
    double[] w = GRID.weights();
    for (int s = 0; s < 5; s++) {
      double ll = StudentPosterior.compute(tables, data.itemIndex(), data.correct(), data.from(s),
          data.to(s), posterior);
      double[] joint = new double[theta.length];
      double marginal = 0;
      for (int k = 0; k < theta.length; k++) {
        double l = w[k];
        for (int i = data.from(s); i < data.to(s); i++) {
          double p = items[data.itemIndex()[i]].probability(theta[k]);
          l *= data.correct()[i] == 1 ? p : 1 - p;
        }
        joint[k] = l;
        marginal += l;
      }
      assertThat(ll).isCloseTo(Math.log(marginal), within(1e-10));
      for (int k = 0; k < theta.length; k++) {
        assertThat(posterior[k]).isCloseTo(joint[k] / marginal, within(1e-12));
      }
    }
  }

  @Test
  void countsAddUpToTheAnswersAndMergeEqualsOnePass() {
    Responses data = COHORT.responses;
    ItemLogTables tables = ItemLogTables.of(COHORT.items, GRID);
    ExpectedCounts whole = new ExpectedCounts(data.items(), GRID.size());
    ExpectedCounts left = new ExpectedCounts(data.items(), GRID.size());
    ExpectedCounts right = new ExpectedCounts(data.items(), GRID.size());
    double[] scratch = new double[GRID.size()];
    for (int s = 0; s < data.students(); s++) {
      whole.accumulate(tables, data.itemIndex(), data.correct(), data.from(s), data.to(s),
          scratch);
      (s % 3 == 0 ? left : right).accumulate(tables, data.itemIndex(), data.correct(),
          data.from(s), data.to(s), scratch);
    }
    ExpectedCounts merged = left.merge(right);
    int[] perItem = data.answersPerItem();
    double[] p = data.proportionCorrect();
    for (int j = 0; j < data.items(); j++) {
      ItemCounts a = whole.itemCounts(j);
      ItemCounts b = merged.itemCounts(j);
      assertThat(a.total()).isCloseTo(perItem[j], within(1e-9));
      double correct = 0;
      for (int k = 0; k < GRID.size(); k++) {
        correct += a.correct()[k];
        assertThat(b.answered()[k]).isCloseTo(a.answered()[k], within(1e-9));
        assertThat(b.correct()[k]).isCloseTo(a.correct()[k], within(1e-9));
      }
      assertThat(correct).isCloseTo(p[j] * perItem[j], within(1e-9));
    }
    assertThat(merged.students()).isEqualTo(data.students());
    assertThat(merged.logLikelihood()).isCloseTo(whole.logLikelihood(), within(1e-8));
    assertThatThrownBy(() -> whole.merge(new ExpectedCounts(3, GRID.size())))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void uncalibratedItemsCarryNoInformation() {
    ItemParams[] items = COHORT.items.clone();
    items[0] = ItemParams.notCalibrated();
    ItemLogTables tables = ItemLogTables.of(items, GRID);
    double[] posterior = new double[GRID.size()];
    double withIt = StudentPosterior.compute(tables, new int[] {0, 1}, new byte[] {1, 0}, 0, 2,
        posterior);
    double without = StudentPosterior.compute(tables, new int[] {1}, new byte[] {0}, 0, 1,
        posterior);
    assertThat(withIt).isEqualTo(without);
  }

  /** The E-step is the hot loop on the cluster: per student it must not allocate at all. */
  @Test
  void accumulateAllocatesNothingPerStudent() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    Responses data = COHORT.responses;
    ItemLogTables tables = ItemLogTables.of(COHORT.items, GRID);
    ExpectedCounts counts = new ExpectedCounts(data.items(), GRID.size());
    double[] scratch = new double[GRID.size()];
    int[] itemIndex = data.itemIndex();
    byte[] correct = data.correct();
    for (int round = 0; round < 50; round++) {
      for (int s = 0; s < data.students(); s++) {
        counts.accumulate(tables, itemIndex, correct, data.from(s), data.to(s), scratch);
      }
    }
    long thread = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(thread);
    for (int round = 0; round < 50; round++) {
      for (int s = 0; s < data.students(); s++) {
        counts.accumulate(tables, itemIndex, correct, data.from(s), data.to(s), scratch);
      }
    }
    long allocated = threads.getThreadAllocatedBytes(thread) - before;
    // 20,000 students; even one 16-byte object each would be 320 kB.
    assertThat(allocated).isLessThan(16_384);
  }
}
