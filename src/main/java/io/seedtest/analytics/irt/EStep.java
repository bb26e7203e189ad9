package io.seedtest.analytics.irt;

/**
 * The data side of the EM: everything {@link EmCalibration} needs from the students' answers,
 * without saying where they live. {@link #local} runs over in-memory {@link Responses} on one
 * thread (the reference and the benchmark floor); the Spark job implements it with the answers
 * cached on the executors and one distributed pass per call. The EM loop, the M-step and the
 * convergence rule are then literally the same code for both, so "distributed equals
 * single-threaded" is a property of the E-step alone.
 */
public interface EStep {
  /** Number of items (dense indices {@code 0 .. items-1}). */
  int items();

  /** Number of students with at least one answer. */
  long students();

  /** Answers per item. */
  int[] answersPerItem();

  /** Proportion correct per item, NaN for an item nobody answered (for start values). */
  double[] proportionCorrect();

  /**
   * One E-step at the parameters the tables were built from: the expected counts and the
   * marginal log-likelihood, in a new instance (the caller may keep the previous one).
   */
  ExpectedCounts expectedCounts(ItemLogTables tables);

  /**
   * One pass accumulating the observed information at {@code params} into a copy of
   * {@code empty} (which fixes the free parameters and the matrix's form).
   */
  ItemInformation information(ItemInformation empty, ItemLogTables tables, ItemParams[] params);

  /** The single-threaded E-step over in-memory answers. */
  static EStep local(Responses data) {
    return new Local(data, 1);
  }

  /**
   * The same on {@code threads} threads, each over a contiguous range of the students into its own
   * counts, merged in range order: what the machine's cores give the kernel with no Spark at all
   * (the calibration benchmark sets it beside Spark {@code local[n]}).
   */
  static EStep local(Responses data, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    return new Local(data, threads);
  }

  /** {@link #local}: a plain loop over the students (per thread). */
  final class Local implements EStep {
    private final Responses data;
    private final int threads;

    private Local(Responses data, int threads) {
      this.data = data;
      this.threads = threads;
    }

    @Override
    public int items() {
      return data.items();
    }

    @Override
    public long students() {
      return data.students();
    }

    @Override
    public int[] answersPerItem() {
      return data.answersPerItem();
    }

    @Override
    public double[] proportionCorrect() {
      return data.proportionCorrect();
    }

    @Override
    public ExpectedCounts expectedCounts(ItemLogTables tables) {
      // new instances each call: the EM keeps the previous counts while it tries an extrapolation
      int students = (int) data.students();
      ExpectedCounts[] parts = new ExpectedCounts[threads];
      FixedThreads.forEach(threads, threads, t -> parts[t] = new ExpectedCounts(data.items(), tables.nodes())
          .accumulateStudents(tables, data, (int) ((long) students * t / threads),
              (int) ((long) students * (t + 1) / threads)));
      for (int t = 1; t < threads; t++) {
        parts[0].merge(parts[t]);
      }
      return parts[0];
    }

    @Override
    public ItemInformation information(ItemInformation empty, ItemLogTables tables,
        ItemParams[] params) {
      ItemInformation information = empty.emptyCopy();
      double[] posterior = new double[tables.nodes()];
      for (int s = 0; s < data.students(); s++) {
        information.accumulate(tables, params, data.itemIndex(), data.correct(), data.from(s),
            data.to(s), posterior);
      }
      return information;
    }
  }
}
