package io.seedtest.analytics.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The CLI in a separate JVM, started with this JVM's java, classpath and module flags, so a test
 * or benchmark can do to it what happens to a real run: SIGKILL it at a named stage. Its stdout is
 * read line by line (to spot a marker), its stderr goes to a file.
 */
public final class ChildJvm implements AutoCloseable {
  /**
   * The CLI's main class, by name: a child JVM runs it as bin/seedtest does, and naming it keeps
   * bench below cli (cli's bench commands call bench). PackageDependenciesTest checks the name.
   */
  public static final String CLI_MAIN = "io.seedtest.analytics.cli.SeedtestCli";

  private final Process process;
  private final CompletableFuture<String> marker = new CompletableFuture<>();
  private final StringBuffer stdout = new StringBuffer();

  private ChildJvm(Process process, String awaited) {
    this.process = process;
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          stdout.append(line).append('\n');
          if (awaited != null && line.startsWith(awaited)) {
            marker.complete(line);
          }
        }
      } catch (IOException ignored) {
        // the process was killed: its pipe breaks
      }
      marker.complete(null);
    }, "child-jvm-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code SeedtestCli args} with {@code env} added to this process's environment. */
  public static ChildJvm start(List<String> args, Map<String, String> env, Path stderr, String awaitedMarker) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      // Spark's module flags, the log config, and the tests' C1-only JIT (a short-lived JVM)
      if (a.startsWith("--add-opens") || a.startsWith("--add-exports") || a.startsWith("-Dlog4j2.configurationFile")
          || a.startsWith("-XX:TieredStopAtLevel")) {
        cmd.add(a);
      }
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(CLI_MAIN);
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(stderr.toFile());
    pb.environment().putAll(env);
    try {
      return new ChildJvm(pb.start(), awaitedMarker);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start a child JVM: " + e.getMessage(), e);
    }
  }

  /** The marker line once printed, or null if the process ended first or the time ran out. */
  public String awaitMarker(long seconds) {
    try {
      return marker.get(seconds, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (java.util.concurrent.ExecutionException e) {
      return null;
    }
  }

  public long pid() {
    return process.pid();
  }

  /** SIGKILL (Process.destroyForcibly on Linux), and waits until the process is gone; its exit code. */
  public int kill() {
    process.destroyForcibly();
    return waitFor(60);
  }

  /** Waits for the process to end by itself; its exit code, or -1 after {@code seconds}. */
  public int waitFor(long seconds) {
    try {
      return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  public boolean alive() {
    return process.isAlive();
  }

  public String stdout() {
    return stdout.toString();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
