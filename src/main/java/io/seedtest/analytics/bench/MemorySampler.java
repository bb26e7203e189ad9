package io.seedtest.analytics.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Peak memory of this JVM (the Spark driver; in local mode also the executors) while a piece of
 * work runs: a daemon thread samples heap used every {@value #PERIOD_MS} ms. Also reports the
 * largest heap left after a collection (the live data, a steadier number than "used", which
 * includes garbage not yet collected) and the process' peak RSS (VmHWM), reset at start through
 * {@code /proc/self/clear_refs} where Linux allows it.
 */
final class MemorySampler implements AutoCloseable {
  static final long PERIOD_MS = 200;
  private static final double MB = 1024.0 * 1024.0;

  /** Peaks in MB; {@code hwmReset} says whether VmHWM covers only the sampled span. */
  record Peak(double heapUsedMb, double heapAfterGcMb, double heapCommittedMb, double rssMb, double vmHwmMb,
      boolean hwmReset) {}

  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
      .filter(p -> p.getType() == MemoryType.HEAP).toList();
  private final Thread thread;
  private final boolean hwmReset;
  private volatile boolean running = true;
  private long heapUsed;
  private long heapAfterGc;
  private long heapCommitted;
  private long rssKb;

  private MemorySampler() {
    hwmReset = resetHighWaterMark();
    heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
    thread = new Thread(this::loop, "bench-memory-sampler");
    thread.setDaemon(true);
    sample();
    thread.start();
  }

  static MemorySampler start() {
    return new MemorySampler();
  }

  private void loop() {
    while (running) {
      sample();
      try {
        Thread.sleep(PERIOD_MS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private synchronized void sample() {
    MemoryUsage heap = memory.getHeapMemoryUsage();
    heapUsed = Math.max(heapUsed, heap.getUsed());
    heapCommitted = Math.max(heapCommitted, heap.getCommitted());
    long afterGc = 0;
    for (MemoryPoolMXBean p : heapPools) {
      MemoryUsage u = p.getCollectionUsage();
      afterGc += u == null ? 0 : u.getUsed();
    }
    heapAfterGc = Math.max(heapAfterGc, afterGc);
    rssKb = Math.max(rssKb, status("VmRSS:"));
  }

  /** Stops sampling and returns the peaks. */
  Peak stop() {
    running = false;
    thread.interrupt();
    try {
      thread.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sample();
    synchronized (this) {
      return new Peak(heapUsed / MB, heapAfterGc / MB, heapCommitted / MB, rssKb / 1024.0,
          status("VmHWM:") / 1024.0, hwmReset);
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }

  /** Writing 5 to clear_refs resets the peak RSS (Linux 4.0+); false when not possible. */
  private static boolean resetHighWaterMark() {
    try {
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
      return true;
    } catch (IOException | SecurityException | UnsupportedOperationException e) {
      return false;
    }
  }

  /** A kB value of /proc/self/status, 0 when unavailable (not Linux). */
  static long status(String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    return 0;
  }
}
