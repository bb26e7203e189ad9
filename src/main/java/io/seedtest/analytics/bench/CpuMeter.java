package io.seedtest.analytics.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU seconds spent on a piece of work by this JVM and by the PostgreSQL backends serving the
 * benchmark database, a measure that — unlike wall time — barely moves when other processes
 * compete for the cores. Backends are found by their process title ({@code postgres: … <user>
 * <database> <host> …}) in /proc and sampled every {@value #PERIOD_MS} ms; a backend that exits
 * between two samples loses at most its last period. Works when PostgreSQL runs on this machine
 * and /proc is readable (0 otherwise).
 */
final class CpuMeter implements AutoCloseable {
  static final long PERIOD_MS = 200;
  private static final double TICKS_PER_SECOND = 100.0; // USER_HZ, 100 on every Linux we target

  /** CPU seconds of the JVM and of the database's backends. */
  record Cpu(double jvm, double pg) {
    double total() {
      return jvm + pg;
    }
  }

  private final String database;
  private final long jvmStartNanos;
  private final Map<String, Long> baseline = new HashMap<>();
  private final Map<String, Long> latest = new HashMap<>();
  private final Thread thread;
  private volatile boolean running = true;

  private CpuMeter(String database) {
    this.database = database;
    this.jvmStartNanos = jvmCpuNanos();
    scan(true);
    thread = new Thread(this::loop, "bench-cpu-meter");
    thread.setDaemon(true);
    thread.start();
  }

  static CpuMeter start(String database) {
    return new CpuMeter(database);
  }

  private void loop() {
    while (running) {
      try {
        Thread.sleep(PERIOD_MS);
      } catch (InterruptedException e) {
        return;
      }
      scan(false);
    }
  }

  Cpu stop() {
    running = false;
    thread.interrupt();
    try {
      thread.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    scan(false);
    double jvm = (jvmCpuNanos() - jvmStartNanos) / 1e9;
    long ticks = 0;
    synchronized (this) {
      for (Map.Entry<String, Long> e : latest.entrySet()) {
        ticks += e.getValue() - baseline.getOrDefault(e.getKey(), 0L);
      }
    }
    return new Cpu(jvm, ticks / TICKS_PER_SECOND);
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }

  private synchronized void scan(boolean initial) {
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> isPid(p.getFileName().toString()))) {
      for (Path p : procs) {
        try {
          String title = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
          if (!title.startsWith("postgres: ") || !title.contains(" " + database + " ")) {
            continue;
          }
          String stat = Files.readString(p.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          // after "(comm) ": f[0] = state (field 3), utime = field 14, stime = 15, starttime = 22
          long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
          String key = p.getFileName() + "@" + f[19];
          if (initial) {
            baseline.put(key, ticks);
          }
          latest.merge(key, ticks, Math::max);
        } catch (IOException | RuntimeException e) {
          // the process ended while we looked: keep its last sample
        }
      }
    } catch (IOException | RuntimeException e) {
      // no /proc: PostgreSQL CPU stays 0
    }
  }

  private static boolean isPid(String name) {
    for (int i = 0; i < name.length(); i++) {
      if (!Character.isDigit(name.charAt(i))) {
        return false;
      }
    }
    return !name.isEmpty();
  }

  private static long jvmCpuNanos() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0L;
  }
}
