package io.seedtest.analytics.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtest.analytics.bench.ChildJvm;
import io.seedtest.analytics.config.DatabaseUrl;
import io.seedtest.analytics.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A password typed with --database-url reaches neither the JVM's command line (ps, /proc) nor
 * Spark's event log (sun.java.command) nor the logs: bin/seedtest moves it into the environment,
 * and when someone runs java with it on the command line anyway, Spark's redaction masks it. Real
 * child JVMs, a real PostgreSQL (trust login: any password is accepted) and a real event log.
 */
@Tag("postgres")
class PasswordOffCommandLineTest {
  private static final String PASSWORD = "Pw-" + Long.toHexString(System.nanoTime()) + "-x";

  @TempDir
  Path tmp;
  DatabaseUrl db;
  String url;

  @BeforeEach
  void database() {
    db = TestDatabase.fresh("secrets");
    String schema = db.jdbcUrl().replaceAll(".*currentSchema=", "");
    url = "postgresql://postgres:" + PASSWORD + "@127.0.0.1:5432/" + db.database() + "?currentSchema=" + schema;
  }

  @AfterEach
  void drop() {
    TestDatabase.drop(db);
  }

  private List<String> jobArgs() {
    return List.of("aggregate-features-daily", "--date", "2026-11-20", "--database-url", url,
        "--lake", tmp.resolve("lake").toString());
  }

  private String eventLogJavaOpts() throws IOException {
    Files.createDirectories(tmp.resolve("events"));
    // uncompressed, so the test can read it as text
    return "-Dspark.eventLog.enabled=true -Dspark.eventLog.compress=false -Dspark.eventLog.dir=file:" + tmp.resolve("events");
  }

  @Test
  void binSeedtestKeepsThePasswordOffTheJavaCommandLine() throws Exception {
    List<String> cmd = new ArrayList<>(List.of(ProjectDir.resolve("bin/seedtest").toString()));
    cmd.addAll(jobArgs());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("out.log").toFile());
    pb.environment().putAll(Map.of("SEEDTEST_CLASSPATH", System.getProperty("java.class.path"),
        "SEEDTEST_JAVA_OPTS", eventLogJavaOpts(), "SEEDTEST_DRIVER_MEMORY", "1g", "SPARK_MASTER", "local[2]"));
    pb.environment().remove("DATABASE_URL");
    Process p = pb.start();

    List<String> javaCommandLines = new ArrayList<>();
    Path cmdline = Path.of("/proc", Long.toString(p.pid()), "cmdline");
    while (p.isAlive()) {
      try {
        String line = new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).replace('\0', ' ');
        if (line.contains("SeedtestCli")) {
          javaCommandLines.add(line);
        }
      } catch (IOException gone) {
        break;
      }
      Thread.sleep(200);
    }
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    String output = Files.readString(tmp.resolve("out.log"));

    assertThat(p.exitValue()).as(output).isZero();
    assertThat(javaCommandLines).as("the java process's /proc/<pid>/cmdline, read while it ran").isNotEmpty()
        .allSatisfy(l -> assertThat(l).doesNotContain(PASSWORD).contains("aggregate-features-daily"));
    assertThat(output).doesNotContain(PASSWORD).contains("succeeded");
    assertThat(eventLog()).contains("sun.java.command").doesNotContain(PASSWORD);
    assertThat(TestDatabase.query(db, "SELECT status FROM job_runs")).containsExactly(List.of("succeeded"));
  }

  @Test
  void sparkMasksAPasswordGivenToJavaOnTheCommandLine() throws Exception {
    Path stderr = tmp.resolve("stderr.log");
    int exit;
    String stdout;
    try (ChildJvm child = ChildJvm.start(jobArgs(),
        Map.of("JAVA_TOOL_OPTIONS", eventLogJavaOpts(), "SPARK_MASTER", "local[2]"), stderr, null)) {
      exit = child.waitFor(300);
      stdout = child.stdout();
    }

    assertThat(exit).as(Files.readString(stderr)).isZero();
    assertThat(eventLog()).contains("sun.java.command").contains("*********(redacted)").doesNotContain(PASSWORD);
    assertThat(Files.readString(stderr) + stdout).doesNotContain(PASSWORD);
  }

  private String eventLog() throws IOException {
    StringBuilder b = new StringBuilder();
    try (Stream<Path> files = Files.walk(tmp.resolve("events"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        b.append(Files.readString(f));
      }
    }
    assertThat(b).as("an event log was written").isNotEmpty();
    return b.toString();
  }
}
