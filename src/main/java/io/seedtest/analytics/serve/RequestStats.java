package io.seedtest.analytics.serve;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/** Request counts by status and a latency histogram, drained by each summary line. */
final class RequestStats {
  /** Buckets of 100 µs up to 1 s, then one overflow bucket. */
  private static final int BUCKETS = 10_001;
  private final LongAdder[] byStatus = new LongAdder[6];
  private volatile AtomicLongArray histogram = new AtomicLongArray(BUCKETS);
  private volatile long since = System.nanoTime();

  RequestStats() {
    for (int i = 0; i < byStatus.length; i++) {
      byStatus[i] = new LongAdder();
    }
  }

  void record(int status, long micros) {
    byStatus[Math.min(5, Math.max(0, status / 100))].increment();
    histogram.incrementAndGet((int) Math.min(BUCKETS - 1, micros / 100));
  }

  record Window(long count, long seconds, String byStatus, long p50Micros, long p99Micros) {}

  synchronized Window drain() {
    AtomicLongArray h = histogram;
    histogram = new AtomicLongArray(BUCKETS);
    long now = System.nanoTime();
    long seconds = (now - since) / 1_000_000_000L;
    since = now;
    StringBuilder s = new StringBuilder();
    for (int i = 1; i < byStatus.length; i++) {
      long n = byStatus[i].sumThenReset();
      if (n > 0) {
        s.append(s.length() == 0 ? "" : ", ").append(i).append("xx ").append(n);
      }
    }
    long total = 0;
    for (int i = 0; i < BUCKETS; i++) {
      total += h.get(i);
    }
    return new Window(total, seconds, s.toString(), quantile(h, total, 0.50), quantile(h, total, 0.99));
  }

  private static long quantile(AtomicLongArray h, long total, double q) {
    if (total == 0) {
      return 0;
    }
    long rank = (long) Math.ceil(q * total);
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += h.get(i);
      if (seen >= rank) {
        return (i + 1) * 100L;
      }
    }
    return BUCKETS * 100L;
  }
}
