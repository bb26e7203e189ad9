package io.seedtest.analytics.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * How much faster this machine does independent, purely arithmetic work on n threads than on
 * one: the ceiling for any parallel speed-up a benchmark can show here. Virtual CPUs that are
 * hyper-threads of one core, or a host that throttles, give far less than n×; a speed-up target
 * is judged against this figure, measured in the same run.
 */
public final class CoreScaling {
  private static final long WORK = 300_000_000L;

  private CoreScaling() {}

  /** The throughput of {@code threads} threads relative to one (best of three runs each). */
  public static double throughputRatio(int threads) {
    spin(WORK / 10);
    double one = Double.MAX_VALUE;
    double many = Double.MAX_VALUE;
    for (int run = 0; run < 3; run++) {
      one = Math.min(one, timed(1));
      many = Math.min(many, timed(threads));
    }
    return threads * one / many;
  }

  private static double timed(int threads) {
    List<Thread> ts = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int k = 0; k < threads; k++) {
      Thread t = new Thread(() -> spin(WORK));
      t.start();
      ts.add(t);
    }
    for (Thread t : ts) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  private static volatile double sink;

  private static void spin(long n) {
    double s = 0;
    for (long i = 0; i < n; i++) {
      s += Math.sqrt(i) * 1e-9;
    }
    sink = s;
  }
}
