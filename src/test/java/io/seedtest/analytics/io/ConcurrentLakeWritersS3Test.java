package io.seedtest.analytics.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtest.analytics.testing.S3Server;
import io.seedtest.analytics.testing.SparkTestSession;
import io.seedtest.analytics.testing.TestDatabase;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several drivers, each in its own JVM as the scheduled jobs are, publish runs into one lake on a
 * real S3 server at the same moment: every commit to the shared job_runs and quarantine tables
 * must be in the Delta log afterwards (one writer per table at a time, {@link Lake#write}). The
 * same drivers first append to a probe table without the lock: Delta's S3 log store then may
 * lose commits (it checks for the next version and PUTs it, and two drivers can both pass the
 * check); the probe's figures are printed, not asserted, since a race may go either way.
 */
@Tag("spark")
@Tag("postgres")
class ConcurrentLakeWritersS3Test {
  static final String BUCKET = "seedtest-lake";
  static final int WRITERS = 3;
  static final int RUNS = 3;
  static final int PROBES = 3;

  @TempDir
  Path logs;

  @Test
  void concurrentDriversLoseNoCommitOnS3() throws Exception {
    try (S3Server s3 = S3Server.start(BUCKET)) {
      String root = "s3a://" + BUCKET + "/analytics";
      Path go = logs.resolve("go");
      List<Process> writers = new ArrayList<>();
      List<String> writerLines = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        writers.add(writer(s3.endpoint(), root, "w" + w, go));
      }
      try {
        awaitReady(writers);
        Files.createFile(go); // every driver is up: they start writing together
        for (int w = 0; w < WRITERS; w++) {
          Process p = writers.get(w);
          boolean done = p.waitFor(15, TimeUnit.MINUTES);
          String out = Files.readString(logs.resolve("w" + w + ".log"));
          assertThat(done).as("writer w%d finished; its output:%n%s", w, out).isTrue();
          assertThat(p.exitValue()).as("writer w%d exit; its output:%n%s", w, out).isZero();
          out.lines().filter(l -> l.startsWith("writer ")).forEach(l -> {
            writerLines.add(l);
            System.out.println(l);
          });
        }
      } finally {
        writers.forEach(Process::destroyForcibly); // no-op for the writers that finished
      }

      SparkSession spark = SparkTestSession.get();
      s3.hadoopConf().forEach((k, v) -> spark.sparkContext().hadoopConfiguration().set(k, v));
      Lake lake = new Lake(root);
      int runs = WRITERS * RUNS;
      Count jobRuns = count(s3, spark, lake, Lake.JOB_RUNS);
      Count quarantine = count(s3, spark, lake, Quarantine.TABLE);
      Count probe = count(s3, spark, lake, LakeWriterProcess.PROBE_TABLE);
      long probesOk = WRITERS * PROBES - writerLines.stream().filter(l -> l.contains("probe appends"))
          .mapToLong(l -> Long.parseLong(l.replaceAll(".*: (\\d+) of .*", "$1"))).sum();
      System.out.printf("lake on S3 (s3proxy), %d driver JVMs x %d runs each, started together:%n", WRITERS, RUNS);
      System.out.printf("%-34s %9s %6s %9s %6s%n", "table", "commits", "found", "rows", "found");
      System.out.printf("%-34s %9d %6d %9d %6d%n", "job_runs (lake lock)", runs, jobRuns.commits, runs, jobRuns.rows);
      System.out.printf("%-34s %9d %6d %9d %6d%n", "quarantine (lake lock)", runs, quarantine.commits, 2 * runs,
          quarantine.rows);
      System.out.printf("%-34s %9d %6d %9d %6d%n", "probe: plain appends, no lock", probesOk, probe.commits,
          probesOk, probe.rows);
      System.out.println("(probe: 'commits' counts the appends that reported success; fewer found = commits lost)");

      assertThat(jobRuns).isEqualTo(new Count(runs, runs));
      assertThat(quarantine).isEqualTo(new Count(runs, 2L * runs));
    }
  }

  record Count(long commits, long rows) {}

  /** Commits = the NNNNNNNNNNNNNNNNNNNN.json files in the table's _delta_log; rows = what Delta reads. */
  private static Count count(S3Server s3, SparkSession spark, Lake lake, String table) {
    String prefix = lake.path(table).substring(("s3a://" + BUCKET + "/").length()) + "/_delta_log/";
    long commits = s3.keys(BUCKET, prefix).stream().filter(k -> k.matches(".*/\\d{20}\\.json")).count();
    long rows = spark.read().format("delta").load(lake.path(table)).count();
    return new Count(commits, rows);
  }

  /** Waits until every writer printed "ready" (its Spark session is up), or one of them died. */
  private void awaitReady(List<Process> writers) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    for (int w = 0; w < writers.size(); w++) {
      Path log = logs.resolve("w" + w + ".log");
      while (!Files.readString(log).lines().anyMatch("ready"::equals)) {
        assertThat(writers.get(w).isAlive()).as("writer w%d died before it was ready:%n%s", w, Files.readString(log))
            .isTrue();
        assertThat(System.nanoTime()).as("writer w%d ready within 10 min", w).isLessThan(deadline);
        Thread.sleep(100);
      }
    }
  }

  private Process writer(String endpoint, String root, String name, Path go) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("-Xmx700m");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.addAll(jvmOpens());
    cmd.add("-Dlog4j2.configurationFile=" + Path.of("src/test/resources/log4j2-test.properties").toAbsolutePath());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(LakeWriterProcess.class.getName());
    cmd.addAll(List.of(endpoint, root, TestDatabase.baseUrl(), name, Integer.toString(RUNS), Integer.toString(PROBES),
        go.toString()));
    File log = logs.resolve(name + ".log").toFile();
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
  }

  /** The --add-opens flags Spark needs on Java 17 (conf/jvm-opens.txt, the launchers' list). */
  private static List<String> jvmOpens() throws Exception {
    return Files.readAllLines(Path.of("conf/jvm-opens.txt")).stream()
        .map(l -> l.replaceAll("#.*", "").strip()).filter(l -> !l.isEmpty()).toList();
  }
}
