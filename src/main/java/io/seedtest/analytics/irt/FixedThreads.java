package io.seedtest.analytics.irt;

import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Runs {@code task(0..count-1)} on exactly {@code threads} threads. Not the common fork-join pool:
 * that one uses every core of the machine, not the ones the job was given (Spark {@code local[1]}
 * must stay on one core, and the benchmark's two-thread floor on two).
 */
final class FixedThreads {
  private FixedThreads() {}

  static void forEach(int threads, int count, IntConsumer task) {
    if (threads <= 1 || count <= 1) {
      IntStream.range(0, count).forEach(task);
      return;
    }
    ForkJoinPool pool = new ForkJoinPool(threads);
    try {
      pool.submit(() -> IntStream.range(0, count).parallel().forEach(task)).join();
    } finally {
      pool.shutdown();
    }
  }
}
