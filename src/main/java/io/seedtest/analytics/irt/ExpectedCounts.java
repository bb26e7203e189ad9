package io.seedtest.analytics.irt;

import java.io.Serializable;

/**
 * The E-step's sufficient statistics: for every item and node, the posterior-expected number of
 * students at that node who answered the item (n_jk) and who answered it correctly (r_jk), plus the
 * summed marginal log-likelihood.
 *
 * <p>This is the value the Spark job tree-aggregates each EM iteration: {@link #accumulate} per
 * student inside a partition, {@link #merge} across partitions. It is all the M-step needs, so
 * the students' answers never leave their executors. Plain arrays of primitives keep it compact
 * (items × nodes × 2 doubles) and cheap to serialise; one array per item row for the same reason
 * as {@link ItemLogTables}'s rows (the accumulation loop then vectorises). Answers on uncalibrated items still add
 * to those items' rows (skipping them would cost a branch per answer); the M-step ignores them.
 */
public final class ExpectedCounts implements Serializable {
  private final int items;
  private final int nodes;
  // Wrong and correct answers in separate rows, so each answer adds into exactly one row; the
  // answered count n_jk is their sum, formed once per item when the M-step asks for it.
  private final double[][] wrong;
  private final double[][] correct;
  private double logLikelihood;
  private long students;

  public ExpectedCounts(int items, int nodes) {
    this.items = items;
    this.nodes = nodes;
    this.wrong = new double[items][nodes];
    this.correct = new double[items][nodes];
  }

  /**
   * Adds one student: her posterior over the nodes goes into every item she answered. Allocates
   * nothing, so it is safe as the inner loop of a partition pass.
   *
   * @param itemIndex item of each answer; this student's answers are {@code [from, to)}
   * @param isCorrect 1 for correct, 0 for wrong, parallel to {@code itemIndex}
   * @param scratch at least {@code nodes} doubles, reused across students
   * @return her marginal log-likelihood
   */
  public double accumulate(ItemLogTables tables, int[] itemIndex, byte[] isCorrect, int from,
      int to, double[] scratch) {
    double ll = StudentPosterior.compute(tables, itemIndex, isCorrect, from, to, scratch);
    // Her posterior is concentrated: with a few dozen answers, some 25 of the 61 nodes in its tails
    // carry less than 1e-15 each (normalised). Skipping those tails changes a count by less than
    // 1e-13 and saves a third of the memory traffic into the count rows, which on a bank of
    // thousands of items (rows far larger than the L2 cache) is what the E-step is bound by.
    int lo = StudentPosterior.supportStart(scratch, nodes);
    int hi = StudentPosterior.supportEnd(scratch, lo, nodes);
    for (int i = from; i < to; i++) {
      double[] row = (isCorrect[i] != 0 ? correct : wrong)[itemIndex[i]];
      for (int k = lo; k <= hi; k++) {
        row[k] += scratch[k];
      }
    }
    logLikelihood += ll;
    students++;
    return ll;
  }

  /**
   * {@link #accumulate} for students {@code [fromStudent, toStudent)} of {@code data}: the loop every
   * E-step runs (the single-threaded one, each of its threads, each Spark partition).
   */
  public ExpectedCounts accumulateStudents(ItemLogTables tables, Responses data, int fromStudent,
      int toStudent) {
    double[] scratch = new double[nodes];
    int[] itemIndex = data.itemIndex();
    byte[] isCorrect = data.correct();
    for (int s = fromStudent; s < toStudent; s++) {
      accumulate(tables, itemIndex, isCorrect, data.from(s), data.to(s), scratch);
    }
    return this;
  }

  /** Adds another partition's counts into this one and returns this (a Spark combOp). */
  public ExpectedCounts merge(ExpectedCounts other) {
    if (other.items != items || other.nodes != nodes) {
      throw new IllegalArgumentException("cannot merge counts of " + other.items + "×"
          + other.nodes + " into " + items + "×" + nodes);
    }
    for (int j = 0; j < items; j++) {
      double[] w = wrong[j];
      double[] c = correct[j];
      double[] ow = other.wrong[j];
      double[] oc = other.correct[j];
      for (int k = 0; k < nodes; k++) {
        w[k] += ow[k];
        c[k] += oc[k];
      }
    }
    logLikelihood += other.logLikelihood;
    students += other.students;
    return this;
  }

  /** One item's expected counts by node, copied: the input of that item's M-step. */
  public ItemCounts itemCounts(int item) {
    double[] n = new double[nodes];
    double[] r = correct[item].clone();
    double[] w = wrong[item];
    for (int k = 0; k < nodes; k++) {
      n[k] = w[k] + r[k];
    }
    return new ItemCounts(n, r);
  }

  public int items() {
    return items;
  }

  public int nodes() {
    return nodes;
  }

  /** Σ over students of their marginal log-likelihood: mirt's logLik when summed over all. */
  public double logLikelihood() {
    return logLikelihood;
  }

  public long students() {
    return students;
  }
}
