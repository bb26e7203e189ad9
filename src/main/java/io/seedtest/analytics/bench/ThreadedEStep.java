package io.seedtest.analytics.bench;

import io.seedtest.analytics.irt.EStep;
import io.seedtest.analytics.irt.ExpectedCounts;
import io.seedtest.analytics.irt.ItemInformation;
import io.seedtest.analytics.irt.ItemLogTables;
import io.seedtest.analytics.irt.ItemModel;
import io.seedtest.analytics.irt.ItemParams;
import io.seedtest.analytics.irt.Responses;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The E-step on n plain Java threads, each over a contiguous range of the students into its own
 * counts, merged in range order: what this machine's cores give the kernel with no Spark at all.
 * The calibration benchmark sets it beside {@code local[n]}, so the gap between the two is Spark's
 * own cost (job launch, task results, merge) and the rest is the hardware's (two cores sharing a
 * memory bus). Benchmark only; the standard-error pass runs on one thread (it is not timed).
 */
public final class ThreadedEStep implements EStep, AutoCloseable {
  private final Responses data;
  private final EStep single;
  private final int threads;
  private final ExecutorService pool;

  public ThreadedEStep(Responses data, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    this.data = data;
    this.single = EStep.local(data);
    this.threads = threads;
    this.pool = Executors.newFixedThreadPool(threads);
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
    int students = (int) data.students();
    List<Future<ExpectedCounts>> parts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int from = (int) ((long) students * t / threads);
      int to = (int) ((long) students * (t + 1) / threads);
      parts.add(pool.submit(() -> {
        ExpectedCounts counts = new ExpectedCounts(data.items(), tables.nodes());
        double[] scratch = new double[tables.nodes()];
        for (int s = from; s < to; s++) {
          counts.accumulate(tables, data.itemIndex(), data.correct(), data.from(s), data.to(s), scratch);
        }
        return counts;
      }));
    }
    try {
      ExpectedCounts merged = parts.get(0).get();
      for (int t = 1; t < threads; t++) {
        merged.merge(parts.get(t).get());
      }
      return merged;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("E-step interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("E-step failed: " + e.getCause(), e.getCause());
    }
  }

  @Override
  public ItemInformation information(ItemModel model, ItemLogTables tables, ItemParams[] params) {
    return single.information(model, tables, params);
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
